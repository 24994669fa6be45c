"""The `inka` command: run the demo, serve in production, and pass commands through to Django.

inka demo [--fresh] [--port 8000]   set up SQLite with the ThINKA seed and demo data, then serve
inka serve [--bind ADDR] [--workers N]   production server (gunicorn) with the INKA_* settings
inka seed                            load or update the ThINKA seed (districts, sites, carriers)
inka manage ARGS...                  any Django management command
inka esf import FILE [--dry-run]     import ESF participations (JSON Lines, XLSX, CSV in a ZIP)
inka esf report --from D --to D …    ESF indicators as JSON, CSV or XLSX (docs/esf.md)
inka esf export --output FILE …      export ESF participations in the import format
inka survey load-instrument FILE     check and load a partner-survey questionnaire (docs/survey.md)
inka retention run [--dry-run]       anonymise the persons due and approved (docs/retention.md)
inka retention replay                anonymise again the persons of the deletion journal
inka figures refresh                 count the programme-wide figures anew (cron, every few minutes)
inka backup [--output DIR]           back up database, documents and media with a manifest of hashes
inka backup --verify PATH            check a backup against its manifest (docs/backup.md)
inka restore PATH [--force]          restore a backup, migrate, replay the deletion journal
"""

import argparse
import json
import os
import secrets
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inka.esf.interchange import Problem

BASE_DIR = Path(__file__).resolve().parent.parent


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inka.settings")
    import django

    django.setup()


def demo(args: argparse.Namespace) -> int:
    if args.contacts is not None and args.persons is None:
        print("INKA: --contacts geht nur zusammen mit --persons.", file=sys.stderr)
        return 2
    # The demo runs like production (real error pages, no debug output) but on plain HTTP on this
    # machine, with its own SQLite file and a secret key kept beside it.
    data_dir = Path(os.environ.setdefault("INKA_DATA_DIR", str(BASE_DIR / "var" / "demo")))
    if args.fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    os.environ.setdefault("INKA_SECRET_KEY", key_file.read_text(encoding="utf-8").strip())
    os.environ.setdefault("INKA_DEBUG", "false")
    os.environ.setdefault("INKA_HTTPS", "false")
    os.environ.setdefault("INKA_STATIC_MANIFEST", "false")
    os.environ.setdefault("INKA_BASE_URL", f"http://127.0.0.1:{args.port}")
    # The printed demo logins work with the password alone; production refuses this switch
    # (`check --deploy`). INKA_TWO_FACTOR=true inka demo shows the real login with the app.
    os.environ.setdefault("INKA_TWO_FACTOR", "false")
    _django_setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from inka.accounts.demo import login_rows
    from inka.accounts.models import User
    from inka.core.demo import DEMO_PASSWORD, demo_generate

    call_command("migrate", interactive=False, verbosity=0)
    with scopes_disabled():
        has_data = User.objects.exists()
    if has_data:
        print("INKA: vorhandene Demo-Daten werden weiterverwendet (neu anlegen mit: inka demo --fresh).")
    else:
        print("INKA: lege ThINKA-Standorte und Demo-Daten an …")
        demo_generate(seed=args.seed, persons=args.persons, contacts=args.contacts)
    with scopes_disabled():
        rows = login_rows()
    print(f"\nDemo-Zugänge (Passwort für alle: {DEMO_PASSWORD})\n")
    width = max(len(row.email) for row in rows)
    for row in rows:
        print(f"  {row.email:<{width}}  {row.role_label} – {row.description}")
    if os.environ["INKA_TWO_FACTOR"] == "false":
        print("\nZwei-Faktor-Anmeldung ist in der Demo aus (mit INKA_TWO_FACTOR=true einschalten).")
    if args.no_serve:
        return 0
    print(f"\nINKA läuft auf http://127.0.0.1:{args.port}/  (beenden mit Strg+C)\n")
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    return 0


