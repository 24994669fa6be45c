"""Neighbourhood work in Chromium: a caseworker creates a community project, records a festival of 600
guests with one number and a session with a named participant, logs the hours volunteers gave at the
festival, and finds all of it in the project's figures; axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from inka.cases.models import Consent, Person
from inka.core.demo import demo_generate
from tests.browser.test_shell import log_in, shot


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def consenting_person() -> Person:
    """A demo person at ALT who consented to named participation before today."""
    today = timezone.localdate()
    with scopes_disabled():
        person = (
            Person.objects.filter(
                site__code="ALT",
                consents__purpose=Consent.Purpose.COMMUNITY,
                consents__given_on__lt=today,
                consents__withdrawn_on=None,
                consents__expires_on=None,
            )
            .order_by("last_name", "first_name", "pk")
            .first()
        )
    assert person is not None, "the demo gives some persons at ALT a consent to named participation"
    return person


def test_caseworker_records_a_project_with_a_headcount_and_a_named_participant(
    page: Page, live_server, demo, check_axe
):
    person = consenting_person()
    today = timezone.localdate()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "lotse.alt")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Gemeinwesenarbeit"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeinwesenprojekte")
    assert check_axe(page) == []
    shot(page, "community-1-projects")

    # A new project
    page.get_by_role("link", name="Neues Projekt").click()
    page.get_by_label("Titel").fill("Sommerfest am Nordplatz")
    page.get_by_label("Projektart").select_option(label="Stadtteilfest")
    page.get_by_label("Beginn").fill((today - timedelta(days=14)).isoformat())
    page.get_by_label("Budget (€)").fill("2.500")
    page.get_by_role("group", name="Beteiligte Partner").get_by_role("checkbox").first.check()
    assert check_axe(page) == []
    shot(page, "community-2-project-form")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sommerfest am Nordplatz")
    assert check_axe(page) == []

    # The festival: 600 guests in one field
    page.get_by_role("link", name="Termin hinzufügen", exact=True).click()
    page.get_by_label("Datum").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("Titel").fill("Fest auf dem Nordplatz")
    page.get_by_label("Anzahl nach Altersgruppe und Geschlecht").check()
    assert check_axe(page) == []
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teilnehmendenzahl")
    page.get_by_label("Gäste insgesamt (Alter und Geschlecht unbekannt)").fill("600")
    assert check_axe(page) == []
    page.get_by_role("button", name="Teilnehmendenzahl speichern").click()
    expect(page.locator("#session-total")).to_have_text("Bisher erfasst: 600 Personen")
    assert check_axe(page) == []
    shot(page, "community-3-headcount")

    # A session with a named participant who consented
    page.get_by_role("link", name="Sommerfest am Nordplatz").click()
    page.get_by_role("link", name="Termin hinzufügen", exact=True).click()
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("namentliche Teilnahme").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teilnehmende")
    page.get_by_role("searchbox", name="Name").fill(person.last_name)
    page.get_by_role("button", name="Suchen").click()
    assert check_axe(page) == []
    shot(page, "community-4-search")
    page.get_by_role("button", name=f"Hinzufügen {person.first_name} {person.last_name}").click()
    participants = page.get_by_role("table", name="Namentlich Teilnehmende des Termins")
    expect(participants.get_by_role("link", name=f"{person.last_name}, {person.first_name}")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "community-5-participants")

    # The project's figures: 600 guests and one named participant
    page.get_by_role("link", name="Zurück zum Projekt").click()
    expect(page.locator("#attendance-total")).to_have_text("601")
    sessions = page.get_by_role("table", name="Termine des Projekts, die neuesten zuerst")
    expect(sessions.get_by_role("row").filter(has_text="Fest auf dem Nordplatz")).to_contain_text("600")
    expect(page.get_by_role("link", name=f"{person.last_name}, {person.first_name}")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "community-6-project-figures")

    # Volunteers helped at the festival: their hours, entered for the session at once
    festival_day = (today - timedelta(days=7)).strftime("%d.%m.%Y")
    sessions.get_by_role("link", name=f"Ehrenamtsstunden {festival_day}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ehrenamtsstunden bei einem Termin")
    hours = page.get_by_role("table", name="Stunden je ehrenamtlicher Person").get_by_role("textbox")
    hours.nth(0).fill("4")
    hours.nth(1).fill("2,5")
    assert check_axe(page) == []
    shot(page, "community-7-session-hours")
    page.get_by_role("button", name="Stunden speichern").click()
    expect(page.locator(".kern-alert")).to_be_visible()
    page.get_by_role("link", name="Zurück zum Projekt").click()
    expect(page.get_by_text("6,5 Stunden von 2 Ehrenamtlichen")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "community-8-project-with-hours")
