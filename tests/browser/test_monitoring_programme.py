"""The coordinator's programme dashboard in Chromium: from the navigation to another indicator and a
quarter, with the coloured map and the sites' table; axe-core on every state of the page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from inka.core.demo import demo_generate
from inka.monitoring.catalogue import indicator
from tests.browser.test_shell import log_in, shot


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def test_the_coordinator_compares_the_sites_on_the_map(page: Page, live_server, demo, check_axe):
    last_year = timezone.localdate().year - 1
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "koordination")

    # "Kennzahlen" leads the coordinator to the programme dashboard.
    page.locator("nav a[href='/kennzahlen/']").first.click()
    expect(page).to_have_url(f"{live_server.url}/kennzahlen/programm/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    map_image = page.locator("svg.inka-map")
    expect(map_image).to_be_visible()
    assert map_image.locator("circle").count() >= 15  # the demo's sites with coordinates
    assert check_axe(page) == []
    shot(page, "programme-1-default")

    # Another indicator and a quarter of last year.
    page.locator("select[name=indicator]").select_option("persons.counselled")
    page.locator("select[name=period]").select_option(f"{last_year}-Q2")
    page.locator("form.programme-form button[type=submit]").click()
    expect(page).to_have_url(
        f"{live_server.url}/kennzahlen/programm/?indicator=persons.counselled&period={last_year}-Q2"
    )
    name = str(indicator("persons.counselled").name)
    expect(page.locator(".dashboard-period")).to_contain_text(name)
    expect(page.locator("svg.inka-map title").first).to_contain_text(name)
    sites = page.locator("table:has(#mon-table-sites-caption)")
    expect(sites.locator("caption")).to_contain_text(name)
    alt = sites.locator("tbody tr", has_text="ALT – ").first
    expect(alt).to_be_visible()
    expect(alt.get_by_role("link")).to_have_attribute("href", re.compile(r"^/kennzahlen/standorte/\d+/$"))
    assert check_axe(page) == []
    shot(page, "programme-2-quarter")

    # A period that is not offered: the message at the field, nothing else.
    page.goto(f"{live_server.url}/kennzahlen/programm/?period=1999")
    expect(page.locator("select[name=period]")).to_have_attribute("aria-invalid", "true")
    assert check_axe(page) == []