def serve(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import call_command

    from inka import settings  # the module itself: Django's settings object raises on an empty key

    if not settings.SECRET_KEY:
        print(
            "INKA startet nicht: INKA_SECRET_KEY ist nicht gesetzt (siehe docs/deployment.md).",
            file=sys.stderr,
        )
        return 2

    call_command("collectstatic", interactive=False, verbosity=0)
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "inka.wsgi",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--no-control-socket",
    ]
    os.execv(gunicorn, command)  # noqa: S606  (replace this process with the server)


def seed(args: argparse.Namespace) -> int:
    _django_setup()
    from inka.programme.seed import load_thinka_seed

    load_thinka_seed()
    print("ThINKA-Stammdaten geladen.")
    return 0


def manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inka.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["inka manage", *args.args])
    return 0


def _problem_text(problem: "Problem") -> str:
    where = [f"Tabelle {problem.table}"] if problem.table else []
    if problem.row is not None:
        where.append(f"Zeile {problem.row}")
    if problem.field:
        where.append(f"Feld {problem.field}")
    return f"{', '.join(where)}: {problem.reason}" if where else problem.reason


def esf_import(args: argparse.Namespace) -> int:
    _django_setup()
    from django_scopes import scopes_disabled

    from inka.esf.interchange import UnsupportedFileError, import_participations

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        print(f"{path}: Datei kann nicht gelesen werden ({error.strerror}).", file=sys.stderr)
        return 1
    try:
        # A command runs for the whole programme: the file names the sites of its records.
        with scopes_disabled():
            result = import_participations(name=path.name, content=content, dry_run=args.dry_run)
    except UnsupportedFileError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    if result.problems:
        print(f"{path}: nicht importiert, die Datei hat {len(result.problems)} Fehler.", file=sys.stderr)
        for problem in result.problems:
            print(_problem_text(problem), file=sys.stderr)
        return 1
    counts = f"{result.created} neu, {result.updated} geändert, {result.unchanged} unverändert"
    if args.dry_run:
        print(f"{path}: Probelauf, nichts gespeichert – {counts}.")
    else:
        print(f"{path}: {counts}.")
    return 0


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine ganze Zahl größer als 0")
    return int(text)


def _option_argument(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"„{text}“ hat nicht die Form NAME=WERT")
    return name.strip(), value.strip()


