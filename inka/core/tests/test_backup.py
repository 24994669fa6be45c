"""Backup and restore (S9): a manifest of hashes, wipe and restore, refusals that change nothing.

These run in the test database itself (transactional: the restore replaces it); the drill through
the `inka` command in a separate data folder is tests/security/test_b7_backup.py.
"""

import json
import re
import shutil
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from inka import cli
from inka.cases.models import Person
from inka.cases.services import document_upload
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.core import backup as backups
from inka.core.backup import BackupError

# The restore replaces the whole test database, so these tests run in the transactional group
# (pytest-django runs it after the others; each such test ends with an emptied database).
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): backups._sha256(path)
        for path in folder.rglob("*")
        if path.is_file()
    }


def drop_all_tables() -> None:
    """Wipe: the database loses every table, as if its file were deleted."""
    with connection.cursor() as cursor:
        names = [connection.ops.quote_name(table) for table in connection.introspection.table_names(cursor)]
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE {', '.join(names)} CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for name in names:
                cursor.execute(f"DROP TABLE {name}")
            cursor.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def replays(monkeypatch):
    """The real journal replay, recording the row counts it finds when it runs."""
    from inka.privacy import retention

    calls = []
    real = retention.replay_journal

    def counted() -> int:
        calls.append(table_counts())
        return real()

    monkeypatch.setattr(retention, "replay_journal", counted)
    return calls


