"""Shared test set-up: scopes and the personas.

Site A ("Nord") has one user per site role; site B ("Süd") has a caseworker who must see nothing of
A; the programme roles have one user each. Tests log in as these personas by name.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import utils
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from inka.accounts.models import Membership, User
from inka.core.permissions import Role
from inka.programme.models import District, Site


def pytest_configure(config):
    # Argon2 is slow on purpose; tests create hundreds of accounts. test_settings checks argon2 is used.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Creating the test database runs migrations outside any request (django-scopes).
utils.setup_databases = scopes_disabled()(utils.setup_databases)

PASSWORD = "correct-horse-battery-staple"
SITE_PERSONAS = {
    "caseworker": Role.CASEWORKER,
    "site_lead": Role.SITE_LEAD,
    "reader": Role.READER,
    "steering": Role.STEERING,
}
PROGRAMME_PERSONAS = {"coordinator": Role.COORDINATOR, "dpo": Role.DPO, "admin": Role.ADMIN}
PERSONAS = ["anonymous", *SITE_PERSONAS, "other_caseworker", *PROGRAMME_PERSONAS]


@pytest.fixture(autouse=True)
def _unscoped_test_code():
    """Fixtures and test bodies run unscoped, like a command; requests scope themselves."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path):
    """Uploaded documents and the deletion journal of a test go to its own folder, never into var/."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    settings.DELETION_JOURNAL = tmp_path / "deletion-journal.jsonl"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: published figures are kept there for a few minutes."""
    cache.clear()


def make_user(email: str, first_name: str = "Test", last_name: str = "Person") -> User:
    return User.objects.create_user(email, PASSWORD, first_name=first_name, last_name=last_name)


def make_site(code: str, name: str, district: District, **fields: object) -> Site:
    return Site.objects.create(code=code, name=name, district=district, starts_on=date(2013, 3, 1), **fields)


@pytest.fixture
def world(db):
    """Two sites and every persona; `world.user("reader")` etc."""
    north = District.objects.create(key="16077", name="Altenburger Land", kind=District.Kind.RURAL)
    south = District.objects.create(key="16052", name="Gera", kind=District.Kind.URBAN)
    site_a = make_site("NORD", "ThINKA Nord", north, neighbourhood="Nordviertel", town="Altenburg")
    site_b = make_site("SUED", "ThINKA Süd", south, neighbourhood="Südstadt", town="Gera")
    users: dict[str, User | None] = {"anonymous": None}
    for name, role in SITE_PERSONAS.items():
        users[name] = make_user(f"{name}@nord.test", first_name=name.title())
        Membership.objects.create(user=users[name], site=site_a, role=role)
    users["other_caseworker"] = make_user("caseworker@sued.test", first_name="Charlie")
    Membership.objects.create(user=users["other_caseworker"], site=site_b, role=Role.CASEWORKER)
    for name, role in PROGRAMME_PERSONAS.items():
        users[name] = make_user(f"{name}@programm.test", first_name=name.title())
        Membership.objects.create(user=users[name], site=None, role=role)
    return SimpleNamespace(
        site_a=site_a, site_b=site_b, district_a=north, district_b=south, users=users, user=users.__getitem__
    )


@pytest.fixture
def site_count(world):
    """site_count(n) leaves exactly n sites: site A, and site B plus more when n > 1."""

    def make(total: int) -> None:
        if total == 1:
            world.site_b.delete()
        for index in range(total - 2):
            site = make_site(
                f"X{chr(65 + index // 26)}{chr(65 + index % 26)}",
                f"Standort {index}",
                world.district_a,
                latitude="51.0",
                longitude="12.4",
            )
            site.periods.create(neighbourhood=f"Viertel {index}", starts_on=date(2013, 3, 1))
        assert Site.objects.count() == total

    return make


def log_in_verified(client, user: User) -> None:
    """Log the test client in as `user` with the second factor passed, as django-otp's login does.

    The user gets a confirmed authenticator (one row, made once); the session names it.
    """
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    """login("reader") logs the test client in as that persona of `world`, second factor passed;
    "anonymous" logs out."""

    def _login(user: User | None):
        client.logout()
        if user is not None:
            log_in_verified(client, user)
        return client

    return _login
