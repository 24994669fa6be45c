"""Two-factor login in Chromium: a demo caseworker without an authenticator sets it up (QR code as
inline SVG, confirmation code, recovery codes), logs in again with a recovery code, and finds the
security page; the technical administration's account list with its new actions. axe-clean."""

import re
import time

import pytest
from django.utils.translation import gettext, ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from inka.core.demo import DEMO_PASSWORD, demo_generate
from tests.browser.test_shell import log_in, log_out, shot

EMAIL = "lotse.alt@inka.example"


@pytest.fixture
def demo(transactional_db):
    return demo_generate(scale=0.02)


def password_step(page: Page, base: str) -> None:
    page.goto(f"{base}/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_enrolment_then_login_with_a_recovery_code(page, live_server, demo, check_axe):
    base = live_server.url
    password_step(page, base)
    # No authenticator yet: the login continues with setting one up, and nothing else is reachable.
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Set up two-factor login"))
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_have_count(0)
    qr = page.locator("figure svg.qr-code")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150
    secret = page.locator(".totp-secret code").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret)
    assert check_axe(page) == []
    shot(page, "second-factor-enrol")

    page.goto(f"{base}/personen/")
    expect(page).to_have_url(re.compile(r"/anmelden/zweiter-faktor/einrichten/"))

    code_field = page.get_by_label(gettext("Six-digit code from the app"))
    code_field.fill("123")
    page.get_by_role("button", name=gettext("Set up")).click()
    expect(code_field).to_have_attribute("aria-invalid", "true")
    assert check_axe(page) == []

    device = TOTPDevice.objects.get(user__email=EMAIL, confirmed=False)
    page.get_by_label(gettext("Six-digit code from the app")).fill(code_of(device))
    page.get_by_role("button", name=gettext("Set up")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Your recovery codes"))
    codes = page.get_by_role("list", name=gettext("Recovery codes")).get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert check_axe(page) == []
    shot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name=gettext("I have kept the codes safe – continue")).click()
    # The login asked for /personen/ first; that page comes after the second factor.
    expect(page).to_have_url(re.compile(r"/personen/$"))

    log_out(page)
    password_step(page, base)
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Confirm your login"))
    assert check_axe(page) == []
    shot(page, "second-factor-login")
    page.get_by_label(gettext("Code from the app or recovery code")).fill(codes[0])
    page.get_by_role("button", name=gettext("Confirm")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guten Tag")

    page.locator(".shell-account summary").click()
    page.get_by_role("link", name=gettext("Security")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Security"))
    left = ngettext("%(left)s unused recovery code left.", "%(left)s unused recovery codes left.", 9)
    expect(page.get_by_text(left % {"left": 9})).to_be_visible()
    assert check_axe(page) == []
    shot(page, "security-page")


def test_account_list_with_session_and_second_factor_actions_passes_axe(page, live_server, demo, check_axe):
    log_in(page, live_server.url, "lotse.alt")  # sets up lotse.alt's authenticator
    log_out(page)
    log_in(page, live_server.url, "technik")
    page.goto(f"{live_server.url}/konten/")
    row = page.get_by_role("row").filter(has_text=EMAIL)
    expect(row.get_by_role("button", name=re.compile(gettext("End sessions")))).to_be_visible()
    expect(row.get_by_role("button", name=re.compile(gettext("Reset second factor")))).to_be_visible()
    assert check_axe(page) == []
    shot(page, "account-list")