def esf_report(args: argparse.Namespace) -> int:
    _django_setup()
    from django_scopes import scopes_disabled

    from inka.esf.engine import OptionError, Options
    from inka.esf.report_formats import report_csv, report_xlsx
    from inka.esf.reporting import UnknownSiteError, build_report

    if args.period_from > args.period_to:
        print("Der Zeitraum endet vor seinem Beginn (--from liegt nach --to).", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.output:
        print("Für --format xlsx bitte eine Ausgabedatei mit --output angeben.", file=sys.stderr)
        return 2
    try:
        options = Options.parse(dict(args.option))
        with scopes_disabled():
            report = build_report(
                site_codes=args.site or None,
                period_from=args.period_from,
                period_to=args.period_to,
                indicator_set=args.set,
                options=options,
            )
    except (OptionError, UnknownSiteError) as error:
        print(str(error), file=sys.stderr)
        return 2
    if args.format == "xlsx":
        Path(args.output).write_bytes(report_xlsx(report))
        return 0
    text = (
        report_csv(report)
        if args.format == "csv"
        else json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    )
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return 0


def esf_export(args: argparse.Namespace) -> int:
    _django_setup()
    from django_scopes import scopes_disabled

    from inka.esf.interchange import UnsupportedFileError, export_participations, file_format
    from inka.esf.reporting import UnknownSiteError

    output = Path(args.output)
    try:
        chosen = args.format or file_format(output.name)
        with scopes_disabled():
            content = export_participations(site_codes=args.site or None, file_format=chosen)
    except (UnsupportedFileError, UnknownSiteError) as error:
        print(str(error), file=sys.stderr)
        return 2
    output.write_bytes(content)
    print(f"ESF-Teilnahmen nach {output} exportiert.")
    return 0


def _add_esf_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    esf = commands.add_parser("esf", help="ESF-Teilnahmen importieren, exportieren und auswerten")
    actions = esf.add_subparsers(dest="esf_command", required=True)

    p = actions.add_parser(
        "import", help="Teilnahmen aus einer Datei importieren (.jsonl, .xlsx oder .zip mit CSV-Dateien)"
    )
    p.add_argument("file", metavar="DATEI")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen und zeigen, was sich ändern würde")
    p.set_defaults(handler=esf_import)

    p = actions.add_parser("report", help="ESF-Indikatoren für einen Zeitraum berechnen")
    p.add_argument(
        "--from",
        dest="period_from",
        type=_date_argument,
        required=True,
        metavar="DATUM",
        help="erster Tag des Zeitraums (JJJJ-MM-TT)",
    )
    p.add_argument(
        "--to",
        dest="period_to",
        type=_date_argument,
        required=True,
        metavar="DATUM",
        help="letzter Tag des Zeitraums (JJJJ-MM-TT)",
    )
    p.add_argument("--set", choices=("esf-plus", "esf-2014"), default="esf-plus", help="Indikatorensatz")
    p.add_argument(
        "--site",
        nargs="+",
        action="extend",
        default=[],
        metavar="KÜRZEL",
        help="nur diese Standorte (Kürzel)",
    )
    p.add_argument(
        "--option",
        nargs="+",
        action="extend",
        default=[],
        type=_option_argument,
        metavar="NAME=WERT",
        help="abweichende Zählregel, z. B. ltu_rule=DE_SGB3",
    )
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="Ausgabeformat")
    p.add_argument("--output", metavar="DATEI", help="in diese Datei schreiben statt auf die Standardausgabe")
    p.set_defaults(handler=esf_report)

    p = actions.add_parser("export", help="Teilnahmen im Importformat exportieren")
    p.add_argument(
        "--site",
        nargs="+",
        action="extend",
        default=[],
        metavar="KÜRZEL",
        help="nur diese Standorte (Kürzel)",
    )
    p.add_argument(
        "--format",
        choices=("jsonl", "xlsx", "csv"),
        help="Dateiformat; ohne Angabe nach der Endung der Datei",
    )
    p.add_argument("--output", metavar="DATEI", required=True, help="Zieldatei (.jsonl, .xlsx oder .zip)")
    p.set_defaults(handler=esf_export)


