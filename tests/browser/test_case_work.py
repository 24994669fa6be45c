"""The case-work journey of a caseworker on a phone, from an anonymous contact to a closed case,
with the partner answering a referral through its one-time link; axe-core on every page."""

import pytest
from playwright.sync_api import Browser, Page, expect

from inka.core.demo import demo_generate
from tests.browser.test_shell import log_in, shot

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def new_phone_page(browser: Browser) -> Page:
    context = browser.new_context(
        viewport=PHONE, locale="de-DE", timezone_id="Europe/Berlin", bypass_csp=True
    )
    return context.new_page()


def save(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_caseworker_on_a_phone_from_anonymous_contact_to_closed_case(browser, live_server, demo, check_axe):
    page = new_phone_page(browser)
    base = live_server.url
    log_in(page, base, "lotse.alt")

    # An anonymous contact in seconds, from the button in the header.
    page.get_by_role("link", name="Kontakt erfassen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymen Kontakt erfassen")
    assert check_axe(page) == []
    page.get_by_label("Aufsuchend im Quartier").check()
    page.get_by_label("Geld und Schulden").check()
    page.get_by_label("Wohnen").check()
    page.get_by_label("Dauer (Minuten)").fill("20")
    save(page, "Kontakt speichern")
    expect(page.get_by_role("status")).to_contain_text("Gespeichert:")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "case-1-anonymous-contact")

    # One tap turns it into a case for a new person; the duplicate warning stays quiet.
    page.get_by_role("link", name="Aus diesem Kontakt einen Fall machen").click()
    page.get_by_label("Vorname").fill("Rosemarie")
    page.get_by_label("Nachname").fill("Quandt-Zwilling")
    page.get_by_label("Geburtsdatum").fill("1968-05-17")
    page.get_by_label("Lebenssituation").fill("Mietschulden nach Jobverlust, lebt allein.")
    expect(page.get_by_label("Geld und Schulden")).to_be_checked()  # carried over from the contact
    assert check_axe(page) == []
    shot(page, "case-2-open-case")
    save(page, "Fall eröffnen")

    # Without consent nothing can be recorded: the consent form comes first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Einwilligung erfassen")
    assert check_axe(page) == []
    page.get_by_label("Beratung und Dokumentation").check()
    save(page, "Speichern")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosemarie Quandt-Zwilling")
    case_url = page.url
    page.get_by_role("link", name="Einwilligung erfassen").last.click()
    page.get_by_label("Weitergabe an einen Partner").check()
    page.get_by_label("Partnerart").select_option(label="Schuldnerberatung")
    save(page, "Speichern")
    assert check_axe(page) == []
    shot(page, "case-3-case-page")

    # A contact on the case.
    page.get_by_role("link", name="Kontakt hinzufügen").first.click()
    page.get_by_label("Termin im Büro").check()
    page.get_by_label("Geld und Schulden").check()
    page.get_by_label("Anmerkung").fill("Kontoauszüge gesichtet, Haushaltsplan begonnen.")
    page.get_by_label("Nächster Schritt").fill("Termin bei der Schuldnerberatung")
    assert check_axe(page) == []
    save(page, "Speichern")
    expect(page.get_by_text("Kontoauszüge gesichtet, Haushaltsplan begonnen.")).to_be_visible()

    # A goal in the help plan: the person acts.
    page.get_by_role("link", name="Ziel hinzufügen").click()
    page.get_by_label("Ziel", exact=True).fill("Mietschulden in Raten abzahlen")
    assert check_axe(page) == []
    save(page, "Speichern")
    expect(page.locator("#hilfeplan")).to_contain_text("Mietschulden in Raten abzahlen")

    # A barrier assessment at intake.
    page.get_by_role("link", name="Hemmnisse einschätzen").click()
    page.get_by_label("Schulden", exact=True).select_option(value="3")
    page.get_by_label("Mobilität", exact=True).select_option(value="1")
    assert check_axe(page) == []
    save(page, "Speichern")
    expect(page.locator("#arbeit")).to_contain_text("Schulden")

    # A follow-up on the work list.
    page.get_by_role("link", name="Wiedervorlage anlegen").click()
    page.get_by_label("Fällig am").fill("2099-01-15")
    page.get_by_label("Was zu tun ist").fill("Rückmeldung der Schuldnerberatung erfragen")
    assert check_axe(page) == []
    save(page, "Speichern")
    expect(page.locator("#wiedervorlagen")).to_contain_text("Rückmeldung der Schuldnerberatung erfragen")

    # The referral: consent for debt counselling exists, so it goes out with a one-time link.
    page.get_by_role("link", name="An einen Partner vermitteln").click()
    partner_select = page.get_by_label("Partner – optional", exact=True)  # a service can name it instead
    debt_counselling = partner_select.locator("option", has_text="Schuldnerberatung").first.get_attribute(
        "value"
    )
    partner_select.select_option(value=debt_counselling)
    page.get_by_label("Zweck").fill("Schuldnerberatung, Ratenplan mit dem Vermieter")
    assert check_axe(page) == []
    save(page, "Vermittlung senden")
    link = page.get_by_label("Link für den Partner").input_value()
    assert "/vermittlung/" in link
    assert check_axe(page) == []
    shot(page, "case-4-referral")

    # The partner, without an account, answers once.
    partner = new_phone_page(browser)
    partner.goto(link)
    expect(partner.get_by_text("Rosemarie Quandt-Zwilling")).to_be_visible()
    expect(partner.get_by_text("1968")).to_have_count(0)  # minimum data: no birth date
    assert check_axe(partner) == []
    partner.get_by_label("Wir nehmen die Vermittlung an.").check()
    partner.get_by_label("Ihr Name").fill("F. Berater")
    save(partner, "Antwort senden")
    expect(partner.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Antwort")
    shot(partner, "case-5-partner-answered")
    partner.goto(link)
    expect(partner.get_by_role("heading", level=1)).to_have_text("Dieser Link wurde bereits verwendet")

    # The answer shows on the case; then the case is closed.
    page.goto(case_url)
    expect(page.locator("#vermittlungen")).to_contain_text("angenommen")
    page.get_by_role("link", name="Fall abschließen").click()
    page.get_by_label("Grund").select_option(label="Ziele erreicht")
    page.get_by_label("Ergebnis").fill("Ratenplan steht, Wohnung gesichert.")
    assert check_axe(page) == []
    save(page, "Fall abschließen")
    expect(page.locator(".kern-preline")).to_contain_text("abgeschlossen")
    assert check_axe(page) == []
    shot(page, "case-6-closed")
