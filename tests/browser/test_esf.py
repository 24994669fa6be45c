"""The ESF journey of a caseworker: entry questionnaire with a refused sensitive item on a demo case,
exit, a job outcome adopted as result, and the site's ESF report changing accordingly; axe-core on
every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from inka.accounts.models import User
from inka.cases.models import Case, Consent, Person
from inka.cases.tests.factories import make_consent
from inka.core.demo import demo_generate
from inka.employment.models import JobOutcome
from tests.browser.test_shell import log_in, shot


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def demo_case_without_participation() -> Case:
    """An open case at ALT with counselling consent whose person has no ESF participation yet, with a
    job that starts today recorded in the employment app."""
    today = timezone.localdate()
    with scopes_disabled():
        case = (
            Case.objects.filter(
                site__code="ALT",
                status=Case.Status.OPEN,
                person__consents__purpose=Consent.Purpose.COUNSELLING,
                person__consents__withdrawn_on=None,
                person__participations=None,
                job_outcomes=None,
            )
            .order_by("-opened_on", "pk")
            .first()
        ) or open_case_for_a_demo_person(today)
        JobOutcome.objects.create(
            case=case,
            kind=JobOutcome.Kind.EMPLOYMENT,
            starts_on=today,
            employer_or_provider="Altenburger Stadtwerke",
        )
    return case


def open_case_for_a_demo_person(today) -> Case:
    """The demo's open cases depend on the day; when none is free, lotse.alt opens one more."""
    person = (
        Person.objects.filter(site__code="ALT", participations=None, restricted_at=None)
        .order_by("pk")
        .first()
    )
    assert person is not None
    caseworker = User.objects.get(email="lotse.alt@inka.example")
    consent = person.consents.filter(purpose=Consent.Purpose.COUNSELLING, withdrawn_on=None).exists()
    if not consent:
        make_consent(person, caseworker, given_on=today - timedelta(days=30))
    return Case.objects.create(
        site=person.site,
        person=person,
        caseworker=caseworker,
        reference=f"ALT-{today.year}-9001",
        opened_on=today - timedelta(days=30),
    )


def report_figure(page: Page, code: str) -> int:
    """The total of one indicator in the report table (desktop layout)."""
    row = page.locator("tr", has=page.locator("th", has_text=code)).first
    return int(row.locator("td").first.inner_text().replace(".", ""))


def test_caseworker_records_an_esf_participation_and_the_report_changes(
    page: Page, live_server, demo, check_axe
):
    case = demo_case_without_participation()
    today = timezone.localdate()
    entry = max(case.opened_on, today - timedelta(days=30))
    leave = today
    report_url = (
        f"{live_server.url}/esf/bericht/?period_from={entry.replace(month=1, day=1).isoformat()}"
        f"&period_to={today.isoformat()}"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "lotse.alt")

    page.goto(report_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("ESF")
    assert check_axe(page) == []
    participants_before = report_figure(page, "EECO11")
    employed_before = report_figure(page, "EECR04")
    shot(page, "esf-1-report-before")

    # The participation begins on the case page.
    page.goto(f"{live_server.url}/faelle/{case.pk}/")
    section = page.locator("section#esf")
    section.get_by_label("Eintrittsdatum").fill(entry.isoformat())
    section.get_by_role("button", name="ESF-Teilnahme beginnen").click()

    # The entry questionnaire follows at once; disability is refused.
    expect(page.get_by_role("heading", level=1)).to_have_text("Stammblatt")
    page.get_by_label("arbeitslos, einschließlich langzeitarbeitslos").check()
    page.get_by_label("Arbeitslos gemeldet seit").fill((entry - timedelta(days=400)).isoformat())
    page.get_by_label("Schulabschluss", exact=True).select_option(value="MITTLERE_REIFE")
    page.get_by_label("Berufs- oder Studienabschluss").select_option(value="APPRENTICESHIP")
    page.get_by_role("group", name="Behinderung").get_by_label("Keine Angabe (verweigert)").check()
    page.get_by_label("Sensible Angaben erfragt am").fill(entry.isoformat())
    page.get_by_label("Merkblatt", exact=False).fill(entry.isoformat())
    assert check_axe(page) == []
    shot(page, "esf-3-entry-questionnaire")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("zählt in den ESF-Indikatoren")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "esf-4-complete")

    # The exit, then the job outcome from the employment app as result, with one click.
    page.get_by_role("link", name="Austritt erfassen").first.click()
    page.get_by_label("Austrittsdatum").fill(leave.isoformat())
    assert check_axe(page) == []
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Als Ergebnis übernehmen").first.click()
    expect(page.get_by_text("übernommen").first).to_be_visible()
    assert check_axe(page) == []
    shot(page, "esf-5-result-adopted")

    page.goto(report_url)
    assert report_figure(page, "EECO11") == participants_before + 1
    assert report_figure(page, "EECR04") == employed_before + 1
    assert check_axe(page) == []
    shot(page, "esf-6-report-after")
