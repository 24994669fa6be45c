from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from inka import settings as inka_settings
from inka.accounts.models import User

LOGIN_URL = "/anmelden/"


def test_passwords_are_hashed_with_argon2():
    assert inka_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_with_email_in_any_case_lands_on_the_start_page(world, client):
    response = client.post(LOGIN_URL, {"username": "Caseworker@Nord.TEST", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


def test_wrong_password_and_unknown_account_get_the_same_answer(world, client):
    wrong = client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": "falsch-falsch"})
    unknown = client.post(LOGIN_URL, {"username": "niemand@nord.test", "password": "falsch-falsch"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_inactive_account_gets_the_same_answer_as_a_wrong_password(world, client):
    User.objects.filter(email="reader@nord.test").update(is_active=False)
    inactive = client.post(LOGIN_URL, {"username": "reader@nord.test", "password": PASSWORD})
    wrong = client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": "falsch-falsch"})
    assert inactive.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_repeated_failures_lock_the_login_for_known_and_unknown_accounts(world, client):
    for email in ("caseworker@nord.test", "niemand@nord.test"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            client.post(LOGIN_URL, {"username": email, "password": "falsch-falsch"})
        locked = client.post(LOGIN_URL, {"username": email, "password": PASSWORD})
        assert locked.status_code == 429
        assert "Zu viele Versuche" in locked.content.decode()


def test_session_key_changes_at_login(world, client):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
    assert client.session.session_key != before


def test_idle_timeout_ends_the_session(world):
    client = Client()
    client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
    assert client.get("/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_absolute_timeout_ends_an_active_session(world):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
        # Stay active every 20 minutes: the idle limit never strikes, the absolute one does.
        steps = settings.SESSION_ABSOLUTE_SECONDS // (20 * 60) - 1
        for _step in range(steps):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=21))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_logout_ends_the_session_and_the_old_cookie_is_worthless(world):
    client = Client()
    client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/").status_code == 302


def test_deactivation_ends_running_sessions(world):
    client = Client()
    client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
    User.objects.filter(email="caseworker@nord.test").update(is_active=False)
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(world):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post(LOGIN_URL, {"username": "caseworker@nord.test", "password": PASSWORD})
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


@pytest.mark.parametrize(("password", "ok"), [("kurz123", False), ("password123", False), ("x" * 64, True)])
def test_password_policy(world, login, password, ok):
    client = login(world.user("caseworker"))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert (response.status_code == 302) is ok


def test_pages_with_data_are_not_cached(world, login):
    response = login(world.user("caseworker")).get("/")
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
