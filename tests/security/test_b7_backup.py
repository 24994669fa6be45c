"""B7 / B5 of security-anchors.md: backups do not resurrect erased data (39), and the backup and
restore drill (45) through the `inka` command into a scratch database.

Test 45 without its PITR part: point-in-time recovery is PostgreSQL's WAL archiving, run by the
operator (docs/backup.md); INKA's backups are not encrypted by INKA either (same place).
"""

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from inka.cases import services as cases
from inka.cases.models import Person
from inka.cases.tests.factories import make_case, make_person
from inka.core.backup import backup, restore
from inka.privacy.models import DeletionJournalEntry
from inka.privacy.retention import approve, run
from inka.programme.models import FundingRound, Programme

BASE_DIR = Path(__file__).resolve().parents[2]
# Tables whose rows the drill compares value by value, besides the row count of every table.
CRITICAL_TABLES = [
    "cases_person",
    "cases_case",
    "cases_contact",
    "cases_referral",
    "cases_consent",
    "cases_document",
    "core_accesslogentry",
    "core_auditentry",
]


def database_text() -> str:
    """Every value of every table as text, for a full-text scan."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            parts.extend(str(row) for row in cursor.fetchall())
    return "\n".join(parts)


def person_with_a_closed_case(site, worker, day: date):
    """Waltraud Zwetschgenbaum: a closed case from `day` with a note, a contact and a document that
    mention her name and phone number, all through the services (so the change history has them too)."""
    person = cases.person_create(
        actor=worker,
        site=site,
        first_name="Waltraud",
        last_name="Zwetschgenbaum",
        birth_date=date(1977, 7, 17),
        phone="0365 9876543",
        street="Holunderweg 7",
        postcode="04600",
        town="Altenburg",
    )
    mention = "Frau Zwetschgenbaum, Tel. 0365 9876543"
    cases.consent_record(
        actor=worker, person=person, purpose="counselling", given_on=day, text_version="2024-01"
    )
    case = cases.case_open(
        actor=worker, person=person, caseworker=worker, opened_on=day, needs=["money"], notes=mention
    )
    cases.contact_record(
        actor=worker, site=site, case=case, topics=["money"], occurred_on=day, mode="walk_in", note=mention
    )
    cases.document_upload(
        actor=worker,
        case=case,
        title=mention,
        upload=SimpleUploadedFile(
            "brief.pdf", f"%PDF-1.4 {mention}".encode(), content_type="application/pdf"
        ),
    )
    case.refresh_from_db()
    cases.case_close(
        actor=worker,
        case=case,
        version=case.version,
        closed_on=day,
        close_reason="goals_achieved",
        outcome=mention,
    )
    return person


SECRETS = ["Zwetschgenbaum", "0365 9876543", "1977-07-17", "Holunderweg"]  # as the database holds them


@pytest.mark.django_db(transaction=True)
def test_t39_a_restored_backup_does_not_bring_back_anonymised_persons(world, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DELETION_JOURNAL = tmp_path / "deletion-journal.jsonl"
    programme = Programme.objects.create(
        name="ThINKA", short_name="ThINKA", coordinating_body="Koordinierung"
    )
    FundingRound.objects.create(
        programme=programme,
        name="ESF+ 2021–2027",
        starts_on=date(2021, 1, 1),
        ends_on=date(2027, 12, 31),
        final_payment_on=date(2028, 6, 30),  # retention ends on 31 December 2033
    )
    worker = world.user("caseworker")
    erased = person_with_a_closed_case(world.site_a, worker, date(2024, 3, 12))
    kept = make_case(
        world.site_a, worker, make_person(world.site_a, "Gustav", "Bleibtreu")
    ).person  # open case
    documents = Path(settings.DOCUMENTS_DIR)
    last_night = backup()
    text = database_text()
    assert all(secret in text for secret in SECRETS)
    today = date(2034, 1, 2)
    approve(actor=world.user("dpo"), today=today)
    assert run(today).persons == [erased.pk]
    journal = Path(settings.DELETION_JOURNAL).read_text(encoding="utf-8")

    restored = restore(last_night, force=True)

    assert restored.replayed == 1
    text = database_text()
    assert [secret for secret in SECRETS if secret in text] == []
    assert Person.objects.get(pk=erased.pk).anonymised_at is not None
    assert Person.objects.get(pk=kept.pk).last_name == "Bleibtreu"
    assert DeletionJournalEntry.objects.filter(object_id=erased.pk, rule="esf_retention").exists()
    # The restored document file of the erased person is deleted again.
    assert [path for path in documents.rglob("*") if b"Zwetschgenbaum" in path.read_bytes()] == []
    # The journal outlives the restore and holds the pseudonymous id and the rule, nothing erased.
    assert Path(settings.DELETION_JOURNAL).read_text(encoding="utf-8") == journal
    (entry,) = [json.loads(line) for line in journal.splitlines()]
    assert set(entry) == {"at", "run", "model", "id", "rule"}
    assert (entry["model"], entry["id"], entry["rule"]) == ("cases.Person", erased.pk, "esf_retention")
    assert [secret for secret in [*SECRETS, "Waltraud"] if secret in journal] == []
    assert "17.07.1977" not in journal


# --- Test 45: the drill, as an operator runs it ---------------------------------------------------

POPULATE = """
from django.core.management import call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from inka.accounts.models import User
from inka.cases.services import document_upload
from inka.cases.tests.factories import make_case
from inka.core.demo import demo_generate
from inka.programme.models import Site

