"""The volunteer journey of a caseworker: hours for a session and for a month, the totals, the
certificate as PDF; then an outreach round recorded on a phone, whose conversations show up among
the anonymous contacts. axe-core on every page."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from inka.cases.models import Contact, ContactMode
from inka.community.models import OutreachRound, Session, Volunteer, VolunteerHours
from inka.core.demo import demo_generate
from tests.browser.test_shell import log_in, shot


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def active_volunteer_and_session() -> tuple[Volunteer, Session]:
    """An active volunteer of ALT and a past session of ALT's projects the volunteer has no hours for."""
    today = timezone.localdate()
    with scopes_disabled():
        volunteer = Volunteer.objects.filter(site__code="ALT", until=None).order_by("last_name", "pk").first()
        assert volunteer is not None
        session = (
            Session.objects.filter(project__site__code="ALT", held_on__lte=today)
            .exclude(volunteer_hours__volunteer=volunteer)
            .order_by("-held_on", "-pk")
            .first()
        )
        assert session is not None
    return volunteer, session


def total_hours(volunteer: Volunteer) -> Decimal:
    with scopes_disabled():
        return VolunteerHours.objects.filter(volunteer=volunteer).aggregate(total=Sum("hours"))[
            "total"
        ] or Decimal(0)


def test_caseworker_logs_volunteer_hours_and_downloads_the_certificate(
    page: Page, live_server, demo, check_axe
):
    volunteer, session = active_volunteer_and_session()
    before = total_hours(volunteer)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "lotse.alt")

    page.goto(f"{live_server.url}/gemeinwesen/ehrenamtliche/")
    assert check_axe(page) == []
    shot(page, "volunteers-1-list")
    page.get_by_role("link", name=f"{volunteer.last_name}, {volunteer.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{volunteer.first_name} {volunteer.last_name}")
    assert check_axe(page) == []

    # Hours at a session of the site's projects …
    page.locator("a[href$='/stunden/neu/']").click()
    assert check_axe(page) == []
    shot(page, "volunteers-2-hours-form")
    session_form = page.locator("form", has=page.locator("input[name=kind][value=session]"))
    session_form.locator("select[name='session-session']").select_option(str(session.pk))
    session_form.locator("input[name='session-hours']").fill("2,5")
    session_form.locator("input[name='session-activity']").fill("Aufbau und Kuchenbuffet")
    session_form.locator("button[type=submit]").click()
    expect(page.locator("#stunden")).to_contain_text("Aufbau und Kuchenbuffet")

    # … and over last month.
    page.locator("a[href$='/stunden/neu/']").click()
    month_form = page.locator("form", has=page.locator("input[name=kind][value=month]"))
    month_form.locator("input[name='month-month']").fill(f"{last_month:%Y-%m}")
    month_form.locator("input[name='month-hours']").fill("6")
    month_form.locator("input[name='month-activity']").fill("Hausaufgabenhilfe")
    month_form.locator("button[type=submit]").click()
    expect(page.locator("#stunden")).to_contain_text("Hausaufgabenhilfe")

    # The totals on the page follow.
    after = total_hours(volunteer)
    assert after == before + Decimal("8.5")
    total_text = f"{after.normalize():f}".replace(".", ",")
    expect(page.locator("#h-totals + p")).to_contain_text(total_text)
    assert check_axe(page) == []
    shot(page, "volunteers-3-detail-with-hours")

    # The certificate comes as a PDF with the name and the hours of the period.
    page.locator("a[href$='/nachweis/']").click()
    assert check_axe(page) == []
    shot(page, "volunteers-4-certificate-form")
    with page.expect_download() as download_info:
        page.locator("form button[type=submit]").last.click()
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    assert content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert f"{volunteer.first_name} {volunteer.last_name}" in text
    assert total_text in text


def test_caseworker_records_an_outreach_round_on_a_phone(page: Page, live_server, demo, check_axe):
    today = timezone.localdate()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "lotse.alt")

    page.goto(f"{live_server.url}/gemeinwesen/rundgaenge/")
    assert check_axe(page) == []
    conversations_before = int(page.locator("#outreach-year-totals strong").inner_text())
    with scopes_disabled():
        contacts_before = Contact.objects.filter(site__code="ALT", case=None).count()
    shot(page, "outreach-1-list-phone")

    page.locator("a[href$='/rundgaenge/neu/']").click()
    page.locator("#id_area").fill("Spielplatz Karl-Marx-Straße")
    page.locator("#id_duration_minutes").fill("60")
    page.locator("#id_conversations").fill("7")
    page.locator("#id_topic_money").fill("3")
    page.locator("#id_topic_housing").fill("2")
    assert check_axe(page) == []
    shot(page, "outreach-2-form-phone")
    page.locator("form.quick-form button[type=submit]").click()

    expect(page.locator("#outreach-year-totals strong")).to_have_text(str(conversations_before + 7))
    expect(page.get_by_role("cell", name="Spielplatz Karl-Marx-Straße").first).to_be_visible()
    assert check_axe(page) == []
    shot(page, "outreach-3-list-after-phone")

    # The conversations are among the site's anonymous contacts now, seven more of them today.
    page.goto(f"{live_server.url}/kontakte/")
    with scopes_disabled():
        assert Contact.objects.filter(site__code="ALT", case=None).count() == contacts_before + 7
        outreach = OutreachRound.objects.get(area="Spielplatz Karl-Marx-Straße", held_on=today)
        assert outreach.contacts.filter(mode=ContactMode.OUTREACH, case=None).count() == 7
    todays = page.locator("tbody tr", has=page.locator("td", has_text=f"{today:%d.%m.%Y}"))
    expect(todays.first).to_be_visible()
    assert todays.count() >= 7
    assert check_axe(page) == []
    shot(page, "outreach-4-anonymous-contacts-phone")