@pytest.fixture
def data(world, settings, tmp_path, client):
    """A person with a case, a contact and a document, a media file and a logged-in session."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DELETION_JOURNAL = tmp_path / "deletion-journal.jsonl"
    worker = world.user("caseworker")
    case = make_case(world.site_a, worker, make_person(world.site_a, "Gerlinde", "Sommerfeld"))
    make_contact(world.site_a, worker, case)
    document_upload(
        actor=worker,
        case=case,
        title="Mietvertrag",
        upload=SimpleUploadedFile("vertrag.pdf", PDF, content_type="application/pdf"),
    )
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "traeger.png").write_bytes(PNG)
    client.force_login(worker)
    return SimpleNamespace(
        worker=worker,
        case=case,
        documents=Path(settings.DOCUMENTS_DIR),
        media=Path(settings.MEDIA_ROOT),
        journal=Path(settings.DELETION_JOURNAL),
    )


def test_backup_wipe_restore_gives_identical_row_counts_and_file_hashes(data, replays):
    counts, documents, media = table_counts(), file_hashes(data.documents), file_hashes(data.media)
    assert counts["django_session"] == 1 and len(documents) == 1

    folder = backups.backup()

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["row_counts"] == {**counts, "django_session": 0}  # a session key is a login
    assert (
        manifest["migrations"]["cases"]
        == MigrationRecorder.Migration.objects.filter(app="cases").latest("id").name
    )
    assert set(manifest["files"]) == {
        manifest["database"]["file"],
        *(f"documents/{name}" for name in documents),
        "media/logos/traeger.png",
    }
    for name, entry in manifest["files"].items():
        assert (
            backups._sha256(folder / name) == entry["sha256"]
            and (folder / name).stat().st_size == entry["size"]
        )
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert folder.parent == data.documents.parent / "backups" and folder.name.startswith("inka-")

    drop_all_tables()
    for path in [*data.documents.iterdir(), *data.media.iterdir()]:
        path.unlink() if path.is_file() else shutil.rmtree(path)
    assert table_counts() == {}

    restored = backups.restore(folder)

    assert table_counts() == {**counts, "django_session": 0}
    assert file_hashes(data.documents) == documents and file_hashes(data.media) == media
    assert restored.differences == {} and restored.applied_migrations == []
    assert len(replays) == 1 and replays[0] == table_counts()  # replayed after the data was back
    assert Person.objects.filter(last_name="Sommerfeld").exists()
    summary = backups.restore_summary(restored)
    assert "Zeilenzahlen aller Tabellen stimmen mit der Sicherung überein" in summary
    assert "Dokumente 1, Mediendateien 1" in summary


@pytest.mark.parametrize("damage", ["changed", "missing", "extra"])
def test_a_damaged_backup_fails_verify_and_restore_and_changes_nothing(data, replays, damage):
    folder = backups.backup()
    document = next((folder / "documents").iterdir())
    if damage == "changed":
        document.write_bytes(document.read_bytes() + b" ")
        named = document
    elif damage == "missing":
        document.unlink()
        named = document
    else:
        named = folder / "documents" / "untergeschoben.pdf"
        named.write_bytes(PDF)
    make_person(data.case.site, "Nach", "Sicherung")
    counts, documents = table_counts(), file_hashes(data.documents)

    with pytest.raises(BackupError, match=re.escape(str(named))):
        backups.verify(folder)
    with pytest.raises(BackupError, match=re.escape(str(named))):
        backups.restore(folder, force=True)

    assert table_counts() == counts and file_hashes(data.documents) == documents
    assert not (data.documents / backups.STAGING).exists() and replays == []


def test_restore_refuses_a_database_with_data_unless_forced(data, replays):
    folder = backups.backup()
    make_person(data.case.site, "Nach", "Sicherung")
    counts = table_counts()

    with pytest.raises(BackupError, match="--force"):
        backups.restore(folder)
    assert table_counts() == counts and replays == []

    backups.restore(folder, force=True)
    assert not Person.objects.filter(last_name="Sicherung").exists()
    assert Person.objects.filter(last_name="Sommerfeld").exists()


def test_a_database_dump_that_cannot_be_restored_changes_nothing(data, replays):
    folder = backups.backup()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    # A dump damaged before it was hashed: the manifest agrees, the restore must still fail cleanly.
    dump = folder / manifest["database"]["file"]
    dump.write_bytes(b"kaputt" + dump.read_bytes()[6:])
    manifest["files"][dump.name] = {"sha256": backups._sha256(dump), "size": dump.stat().st_size}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (data.documents / "nach-der-sicherung.pdf").write_bytes(PDF)
    counts, documents = table_counts(), file_hashes(data.documents)

    with pytest.raises(BackupError):
        backups.restore(folder, force=True)

    assert table_counts() == counts and file_hashes(data.documents) == documents and replays == []


def test_a_backup_of_a_newer_version_or_another_database_is_refused(data, replays):
    folder = backups.backup()
    manifest_file = folder / "manifest.json"
    original = json.loads(manifest_file.read_text(encoding="utf-8"))

    newer = {**original, "migrations": {**original["migrations"], "cases": "9999_from_the_future"}}
    manifest_file.write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(BackupError, match=r"neueren INKA-Version.*cases\.9999_from_the_future"):
        backups.restore(folder, force=True)

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = {**original, "database": {"vendor": other, "file": backups.DATABASE_FILES[other]}}
    manifest_file.write_text(json.dumps(foreign), encoding="utf-8")
    with pytest.raises(BackupError):
        backups.restore(folder, force=True)
    assert replays == []


def test_an_older_backup_gets_the_newer_migrations(data, replays):
    from django.core.management import call_command

    # The backup of an INKA without the data protection app's tables.
    call_command("migrate", "privacy", "zero", verbosity=0)
    folder = backups.backup()
    call_command("migrate", "privacy", verbosity=0)

    restored = backups.restore(folder, force=True)

    assert "privacy.0001_initial" in restored.applied_migrations
    assert "privacy_deletionjournalentry" in connection.introspection.table_names()
    assert "privacy_deletionjournalentry" in replays[0]  # the replay ran on the migrated database
    assert "django_migrations" in restored.differences  # counted before the newer migrations
    assert "Migrationen nachgeholt" in backups.restore_summary(restored)


def journal_line(person_id: int) -> str:
    """A line as the retention run writes it (inka.privacy.retention)."""
    entry = {"at": "2034-01-02T02:00:00+00:00", "run": "r1", "model": "cases.Person", "id": person_id}
    return json.dumps({**entry, "rule": "esf_retention"})


def test_the_live_deletion_journal_is_copied_into_a_backup_but_never_overwritten(data, replays):
    data.journal.write_text(journal_line(10**9) + "\n", encoding="utf-8")
    folder = backups.backup()
    assert (folder / "deletion-journal.jsonl").read_bytes() == data.journal.read_bytes()
    with data.journal.open("a", encoding="utf-8") as journal:
        journal.write(journal_line(10**9 + 1) + "\n")
    live = data.journal.read_bytes()

    backups.restore(folder, force=True)

    assert data.journal.read_bytes() == live


def test_a_broken_journal_fails_the_restore_loudly(data, replays):
    folder = backups.backup()
    data.journal.write_text("Frau Sommerfeld\n", encoding="utf-8")

    with pytest.raises(BackupError, match=r"Löschjournal aber nicht angewendet.*inka retention replay"):
        backups.restore(folder, force=True)


def test_the_commands_answer_in_german_with_exit_codes(data, replays, tmp_path, capsys):
    output = tmp_path / "woanders"
    assert cli.main(["backup", "--output", str(output)]) == 0
    (folder,) = output.iterdir()
    out = capsys.readouterr().out
    assert f"Sicherung erstellt: {folder}" in out and "nicht verschlüsselt" in out

    assert cli.main(["backup", "--verify", str(folder)]) == 0
    assert "ist vollständig" in capsys.readouterr().out

    assert cli.main(["restore", str(folder)]) == 1
    assert "--force" in capsys.readouterr().err

    (folder / "media" / "logos" / "traeger.png").write_bytes(b"anders")
    assert cli.main(["backup", "--verify", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "beschädigt" in err and str(folder / "media" / "logos" / "traeger.png") in err
    assert cli.main(["restore", str(folder), "--force"]) == 1
    assert replays == []

    assert cli.main(["backup", "--verify", str(tmp_path)]) == 1
    assert "manifest.json fehlt" in capsys.readouterr().err
