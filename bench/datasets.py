"""Benchmark data: the demo generator at a given number of persons and contacts, made once and kept.

SQLite: one file per size and day under var/bench/ (generating 100,000 persons takes minutes, so a
second run the same day reuses it). PostgreSQL (INKA_DATABASE_URL set, e.g. under
scripts/with-postgres): the database must be empty, or hold exactly this data set from an earlier
run; anything else is refused, so that a benchmark never overwrites real data.

Used by bench/suite.py and bench/load.py; not part of the product or the test suite.
"""

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SEED = 2013


def configure(data_dir: Path | None = None) -> None:
    """Settings of a production-like process on this machine (no debug, real templates, 2FA on)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inka.settings")
    os.environ.update(INKA_DEBUG="false", INKA_HTTPS="false", INKA_STATIC_MANIFEST="false")
    os.environ.setdefault("INKA_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("INKA_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("INKA_TWO_FACTOR", "true")
    if data_dir is not None and not os.environ.get("INKA_DATABASE_URL"):
        os.environ["INKA_DATA_DIR"] = str(data_dir)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


@dataclass
class Dataset:
    persons: int
    contacts: int | None
    vendor: str
    data_dir: Path | None  # SQLite only
    generated_s: float | None  # None: reused
    records: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.persons:,} persons".replace(",", " ")


def today() -> date:
    """INKA's today (Thuringia's time zone): the demo data are dated from it."""
    return datetime.now(tz=ZoneInfo("Europe/Berlin")).date()


def sqlite_dir(persons: int, contacts: int | None) -> Path:
    return BENCH_DIR / f"sqlite-{persons}-{contacts or 'natural'}-{SEED}-{today().isoformat()}"


def prepare(persons: int, contacts: int | None) -> Dataset:
    """Configure Django for the data set, set it up (generate or reuse) and return what it holds."""
    on_postgres = bool(os.environ.get("INKA_DATABASE_URL"))
    data_dir = None if on_postgres else sqlite_dir(persons, contacts)
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    configure(data_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from inka.accounts.models import User
    from inka.cases.models import Person
    from inka.core.demo import demo_generate

    call_command("migrate", interactive=False, verbosity=0)
    marker = data_dir / "ready.json" if data_dir is not None else None
    with scopes_disabled():
        existing = Person.objects.count()
        has_users = User.objects.exists()
    generated = None
    if marker is not None and marker.exists():
        pass
    elif not has_users:
        started = time.perf_counter()
        demo_generate(seed=SEED, persons=persons, contacts=contacts)
        generated = time.perf_counter() - started
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    elif existing != persons:
        raise SystemExit(
            f"The database already holds {existing} persons, not {persons}: a benchmark needs an empty "
            "database (e.g. scripts/with-postgres) or the same data set."
        )
    records = counts()
    if marker is not None and generated is not None:
        marker.write_text(
            json.dumps({"generated_s": round(generated, 1), "records": records}), encoding="utf-8"
        )
    return Dataset(persons, contacts, connection.vendor, data_dir, generated, records)


def counts() -> dict[str, int]:
    from django_scopes import scopes_disabled

    from inka.cases.models import Case, Contact, Person
    from inka.community.models import Session
    from inka.esf.models import Participation
    from inka.programme.models import Site

    with scopes_disabled():
        return {
            "sites": Site.objects.count(),
            "persons": Person.objects.count(),
            "cases": Case.objects.count(),
            "contacts": Contact.objects.count(),
            "esf_participations": Participation.objects.count(),
            "community_sessions": Session.objects.count(),
        }


def demo_user(name: str) -> Any:
    """A demo login by its local part (lotse.alt, koordination …)."""
    from django_scopes import scopes_disabled

    from inka.accounts.models import User
    from inka.core.demo import DEMO_EMAIL_DOMAIN

    with scopes_disabled():
        return User.objects.get(email=f"{name}@{DEMO_EMAIL_DOMAIN}")


def verified_session(user: Any) -> Any:
    """A saved session of `user` with the second factor passed, as the login leaves it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from inka.accounts.middleware import LOGIN_AT_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    # The backend that loads users (the first one only counts failed logins).
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[LOGIN_AT_SESSION_KEY] = int(time.time())  # the absolute session limit counts from here
    store.save()
    return store


def verified_client(user: Any) -> Any:
    """Django's test client, signed in as `user` with the second factor passed."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    store = verified_session(user)
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client
