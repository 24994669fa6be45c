"""Authentication and sessions (security-anchors.md (b) 12–18): the second factor, lockout without
enumeration, password policy, session regeneration, timeouts, logout and ending other sessions.

Logins here go through the real forms (password, then the code of the authenticator app); the
codes are computed from the device key like an app would. Time is frozen where a code or a limit
depends on it, so that no test flickers at the edge of a 30-second step.
"""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.checks import Tags, run_checks
from django.test import Client
from django.urls import resolve, reverse
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, log_in_verified
from inka.accounts.models import User
from inka.core.models import AuditEntry
from inka.core.tests.test_url_matrix import POLICY, case_work_a

LOGIN_URL = "/anmelden/"
SECOND_FACTOR_URL = "/anmelden/zweiter-faktor/"
EMAIL = "caseworker@nord.test"
# The German messages (gettext: the catalog holds them once the translations are compiled).
NOT_CORRECT = gettext("The code is not correct or has already been used.")
TOO_MANY = gettext("Too many wrong codes. Please wait a moment, then try again.")
# The middle of a 30-second step: codes of this step and the steps around it are unambiguous.
NOON = datetime(2025, 3, 3, 11, 0, 15, tzinfo=UTC)


def enrol(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_of(device: TOTPDevice, *, steps_back: int = 0) -> str:
    """The code the authenticator app shows now (or `steps_back` steps ago)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() - steps_back * device.step
    return f"{totp.token():0{device.digits}d}"


def password_step(client: Client, email: str = EMAIL, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"username": email, "password": password})


def full_login(client: Client, device: TOTPDevice, email: str = EMAIL) -> None:
    assert password_step(client, email).status_code == 302
    response = client.post(SECOND_FACTOR_URL, {"code": code_of(device)})
    assert response.status_code == 302, response.content.decode()


def session_exists(key: str | None) -> bool:
    return bool(key) and Session.objects.filter(session_key=key).exists()


# --- t12: the second factor ----------------------------------------------------------------------


def test_t12_password_alone_reaches_no_data_page(world):
    """Every GET route of the matrix, with the data of site A, answered to a password-only session."""
    caseworker = world.user("caseworker")
    enrol(caseworker)
    person = case_work_a(world).person
    client = Client()
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR_URL)
    reachable = {"accounts:second_factor": 200, "accounts:logout": 405}
    checked = 0
    for name, policy in sorted(POLICY.items()):
        url = reverse(name, kwargs=policy.kwargs(world))
        if not getattr(resolve(url).func, "login_required", True):
            continue  # public pages (the partner's answer link, password reset) need no login at all
        response = client.get(url)
        body = response.content.decode(errors="replace")
        assert person.last_name not in body, name
        assert person.first_name not in body, name
        if name in reachable:
            assert response.status_code == reachable[name], name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith(SECOND_FACTOR_URL), name
            checked += 1
    assert checked > 100
    # An htmx request is sent to the step as a whole page.
    response = client.get(reverse("cases:person_list"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(SECOND_FACTOR_URL)
    assert person.last_name not in response.content.decode()


def test_t12_the_code_leads_on_to_the_page_asked_for(world):
    enrol(world.user("caseworker"))
    client = Client()
    person_list = reverse("cases:person_list")
    with time_machine.travel(NOON, tick=False):
        client.post(f"{LOGIN_URL}?next={person_list}", {"username": EMAIL, "password": PASSWORD})
        assert client.get(person_list)["Location"] == f"{SECOND_FACTOR_URL}?next=%2Fpersonen%2F"
        device = TOTPDevice.objects.get(user=world.user("caseworker"))
        response = client.post(SECOND_FACTOR_URL, {"code": code_of(device), "next": person_list})
        assert response["Location"] == person_list
        assert client.get(person_list).status_code == 200
        # Only pages of this site are followed after the step.
        assert client.post(SECOND_FACTOR_URL, {"next": "https://evil.example/"})["Location"] == "/"


def test_t12_a_used_code_is_refused_the_second_time(world):
    device = enrol(world.user("caseworker"))
    with time_machine.travel(NOON, tick=False):
        code = code_of(device)
        first, second = Client(), Client()
        password_step(first)
        assert first.post(SECOND_FACTOR_URL, {"code": code}).status_code == 302
        password_step(second)
        response = second.post(SECOND_FACTOR_URL, {"code": code})
        assert response.status_code == 400
        assert response.context["form"].errors["code"] == [NOT_CORRECT]
        assert second.get("/").status_code == 302
        # django-otp refuses every code up to the step of the last one used (t <= last_t).
        device.refresh_from_db()
        assert device.verify_token(code) is False


def test_t12_a_code_from_two_steps_ago_is_refused(world):
    device = enrol(world.user("caseworker"))
    with time_machine.travel(NOON, tick=False) as traveller:
        client = Client()
        password_step(client)
        assert client.post(SECOND_FACTOR_URL, {"code": code_of(device, steps_back=2)}).status_code == 400
        traveller.shift(timedelta(seconds=5))  # past the throttling pause of one wrong code
        # The step before is still accepted (the clocks of phones drift a little).
        assert client.post(SECOND_FACTOR_URL, {"code": code_of(device, steps_back=1)}).status_code == 302


def test_t12_wrong_codes_slow_down_the_next_try(world):
    device = enrol(world.user("caseworker"))
    with time_machine.travel(NOON, tick=False) as traveller:
        client = Client()
        password_step(client)
        assert client.post(SECOND_FACTOR_URL, {"code": "000000"}).status_code == 400
        response = client.post(SECOND_FACTOR_URL, {"code": code_of(device)})
        assert response.status_code == 400
        assert response.context["form"].errors["code"] == [TOO_MANY]
        traveller.shift(timedelta(seconds=2))
        assert client.post(SECOND_FACTOR_URL, {"code": code_of(device)}).status_code == 302


def test_t12_a_recovery_code_works_once(world):
    user = world.user("caseworker")
    enrol(user)
    StaticToken.objects.create(device=StaticDevice.objects.create(user=user, name="codes"), token="abcd2345")
    first, second = Client(), Client()
    password_step(first)
    assert first.post(SECOND_FACTOR_URL, {"code": "ABCD 2345"}).status_code == 302
    assert first.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="inka.user.recovery_code_used", object_id=str(user.pk)).exists()
    password_step(second)
    assert second.post(SECOND_FACTOR_URL, {"code": "abcd2345"}).status_code == 400


def test_t12_enrolment_with_the_password_alone_is_only_possible_without_an_authenticator(world):
    """A second authenticator set up with the password alone would bypass the first one."""
    device = enrol(world.user("caseworker"))
    client = Client()
    password_step(client)
    response = client.get(reverse("accounts:second_factor_enrol"))
    assert response["Location"].startswith(SECOND_FACTOR_URL)
    assert client.post(reverse("accounts:second_factor_enrol"), {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=world.user("caseworker"))) == [device]


def test_t12_enrolment_shows_a_qr_code_and_then_the_recovery_codes_once(world):
    user = world.user("caseworker")
    client = Client()
    with time_machine.travel(NOON, tick=False):
        response = password_step(client)
        response = client.get(response["Location"])
        assert response["Location"].startswith(reverse("accounts:second_factor_enrol"))
        page = client.get(response["Location"])
        html = page.content.decode()
        assert '<svg width="' in html and 'class="qr-code"' in html
        assert "data:image" not in html and "<img" not in html
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        # The page shows the same authenticator until it is confirmed.
        assert client.get(reverse("accounts:second_factor_enrol")).context["secret"] == page.context["secret"]
        wrong = client.post(reverse("accounts:second_factor_enrol"), {"code": "12345"})
        assert wrong.status_code == 400
        assert wrong.context["form"].errors["code"]
        assert client.get("/").status_code == 302
    with time_machine.travel(NOON + timedelta(seconds=30), tick=False):
        done = client.post(reverse("accounts:second_factor_enrol"), {"code": code_of(device)})
        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == len(set(codes)) == 10
        assert all(code in done.content.decode() for code in codes)
        assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(
        codes
    )
    assert AuditEntry.objects.filter(action="inka.user.second_factor_enrolled").count() == 1


def test_t12_new_recovery_codes_need_a_current_code(world, login):
    user = world.user("caseworker")
    client = login(user)
    device = TOTPDevice.objects.get(user=user)
    old = StaticDevice.objects.create(user=user, name="codes")
    StaticToken.objects.create(device=old, token="oldcode2")
    url = reverse("accounts:recovery_codes_renew")
    with time_machine.travel(NOON, tick=False) as traveller:
        refused = client.post(url, {"code": "oldcode2"})
        assert refused.status_code == 400
        assert StaticToken.objects.filter(token="oldcode2").exists()
        traveller.shift(timedelta(seconds=5))
        renewed = client.post(url, {"code": code_of(device)})
    assert renewed.status_code == 200
    assert not StaticToken.objects.filter(token="oldcode2").exists()
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_t12_production_refuses_to_run_without_the_second_factor(settings):
    def errors() -> list[str]:
        return [
            message.id
            for message in run_checks(include_deployment_checks=True, tags=[Tags.security])
            if message.is_serious()
        ]

    assert "inka.accounts.E001" not in errors()
    settings.TWO_FACTOR = False
    assert "inka.accounts.E001" in errors()


def test_t12_the_demo_switch_lets_the_password_alone_in(world, settings):
    settings.TWO_FACTOR = False
    client = Client()
    assert password_step(client)["Location"] == "/"
    assert client.get("/").status_code == 200


# --- t13: lockout without enumeration ------------------------------------------------------------


def _neutral(response, email: str) -> str:
    """The page without what legitimately differs: the CSRF token and the address typed in."""
    body = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", body)


def test_t13_unknown_account_and_wrong_password_get_the_same_answer(world):
    wrong = Client().post(LOGIN_URL, {"username": EMAIL, "password": "falsch-falsch"})
    unknown = Client().post(LOGIN_URL, {"username": "niemand@nord.test", "password": "falsch-falsch"})
    User.objects.filter(email="reader@nord.test").update(is_active=False)
    inactive = Client().post(LOGIN_URL, {"username": "reader@nord.test", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == inactive.status_code == 200
    assert (
        _neutral(wrong, EMAIL)
        == _neutral(unknown, "niemand@nord.test")
        == _neutral(inactive, "reader@nord.test")
    )
    assert "E-Mail-Adresse oder Passwort stimmen nicht." in wrong.content.decode()


def test_t13_repeated_failures_lock_the_login_for_known_and_unknown_accounts(world):
    answers = []
    for email in (EMAIL, "niemand@nord.test"):
        client = Client()
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            client.post(LOGIN_URL, {"username": email, "password": "falsch-falsch"})
        locked = client.post(LOGIN_URL, {"username": email, "password": PASSWORD})
        assert locked.status_code == 429
        assert "Zu viele Versuche" in locked.content.decode()
        answers.append(locked.content.decode())
    assert answers[0] == answers[1]
    # The right password does not help while the lock lasts.
    assert Client().post(LOGIN_URL, {"username": EMAIL, "password": PASSWORD}).status_code == 429


def test_t13_password_reset_answers_alike_for_known_and_unknown_addresses(world):
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": EMAIL})
    unknown = Client().post(url, {"email": "niemand@nord.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [[EMAIL]]


# --- t14: password policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("kurz123", False),  # too short
        ("password123", False),  # common
        ("4711081547110815", False),  # digits only
        ("caseworker@nord.test", False),  # the e-mail address
        ("x" * 64, True),
        ("Lindenblüte am Markt 7", True),
    ],
)
def test_t14_password_policy(world, login, password, ok):
    client = login(world.user("caseworker"))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert (response.status_code == 302) is ok
    assert User.objects.get(email=EMAIL).check_password(password) is ok


# --- t15: session regeneration -------------------------------------------------------------------


def test_t15_session_key_changes_at_login_and_again_after_the_second_factor(world):
    device = enrol(world.user("caseworker"))
    client = Client()
    with time_machine.travel(NOON, tick=False):
        client.get(LOGIN_URL)
        client.session.save()
        anonymous = client.session.session_key
        password_step(client)
        after_password = client.session.session_key
        client.post(SECOND_FACTOR_URL, {"code": code_of(device)})
        after_code = client.session.session_key
        assert client.get("/").status_code == 200
    assert len({anonymous, after_password, after_code}) == 3
    assert not session_exists(anonymous)
    assert not session_exists(after_password)
    assert session_exists(after_code)


# --- t16: idle and absolute timeout --------------------------------------------------------------


def test_t16_idle_timeout_ends_the_session_and_its_row(world):
    device = enrol(world.user("caseworker"))
    client = Client()
    with time_machine.travel(NOON, tick=False) as traveller:
        full_login(client, device)
        assert client.get("/").status_code == 200
        key = client.session.session_key
        assert session_exists(key)
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not session_exists(key)


def test_t16_absolute_timeout_ends_an_active_session_and_its_row(world):
    device = enrol(world.user("caseworker"))
    client = Client()
    with time_machine.travel(NOON, tick=False) as traveller:
        full_login(client, device)
        key = client.session.session_key
        # Stay active every 20 minutes: the idle limit never strikes, the absolute one does.
        steps = settings.SESSION_ABSOLUTE_SECONDS // (20 * 60) - 1
        for _step in range(steps):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=21))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not session_exists(key)


# --- t17: logout and caching ---------------------------------------------------------------------


def test_t17_logout_ends_the_session_and_the_old_cookie_is_worthless(world):
    device = enrol(world.user("caseworker"))
    client = Client()
    with time_machine.travel(NOON, tick=False):
        full_login(client, device)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        client.post(reverse("accounts:logout"))
        assert not session_exists(cookie)
        replay = Client()
        replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = replay.get(reverse("cases:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_t17_pages_carry_no_store_and_the_security_headers(world, login):
    client = login(world.user("caseworker"))
    person = case_work_a(world).person
    for url in ("/", reverse("cases:person_detail", args=[person.pk]), reverse("accounts:security")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    enrol(world.user("reader"))
    half = Client()
    password_step(half, "reader@nord.test")
    assert "no-store" in half.get(SECOND_FACTOR_URL)["Cache-Control"]


# --- t18: ending other sessions ------------------------------------------------------------------


def two_sessions(user: User) -> tuple[Client, Client]:
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        log_in_verified(client, user)
        assert client.get("/").status_code == 200
    return here, elsewhere


def test_t18_deactivation_ends_running_sessions_also_after_reactivation(world, login):
    user = world.user("caseworker")
    _here, elsewhere = two_sessions(user)
    admin = login(world.user("admin"))
    admin.post(reverse("accounts:user_toggle_active", args=[user.pk]))
    assert elsewhere.get("/").status_code == 302
    admin.post(reverse("accounts:user_toggle_active", args=[user.pk]))
    assert User.objects.get(pk=user.pk).is_active
    assert elsewhere.get("/").status_code == 302


def test_t18_password_change_ends_other_sessions_but_keeps_this_one(world):
    here, elsewhere = two_sessions(world.user("caseworker"))
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ein-neues-langes-passwort",
            "new_password2": "ein-neues-langes-passwort",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_t18_log_out_everywhere_ends_every_session_this_one_too(world):
    user = world.user("caseworker")
    here, elsewhere = two_sessions(user)
    key = here.session.session_key
    response = here.post(reverse("accounts:logout_everywhere"))
    assert response["Location"] == reverse("accounts:login")
    assert not session_exists(key)
    assert here.get("/").status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="inka.user.sessions_ended", actor_id=user.pk).count() == 1
    # A new login works as before.
    user.refresh_from_db()
    log_in_verified(elsewhere, user)
    assert elsewhere.get("/").status_code == 200


def test_t18_the_administration_ends_sessions_and_resets_the_second_factor(world, login):
    user = world.user("caseworker")
    _here, elsewhere = two_sessions(user)
    StaticDevice.objects.create(user=user, name="codes")
    for name in ("user_end_sessions", "user_reset_second_factor"):
        url = reverse(f"accounts:{name}", args=[user.pk])
        assert login(world.user("site_lead")).post(url).status_code == 403
        assert login(world.user("admin")).get(url).status_code == 405
    assert elsewhere.get("/").status_code == 200

    admin = login(world.user("admin"))
    assert admin.post(reverse("accounts:user_end_sessions", args=[user.pk])).status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert TOTPDevice.objects.filter(user=user).exists()

    log_in_verified(elsewhere, user)
    assert admin.post(reverse("accounts:user_reset_second_factor", args=[user.pk])).status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    # At the next login the person sets up the authenticator again.
    fresh = Client()
    password_step(fresh)
    assert fresh.get(SECOND_FACTOR_URL)["Location"].startswith(reverse("accounts:second_factor_enrol"))
    actions = set(AuditEntry.objects.filter(actor_id=world.user("admin").pk).values_list("action", flat=True))
    assert {"inka.user.sessions_ended", "inka.user.second_factor_reset"} <= actions
