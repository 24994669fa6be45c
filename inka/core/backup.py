"""Backups of the database and the files, checked by a manifest of hashes, and their restore (S9).

A backup is one folder under settings.BACKUP_DIR, named by its UTC time, readable by its owner only:

    inka-20260314T021500Z/
        manifest.json           versions, migrations, row counts, SHA-256 and size of every file
        database.sqlite3        SQLite: a consistent copy made with SQLite's online backup API
        database.pgdump         PostgreSQL: `pg_dump --format=custom` of one snapshot
        documents/…             the case documents (settings.DOCUMENTS_DIR)
        media/…                 settings.MEDIA_ROOT
        deletion-journal.jsonl  a copy of the deletion journal, for the record

Sessions stay out of a backup: a session key is a login, so a restore ends every session. A restore
never writes the live deletion journal; it replays it, so that a backup made before an
anonymisation does not bring the erased data back. Operating it: docs/backup.md.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django_scopes import scopes_disabled

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Folder in the backup → setting of the live folder it is restored to.
FOLDERS = {"documents": "DOCUMENTS_DIR", "media": "MEDIA_ROOT"}
JOURNAL_COPY = "deletion-journal.jsonl"
# Tables whose rows are not backed up: a session key is a login.
UNSAVED_TABLES = ("django_session",)
# A database with rows in one of these holds real data: restore replaces it only when forced.
DATA_MODELS = ("accounts.User", "programme.Site", "cases.Person")
# Restored files are put here inside the live folder first (same file system: renames are atomic).
STAGING = ".inka-restore"
# Debian's place of the PostgreSQL client programs, used when they are not on PATH.
DEBIAN_PG_BIN = "/usr/lib/postgresql/15/bin"


class BackupError(Exception):
    """A backup cannot be made, checked or restored; the message is German, for the operator."""


@dataclass(frozen=True)
class Restored:
    """What a restore did, for the summary."""

    path: Path
    manifest: dict[str, Any]
    applied_migrations: list[str]
    replayed: int
    differences: dict[str, tuple[int, int]]
    seconds: float


def backup(target_dir: Path | None = None) -> Path:
    """Write a backup of the database, the documents and the media files; return its folder."""
    parent = Path(target_dir or settings.BACKUP_DIR)
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = timezone.now()
    folder = _free_path(parent, "inka-" + created.strftime("%Y%m%dT%H%M%SZ"))
    # Written under a hidden name and renamed at the end: a half-written backup never looks complete.
    partial = parent / f".{folder.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        # The database first: a file uploaded meanwhile is only an extra file; one deleted meanwhile
        # by the retention run is anonymised again by the journal replay after a restore.
        database_file = partial / DATABASE_FILES[connection.vendor]
        if connection.vendor == "sqlite":
            contents = _backup_sqlite(database_file)
        elif connection.vendor == "postgresql":
            contents = _backup_postgresql(database_file)
        else:
            raise BackupError(f"Sicherungen von {connection.vendor}-Datenbanken sind nicht vorgesehen.")
        for name, setting in FOLDERS.items():
            _copy_folder(Path(getattr(settings, setting)), partial / name)
        journal = Path(settings.DELETION_JOURNAL)
        if journal.is_file():
            shutil.copyfile(journal, partial / JOURNAL_COPY)
        manifest = {
            "format": FORMAT,
            "inka_version": version("inka"),
            "created_at": created.isoformat(),
            "database": {"vendor": connection.vendor, "file": database_file.name},
            **contents,
            "files": {
                path.relative_to(partial).as_posix(): {"sha256": _sha256(path), "size": path.stat().st_size}
                for path in _files_in(partial)
            },
        }
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _make_private(partial)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return folder


def load_manifest(backup_path: Path) -> dict[str, Any]:
    """The manifest of a backup folder, or BackupError when there is none or it is unreadable."""
    manifest_file = Path(backup_path) / MANIFEST
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{backup_path}: keine Sicherung von INKA ({MANIFEST} fehlt).") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{manifest_file}: nicht lesbar ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_file}: unbekanntes Format dieser Sicherung.")
    return manifest


def verify(backup_path: Path) -> dict[str, Any]:
    """Re-hash every file of a backup against its manifest; return the manifest or raise BackupError."""
    folder = Path(backup_path)
    manifest = load_manifest(folder)
    listed: dict[str, dict[str, Any]] = manifest.get("files") or {}
    problems = []
    for name, expected in sorted(listed.items()):
        path = folder / name
        if not _is_inside(name):
            problems.append(f"{name}: unzulässiger Pfad im Verzeichnis der Sicherung")
        elif not path.is_file():
            problems.append(f"{path}: fehlt")
        elif path.stat().st_size != expected.get("size") or _sha256(path) != expected.get("sha256"):
            problems.append(f"{path}: Inhalt stimmt nicht mit dem Verzeichnis überein (SHA-256)")
    for path in _files_in(folder):
        if path.relative_to(folder).as_posix() not in listed:
            problems.append(f"{path}: nicht im Verzeichnis der Sicherung aufgeführt")
    database = manifest.get("database") or {}
    if (
        DATABASE_FILES.get(database.get("vendor", "")) != database.get("file")
        or database.get("file") not in listed
    ):
        problems.append(f"{folder / MANIFEST}: die Datenbankdatei ist nicht richtig angegeben")
    if problems:
        raise BackupError("\n".join([f"Die Sicherung {folder} ist beschädigt:", *problems]))
    return manifest


def restore(backup_path: Path, *, force: bool = False) -> Restored:
    """Replace database and files by a verified backup, migrate, then replay the deletion journal."""
    started = time.monotonic()
    folder = Path(backup_path)
    manifest = verify(folder)
    _check_compatible(manifest)
    if not force and _holds_data():
        raise BackupError(
            "Die Datenbank enthält bereits Daten (Benutzerkonten, Standorte oder Personen). "
            "Wiederherstellen ersetzt sie vollständig; dazu bitte --force angeben."
        )
    # The files are copied first: if that fails (disk full), nothing has changed yet.
    staged = [
        _stage_folder(folder, manifest, name, Path(getattr(settings, setting)))
        for name, setting in FOLDERS.items()
    ]
    try:
        database_file = folder / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _restore_sqlite(database_file)
        else:
            _restore_postgresql(database_file, manifest)
    except BaseException:
        for staging in staged:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    for staging in staged:
        _swap_in(staging)
    # The restored database may number its record types differently from what this process cached.
    ContentType.objects.clear_cache()
    before = set(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    applied = sorted(
        f"{app}.{name}" for app, name in set(MigrationRecorder(connection).applied_migrations()) - before
    )
    from inka.privacy.retention import JournalError, replay_journal  # privacy builds on core

    # The live journal, never the copy in the backup: it knows every anonymisation up to now.
    try:
        with scopes_disabled():
            replayed = replay_journal()
    except JournalError as error:
        raise BackupError(
            f"Die Sicherung ist wiederhergestellt, das Löschjournal aber nicht angewendet: {error}. "
            "Bis dahin enthält die Datenbank wieder Daten bereits anonymisierter Personen: INKA nicht "
            "starten, das Journal berichtigen und „inka retention replay“ ausführen."
        ) from None
    with connection.cursor() as cursor:
        live = set(connection.introspection.table_names(cursor))
        # A table of the backup that a newer migration removed counts as empty.
        counts = _row_counts(cursor, live & set(manifest["row_counts"]))
    differences = {
        table: (expected, counts.get(table, 0))
        for table, expected in sorted(manifest["row_counts"].items())
        if counts.get(table, 0) != expected
    }
    return Restored(folder, manifest, applied, replayed, differences, time.monotonic() - started)


def backup_summary(folder: Path, manifest: dict[str, Any]) -> str:
    """German lines for the operator: where the backup is and what it holds."""
    files = manifest["files"]
    total = sum(entry["size"] for entry in files.values())
    return "\n".join(
        [
            f"Sicherung erstellt: {folder}",
            f"Datenbank ({VENDOR_NAMES[manifest['database']['vendor']]}): {_contents_text(manifest)}",
            f"Dateien: {_files_text(manifest)}; zusammen {_number(total)} Byte, SHA-256 in {MANIFEST}.",
            "Die Sicherung ist nicht verschlüsselt: bitte auf einem verschlüsselten Datenträger "
            "aufbewahren (docs/backup.md).",
        ]
    )


def restore_summary(restored: Restored) -> str:
    """German lines for the operator: what was restored, migrated and anonymised again."""
    manifest, migrations = restored.manifest, restored.applied_migrations
    lines = [
        f"Sicherung wiederhergestellt: {restored.path}",
        f"Erstellt {manifest['created_at']} mit INKA {manifest['inka_version']}.",
        f"Datenbank: {_contents_text(manifest)}",
        f"Dateien: {_files_text(manifest)}",
        (
            f"Migrationen nachgeholt: {len(migrations)} ({', '.join(migrations)})."
            if migrations
            else "Keine Migrationen nachzuholen."
        ),
        f"Löschjournal erneut angewendet: {_number(restored.replayed)} Datensätze erneut anonymisiert.",
    ]
    if restored.differences:
        lines.append("Zeilenzahlen nach Migration und Löschjournal abweichend von der Sicherung:")
        lines += [f"  {table}: {before} → {after}" for table, (before, after) in restored.differences.items()]
    else:
        lines.append("Zeilenzahlen aller Tabellen stimmen mit der Sicherung überein.")
    lines.append(f"Dauer: {restored.seconds:.1f} s. Alle Sitzungen sind beendet; bitte neu anmelden.")
    return "\n".join(lines)


# Database


def _backup_sqlite(target_path: Path) -> dict[str, Any]:
    """Copy the live database with SQLite's backup API: one consistent snapshot while the app runs."""
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)
        # secure_delete overwrites the freed pages, so no session key survives in the file.
        target.execute("PRAGMA secure_delete = ON")
        tables = [
            name
            for (name,) in target.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_'"
            )
        ]
        for table in UNSAVED_TABLES:
            if table in tables:
                target.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608  (a fixed table name)
        target.commit()
        # A single self-contained file, without the live database's write-ahead log mode.
        target.execute("PRAGMA journal_mode = DELETE")
        return _contents(target.cursor(), tables)
    finally:
        target.close()