def survey_load_instrument(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.exceptions import ValidationError
    from django_scopes import scopes_disabled

    from inka.network.survey.instrument_file import InstrumentFileError, parse_instrument
    from inka.network.survey.services import instrument_load

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        print(f"{path}: Datei kann nicht gelesen werden ({error.strerror}).", file=sys.stderr)
        return 1
    try:
        data = parse_instrument(content)
        # Questionnaires are programme-wide configuration, not records of a site.
        with scopes_disabled():
            instrument, created = instrument_load(data=data)
    except InstrumentFileError as error:
        print(f"{path}: nicht geladen, die Datei hat {len(error.problems)} Fehler.", file=sys.stderr)
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except ValidationError as error:
        print(f"{path}: nicht geladen. {' '.join(error.messages)}", file=sys.stderr)
        return 1
    items = sum(len(dimension.items) for dimension in data.dimensions)
    action = "neu angelegt" if created else "ersetzt"
    print(f"Fragebogen „{instrument.name}“ {action}: {len(data.dimensions)} Dimensionen, {items} Fragen.")
    return 0


def _add_survey_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    survey = commands.add_parser("survey", help="Partnerbefragung: Fragebögen laden")
    actions = survey.add_subparsers(dest="survey_command", required=True)
    p = actions.add_parser(
        "load-instrument",
        help="Fragebogen aus einer JSON-Datei prüfen und laden; ersetzt einen gleichnamigen ohne Antworten",
    )
    p.add_argument("file", metavar="DATEI")
    p.set_defaults(handler=survey_load_instrument)


def backup_command(args: argparse.Namespace) -> int:
    _django_setup()
    from inka.core.backup import BackupError, backup, backup_summary, load_manifest, verify

    try:
        if args.verify:
            manifest = verify(Path(args.verify))
            print(f"Sicherung {args.verify} ist vollständig: {len(manifest['files'])} Dateien geprüft.")
            return 0
        folder = backup(Path(args.output) if args.output else None)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(backup_summary(folder, load_manifest(folder)))
    return 0


def restore_command(args: argparse.Namespace) -> int:
    _django_setup()
    from inka.core.backup import BackupError, restore, restore_summary

    try:
        restored = restore(Path(args.path), force=args.force)
    except BackupError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(restore_summary(restored))
    return 0


def _add_backup_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = commands.add_parser("backup", help="Datenbank, Dokumente und Mediendateien sichern (docs/backup.md)")
    p.add_argument(
        "--output", metavar="ORDNER", help="Sicherung in diesem Ordner anlegen statt in INKA_BACKUP_DIR"
    )
    p.add_argument(
        "--verify", metavar="SICHERUNG", help="nur prüfen, ob eine Sicherung vollständig und unverändert ist"
    )
    p.set_defaults(handler=backup_command)

    p = commands.add_parser(
        "restore", help="Sicherung wiederherstellen, migrieren und das Löschjournal erneut anwenden"
    )
    p.add_argument("path", metavar="SICHERUNG", help="Ordner der Sicherung")
    p.add_argument(
        "--force", action="store_true", help="auch eine Datenbank ersetzen, die bereits Daten enthält"
    )
    p.set_defaults(handler=restore_command)


REASONS_DE = {
    "open_case": "mit offenem Fall",
    "active": "noch aktiv (ESF-Teilnahme oder Ehrenamt)",
    "no_round": "keine Förderrunde",
    "no_final_payment": "Schlusszahlung der Förderrunde fehlt",
    "running": "Aufbewahrungsfrist läuft noch",
}


def _persons(count: int) -> str:
    return "1 Person" if count == 1 else f"{count} Personen"


def retention_run(args: argparse.Namespace) -> int:
    _django_setup()
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from inka.privacy.retention import ApprovalRequired, run

    today = args.today or timezone.localdate()
    try:
        with scopes_disabled():
            report = run(today, dry_run=args.dry_run)
    except ApprovalRequired:
        print(
            "Kein Lauf ohne Freigabe: Fällige Personen gibt die oder der Datenschutzbeauftragte unter "
            "„Datenschutz – Aufbewahrung und Löschung“ frei. Ein Probelauf geht mit --dry-run.",
            file=sys.stderr,
        )
        return 1
    if report.nothing_to_do and not args.dry_run:
        print(f"Aufbewahrung und Löschung, Stand {today:%d.%m.%Y}: Nichts zu tun.")
        return 0
    sites = ", ".join(f"{code} {count}" for code, count in report.by_site.items())
    held = ", ".join(f"{count} {REASONS_DE[reason]}" for reason, count in sorted(report.held.items()))
    done = "fällig (Probelauf, nichts geändert)" if args.dry_run else "anonymisiert"
    lines = [
        f"Aufbewahrung und Löschung, Stand {today:%d.%m.%Y}",
        f"{_persons(len(report.persons))} {done}" + (f" ({sites})" if sites else ""),
        "Datensätze: " + (", ".join(f"{label} {n}" for label, n in report.records.items()) or "keine"),
        f"Dokumente: {report.documents}, Einträge der Änderungshistorie bereinigt: {report.audit_entries}, "
        f"Zugriffsprotokoll-Einträge älter als die Frist: {report.access_log_entries}",
    ]
    if held:
        lines.append(f"Nicht fällig: {held}")
    if report.not_approved:
        ids = ", ".join(map(str, report.not_approved))
        lines.append(f"Fällig, aber nicht freigegeben: {_persons(len(report.not_approved))} (IDs {ids})")
    for pk in report.problems:
        lines.append(f"Person {pk}: kein anderes Geburtsdatum ergibt dieselben Altersangaben, es bleibt.")
    if report.rounds_without_final_payment:
        lines.append("Förderrunden ohne Schlusszahlung: " + ", ".join(report.rounds_without_final_payment))
    print("\n".join(lines))
    return 0


def retention_replay(args: argparse.Namespace) -> int:
    _django_setup()
    from django_scopes import scopes_disabled

    from inka.privacy.retention import JournalError, replay_journal

    try:
        with scopes_disabled():
            count = replay_journal()
    except JournalError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"Löschjournal angewendet: {_persons(count)} erneut anonymisiert.")
    return 0