call_command("migrate", verbosity=0)
with scopes_disabled():
    demo_generate(scale=0.02)
    site = Site.objects.order_by("pk").first()
    worker = User.objects.filter(memberships__site=site).first()
    for number in range(3):
        case = make_case(site, worker)
        pdf = f"%PDF-1.4 Mietvertrag {number}".encode()
        document_upload(actor=worker, case=case, title="Mietvertrag",
                        upload=SimpleUploadedFile("vertrag.pdf", pdf, content_type="application/pdf"))
"""

FINGERPRINT = """
import hashlib, json
from django.db import connection
with connection.cursor() as cursor:
    counts, hashes = {}, {}
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
        rows = cursor.fetchall()
        counts[table] = len(rows)
        if table in CRITICAL_TABLES:
            hashes[table] = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
print(json.dumps({"counts": counts, "hashes": hashes}))
""".replace("CRITICAL_TABLES", json.dumps(CRITICAL_TABLES))  # nosec B608  (a script for `manage shell`)


def inka(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "inka.cli", *args],
        env=environment,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


def fingerprint(environment: dict[str, str], before: str = "") -> dict[str, dict[str, object]]:
    """Row counts of every table and a SHA-256 of the rows of the critical ones (after `before`)."""
    output = inka(environment, "manage", "shell", "-c", before + FINGERPRINT).stdout
    return json.loads(output.strip().splitlines()[-1])


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def scratch_databases():
    """make(name) → settings for the `inka` command in a fresh data folder with a database of its own:
    an SQLite file there, or a new PostgreSQL database on the server of the tests."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INKA_DB_", "INKA_DATABASE_URL", "INKA_DOCUMENTS_DIR", "INKA_BACKUP_DIR"))
        and key not in ("INKA_DELETION_JOURNAL", "DJANGO_SETTINGS_MODULE")
    }
    created: list[str] = []
    server = connection.settings_dict

    def admin() -> psycopg.Connection:
        return psycopg.connect(
            dbname="postgres",
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
            host=server["HOST"] or None,
            port=server["PORT"] or None,
            autocommit=True,
        )

    def make(data_dir: Path) -> dict[str, str]:
        environment = {**base, "INKA_DATA_DIR": str(data_dir)}
        if connection.vendor == "postgresql":
            name = f"inka_drill_{uuid.uuid4().hex[:12]}"
            with admin() as session:
                session.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            credentials = quote(server["USER"] or "") + (
                f":{quote(server['PASSWORD'])}" if server["PASSWORD"] else ""
            )
            environment["INKA_DATABASE_URL"] = (
                f"postgres://{credentials}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{name}"
            )
        return environment

    yield make
    if created:
        with admin() as session:
            for name in created:
                session.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_t45_backup_and_restore_drill_into_a_scratch_database(scratch_databases, tmp_path):
    source = scratch_databases(tmp_path / "source")
    before = fingerprint(source, POPULATE)  # migrated, with demo data and three documents
    documents = file_hashes(tmp_path / "source" / "documents")
    assert len(documents) == 3 and before["counts"]["cases_person"] > 50

    started = time.monotonic()
    inka(source, "backup", "--output", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    scratch = scratch_databases(tmp_path / "scratch")
    restored = inka(scratch, "restore", str(folder))
    seconds = time.monotonic() - started

    # `migrate --check` exits with 1 if a migration is missing, which fails the command.
    after = fingerprint(
        scratch,
        "from django.core.management import call_command\ncall_command('migrate', check_unapplied=True)\n",
    )
    assert after["counts"] == before["counts"]
    assert after["hashes"] == before["hashes"] and set(after["hashes"]) == set(CRITICAL_TABLES)
    assert file_hashes(tmp_path / "scratch" / "documents") == documents
    assert "Zeilenzahlen aller Tabellen stimmen mit der Sicherung überein" in restored.stdout
    assert seconds < 4 * 3600  # the RTO agreed in docs/backup.md; here it takes seconds
    # Readable by the owner only; encryption at rest is the operator's (docs/backup.md).
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) in (0o600, 0o700) for path in folder.rglob("*"))