def _backup_postgresql(target_path: Path) -> dict[str, Any]:
    """pg_dump of an exported snapshot, so that the counts in the manifest are those of the dump."""
    if connection.in_atomic_block:
        raise BackupError("Eine Sicherung kann nicht innerhalb einer offenen Transaktion erstellt werden.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        contents = _contents(cursor, connection.introspection.table_names(cursor))
        command = [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--snapshot={snapshot}",
            f"--file={target_path}",
            *(f"--exclude-table-data={table}" for table in UNSAVED_TABLES),
        ]
        _run(command)
    return contents


def _restore_sqlite(database_file: Path) -> None:
    """Copy the backup into the live database with the backup API: one transaction, under SQLite's lock."""
    source = sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        # The backup API copies pages without reading them: check the file's structure first.
        (result,) = source.execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise sqlite3.DatabaseError(result)
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(
            f"{database_file}: nicht wiederherstellbar, die Datenbank ist unverändert ({error})."
        ) from None
    finally:
        source.close()
    connection.close()


def _restore_postgresql(dump: Path, manifest: dict[str, Any]) -> None:
    """Drop the tables the backup does not know, then replay the dump, all in one transaction.

    pg_restore writes the SQL (with --clean for the backup's own tables) and psql runs it; COMMIT is
    added only after pg_restore succeeded, so a failure anywhere leaves the database as it was.
    """
    with connection.cursor() as cursor:
        extra = sorted(set(connection.introspection.table_names(cursor)) - set(manifest["row_counts"]))
    connection.close()
    environment = _pg_environment()
    script = ["BEGIN;"]
    if extra:
        script.append(f"DROP TABLE IF EXISTS {', '.join(map(connection.ops.quote_name, extra))} CASCADE;")
    producer_command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)]
    psql_command = [
        _pg_tool("psql"),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--set=ON_ERROR_STOP=1",
        "--file=-",
    ]
    with tempfile.TemporaryFile() as producer_errors, tempfile.TemporaryFile() as psql_output:
        psql = subprocess.Popen(  # noqa: S603  (fixed programs, no shell, settings in the environment)
            psql_command, stdin=subprocess.PIPE, stdout=psql_output, stderr=subprocess.STDOUT, env=environment
        )
        producer = subprocess.Popen(  # noqa: S603
            producer_command, stdout=subprocess.PIPE, stderr=producer_errors, env=environment
        )
        assert psql.stdin is not None and producer.stdout is not None
        try:
            psql.stdin.write(("\n".join(script) + "\n").encode())
            shutil.copyfileobj(producer.stdout, psql.stdin, 1 << 20)
            if producer.wait() == 0:
                psql.stdin.write(b"\nCOMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error; its output says which
        producer.stdout.close()
        producer.wait()
        psql.wait()
        if producer.returncode != 0:
            producer_errors.seek(0)
            raise BackupError(
                f"pg_restore ist gescheitert: {producer_errors.read().decode(errors='replace').strip()}"
            )
        if psql.returncode != 0:
            psql_output.seek(0)
            raise BackupError(
                "Wiederherstellen gescheitert, die Datenbank ist unverändert: "
                + psql_output.read().decode(errors="replace").strip()
            )


def _contents(cursor: Any, tables: Iterable[str]) -> dict[str, Any]:
    """The latest applied migration per app and the row count of every table."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = dict(cursor.fetchall())  # the last one of each app wins
    return {"migrations": migrations, "row_counts": _row_counts(cursor, tables)}


def _row_counts(cursor: Any, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        if table in UNSAVED_TABLES:
            counts[table] = 0
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608  (name from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def _holds_data() -> bool:
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for label in DATA_MODELS:
            table = apps.get_model(label)._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608  # nosec B608  (a model's table)
                if cursor.fetchone():
                    return True
    return False


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"Die Sicherung enthält eine {VENDOR_NAMES.get(vendor, vendor)}-Datenbank, INKA ist aber für "
            f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} eingerichtet."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            f"Die Sicherung stammt von einer neueren INKA-Version ({manifest.get('inka_version')}; "
            f"unbekannte Migrationen: {', '.join(unknown)}). Bitte zuerst INKA aktualisieren."
        )


# PostgreSQL programs


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: from INKA_PG_BIN if set, else PATH, else Debian's folder."""
    folder = os.environ.get("INKA_PG_BIN")
    found = (
        shutil.which(name, path=folder)
        if folder
        else shutil.which(name) or shutil.which(name, path=DEBIAN_PG_BIN)
    )
    if not found:
        raise BackupError(
            f"{name} nicht gefunden: bitte die PostgreSQL-Client-Programme installieren "
            "oder ihren Ordner in INKA_PG_BIN angeben."
        )
    return found


def _pg_environment() -> dict[str, str]:
    """Connection settings for the PostgreSQL programs: in their environment, never on the command line."""
    database = connection.settings_dict
    values = {
        "PGDATABASE": database["NAME"],
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    # Unset values fall back to the PG* variables of the environment, as for the application's libpq.
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603  (fixed programs, no shell, settings in the environment)
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ist gescheitert: {result.stderr.strip()}")


# Files


def _copy_folder(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(STAGING))
    else:
        target.mkdir(mode=0o700)


def _stage_folder(folder: Path, manifest: dict[str, Any], name: str, live: Path) -> Path:
    """Copy the backup's files of one folder into a staging folder inside the live one."""
    live.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = live / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    prefix = f"{name}/"
    for file_name in manifest["files"]:
        if file_name.startswith(prefix):
            target = staging / file_name.removeprefix(prefix)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(folder / file_name, target)
            target.chmod(0o600)
    return staging


def _swap_in(staging: Path) -> None:
    """Replace the live folder's contents by the staged files (the folder itself may be a mount point)."""
    live = staging.parent
    for entry in live.iterdir():
        if entry == staging:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for entry in staging.iterdir():
        entry.rename(live / entry.name)
    staging.rmdir()


def _files_in(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).as_posix() != MANIFEST
    )


def _is_inside(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _make_private(folder: Path) -> None:
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    folder.chmod(0o700)


def _free_path(parent: Path, name: str) -> Path:
    path, number = parent / name, 1
    while path.exists():
        number += 1
        path = parent / f"{name}-{number}"
    return path


# Summary text


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _contents_text(manifest: dict[str, Any]) -> str:
    counts = manifest["row_counts"]
    return f"{_number(len(counts))} Tabellen, {_number(sum(counts.values()))} Zeilen."


def _files_text(manifest: dict[str, Any]) -> str:
    counts = {
        label: sum(1 for file in manifest["files"] if file.startswith(f"{name}/"))
        for name, label in (("documents", "Dokumente"), ("media", "Mediendateien"))
    }
    return ", ".join(f"{label} {_number(count)}" for label, count in counts.items())