def figures_refresh(args: argparse.Namespace) -> int:
    _django_setup()
    from django.utils import timezone

    from inka.monitoring.publication import count_programme_figures

    snapshot = count_programme_figures(today=timezone.localdate())
    print(f"Kennzahlen aller Standorte gezählt ({snapshot.seconds:.1f} s), Stand {snapshot.day:%d.%m.%Y}.")
    return 0


def _add_retention_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    retention = commands.add_parser("retention", help="Aufbewahrungsfristen: fällige Personen anonymisieren")
    actions = retention.add_subparsers(dest="retention_command", required=True)
    p = actions.add_parser("run", help="fällige und freigegebene Personen anonymisieren")
    p.add_argument("--dry-run", action="store_true", help="nur zeigen, was fällig ist; nichts ändern")
    p.add_argument("--today", type=_date_argument, metavar="DATUM", help="Stichtag (JJJJ-MM-TT), sonst heute")
    p.set_defaults(handler=retention_run)
    p = actions.add_parser("replay", help="Löschjournal nach einer Wiederherstellung erneut anwenden")
    p.set_defaults(handler=retention_replay)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inka", description="INKA – das Informationssystem von ThINKA")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("demo", help="Demo mit SQLite, ThINKA-Standorten und Beispieldaten starten")
    p.add_argument("--fresh", action="store_true", help="Demo-Datenbank löschen und neu anlegen")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=2013, help="Zufallsstartwert der Demo-Daten")
    p.add_argument("--no-serve", action="store_true", help="nur einrichten, nicht starten")
    p.add_argument(
        "--persons",
        type=_positive_int,
        metavar="N",
        help="genau N Personen (z. B. 100000 für Last- und Messdaten); alles andere wächst mit",
    )
    p.add_argument(
        "--contacts", type=_positive_int, metavar="N", help="etwa N Kontakte insgesamt (nur mit --persons)"
    )
    p.set_defaults(handler=demo)

    p = commands.add_parser("serve", help="Produktionsserver (gunicorn) starten")
    p.add_argument("--bind", default="127.0.0.1:8000")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(handler=serve)

    p = commands.add_parser("seed", help="ThINKA-Stammdaten (Kreise, Standorte, Träger) laden")
    p.set_defaults(handler=seed)

    p = commands.add_parser("manage", help="Django-Verwaltungsbefehl ausführen", add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(handler=manage)

    _add_esf_parser(commands)
    _add_survey_parser(commands)
    _add_retention_parser(commands)
    help_text = "Kennzahlen aller Standorte für die Seiten außerhalb der Teams"
    figures = commands.add_parser("figures", help=help_text)
    actions = figures.add_subparsers(dest="figures_command", required=True)
    p = actions.add_parser("refresh", help="neu zählen (regelmäßig per cron, siehe docs/performance.md)")
    p.set_defaults(handler=figures_refresh)
    _add_backup_parsers(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
