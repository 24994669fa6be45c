"""The site dashboard in Chromium: the caseworker's exact figures with charts and their tables, the
steering group's suppressed view without months, the coordinator's site switcher, the catalogue and
the data-quality page; axe-core on every page, on a desktop and on a phone."""

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from playwright.sync_api import Page, expect

from inka.core.demo import demo_generate
from inka.programme.models import Site
from tests.browser.test_shell import log_in, log_out, shot

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def this_month() -> str:
    return formats.date_format(timezone.localdate(), "F Y")


def open_key_figures(page: Page) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Kennzahlen").click()


def test_the_team_sees_exact_figures_with_charts_and_their_tables(page: Page, live_server, demo, check_axe):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "lotse.alt")
    open_key_figures(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kennzahlen")
    expect(page.get_by_text("mit den Vorjahren").first).to_be_visible()
    # This month is a column for the team.
    expect(page.get_by_role("columnheader", name=this_month()).first).to_be_visible()
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 8
    # Every chart comes with its figures as a table (its text alternative).
    for index in range(charts.count()):
        figure = charts.nth(index).locator("xpath=ancestor::div[contains(@class, 'mon-block')][1]")
        assert figure.locator("table").count() == 1, index
    assert check_axe(page) == []
    shot(page, "monitoring-site-team-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "monitoring-site-team-phone")
    assert check_axe(page) == []
    page.set_viewport_size(DESKTOP)

    # A row's name leads to the indicator's entry in the catalogue.
    first_link = page.locator("main table a[href*='/kennzahlen/katalog/#']").first
    first_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikatorenkatalog")
    assert check_axe(page) == []
    shot(page, "monitoring-catalogue")

    page.goto(f"{live_server.url}{reverse('monitoring:quality')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenqualität")
    assert check_axe(page) == []
    shot(page, "monitoring-quality-team")
    page.set_viewport_size(PHONE)
    shot(page, "monitoring-quality-team-phone")
    log_out(page)


def test_the_steering_group_sees_suppressed_figures_without_months(page: Page, live_server, demo, check_axe):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "steuerung.alt")
    open_key_figures(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kennzahlen")
    expect(page.get_by_text("Zahlen unter 3 werden nicht gezeigt").first).to_be_visible()
    expect(page.get_by_role("columnheader", name=this_month())).to_have_count(0)
    assert page.locator("svg[role=img]").count() >= 8
    assert check_axe(page) == []
    shot(page, "monitoring-site-steering-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "monitoring-site-steering-phone")
    assert check_axe(page) == []
    log_out(page)


def test_the_coordinator_switches_between_sites(page: Page, live_server, demo, check_axe):
    page.set_viewport_size(DESKTOP)
    alt, gera = Site.objects.get(code="ALT"), Site.objects.get(code="GLU")
    log_in(page, live_server.url, "koordination")
    page.goto(f"{live_server.url}{reverse('monitoring:site_dashboard', args=[alt.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(alt.name)
    switcher = page.get_by_label("Kennzahlen anzeigen für")
    switcher.select_option(str(gera.pk))  # sends the form at once (data-autosubmit)
    expect(page).to_have_url(f"{live_server.url}{reverse('monitoring:site_dashboard', args=[gera.pk])}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(gera.name)
    expect(page.get_by_role("columnheader", name=this_month())).to_have_count(0)
    assert check_axe(page) == []
    shot(page, "monitoring-site-coordinator")

    page.goto(f"{live_server.url}{reverse('monitoring:quality')}")
    expect(page.get_by_role("table")).to_contain_text(gera.name)
    assert check_axe(page) == []
    shot(page, "monitoring-quality-coordinator")
    log_out(page)
