"""Browser journeys in Chromium: every demo role logs in and gets its navigation; the main pages
pass axe-core (no serious or critical WCAG 2.1 AA violation) and work on a phone."""

import os
from pathlib import Path

import pytest
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from inka.accounts.models import User
from inka.core.demo import DEMO_PASSWORD, demo_generate
from inka.programme.models import Site

# Set INKA_SCREENSHOTS=/some/dir to keep a screenshot of every page the tests visit.
SCREENSHOTS = os.environ.get("INKA_SCREENSHOTS")

CASE_WORK = ["Arbeitsliste", "Fälle", "Personen", "Anonyme Kontakte", "ESF-Teilnahmen", "ESF-Bericht"]
NEIGHBOURHOOD = ["Gemeinwesenarbeit", "Netzwerk", "Steuerungsgruppe", "Kennzahlen"]
NAVIGATION = {
    "lotse.alt": ["Start", *CASE_WORK, "Standorte", *NEIGHBOURHOOD],
    "leitung.alt": ["Start", *CASE_WORK, "Standorte", *NEIGHBOURHOOD, "Team", "Datenschutz", "Protokolle"],
    "lesend.alt": ["Start", *CASE_WORK[1:], "Standorte", *NEIGHBOURHOOD],
    "steuerung.alt": ["Start", "Arbeitsliste", "ESF-Bericht", "Standorte", *NEIGHBOURHOOD],
    "koordination": ["Start", "ESF-Bericht", "Standorte", *NEIGHBOURHOOD],
    "datenschutz": ["Start", "Standorte", "Datenschutz", "Protokolle"],
    "technik": ["Start", "Standorte", "Benutzerkonten"],
}


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def authenticator_code(email: str) -> str:
    """The code the person's authenticator app shows now; the app is set up on first use."""
    user = User.objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    # Tests log the same person in again within one 30-second step, where a person would wait for
    # the next code; tests/security/test_b2_authentication.py proves that a used code is refused.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(page: Page, base: str, local: str) -> None:
    """Password, then the second factor, as every login goes."""
    page.goto(f"{base}/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(f"{local}@inka.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    code = authenticator_code(f"{local}@inka.example")  # before the password: the app is set up
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_label(gettext("Code from the app or recovery code")).fill(code)
    page.get_by_role("button", name=gettext("Confirm")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")


def log_out(page: Page) -> None:
    page.locator(".shell-account summary").click()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Bei INKA anmelden")).to_be_visible()


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def test_every_demo_role_logs_in_and_sees_the_navigation_its_role_allows(page, live_server, demo):
    for local, expected in NAVIGATION.items():
        log_in(page, live_server.url, local)
        navigation = page.get_by_role("navigation", name="Hauptnavigation")
        assert navigation.get_by_role("link").all_inner_texts() == expected, local
        shot(page, f"start-{local}")
        log_out(page)


def test_login_start_site_list_and_site_detail_pass_axe(page, live_server, demo, check_axe):
    page.goto(f"{live_server.url}/anmelden/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert check_axe(page) == []
    page.get_by_role("button", name="Anmelden").click()  # empty form: the error state
    expect(page.locator(".kern-error").first).to_be_visible()
    assert check_axe(page) == []
    shot(page, "login-errors")

    for local in ("lotse.alt", "koordination"):
        log_in(page, live_server.url, local)
        assert check_axe(page) == [], local
        page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Standorte").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Standorte")
        assert check_axe(page) == [], local
        shot(page, f"site-list-{local}")
        page.get_by_role("table").get_by_role("link").first.click()
        expect(page.get_by_role("heading", name="Träger und Sozialraum im Zeitverlauf")).to_be_visible()
        assert check_axe(page) == [], local
        shot(page, f"site-detail-{local}")
        log_out(page)


def test_coordinator_edits_a_site_with_a_mistake_and_then_correctly(page, live_server, demo, check_axe):
    log_in(page, live_server.url, "koordination")
    site = Site.objects.get(code="ALT")
    page.goto(f"{live_server.url}/standorte/{site.pk}/bearbeiten/")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Speichern").click()
    name_field = page.get_by_label("Name")
    expect(name_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name-error")).to_contain_text("Dieses Feld ist zwingend erforderlich")
    assert check_axe(page) == []
    shot(page, "site-edit-errors")
    name_field.fill("ThINKA Altenburg-Nord")
    page.get_by_label("Öffnungszeiten").fill("Mo–Do 9–15 Uhr")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ThINKA Altenburg-Nord")
    expect(page.get_by_text("Mo–Do 9–15 Uhr")).to_be_visible()


def test_pages_fit_a_phone_and_the_skip_link_comes_first(page, live_server, demo, check_axe):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server.url, "lotse.zwei")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    shot(page, "start-phone")
    # The caseworker works at two sites and switches between them.
    page.get_by_label("Standort", exact=True).select_option(label="JEN – ThINKA Jena-Winzerla")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Jena")
    assert check_axe(page) == []


def test_public_site_page_without_login(page, live_server, demo, check_axe):
    page.goto(f"{live_server.url}/standort/ALT/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Altenburg")
    expect(page.get_by_text("Öffnungszeiten")).to_be_visible()
    assert check_axe(page) == []
    shot(page, "public-site")


BAD_PAGE = '<!doctype html><html><head><title>Test</title></head><body><img src="x.png"></body></html>'


def test_axe_check_reports_serious_violations(page, check_axe):
    """Guards against a check that always answers []."""
    page.set_content(BAD_PAGE)
    assert {"html-has-lang", "image-alt"} <= {violation["id"] for violation in check_axe(page)}
