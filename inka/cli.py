"""The `inka` command: run the demo, serve in production, and pass commands through to Django.

inka demo [--fresh] [--port 8000]   set up SQLite with the ThINKA seed and demo data, then serve
inka serve [--bind ADDR] [--workers N]   production server (gunicorn) with the INKA_* settings
inka seed                            load or update the ThINKA seed (districts, sites, carriers)
inka manage ARGS...                  any Django management command
"""

import argparse
import os
import secrets
import shutil
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inka.settings")
    import django

    django.setup()


def demo(args: argparse.Namespace) -> int:
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
        demo_generate(seed=args.seed)
    with scopes_disabled():
        rows = login_rows()
    print(f"\nDemo-Zugänge (Passwort für alle: {DEMO_PASSWORD})\n")
    width = max(len(row.email) for row in rows)
    for row in rows:
        print(f"  {row.email:<{width}}  {row.role_label} – {row.description}")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inka", description="INKA – das Informationssystem von ThINKA")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("demo", help="Demo mit SQLite, ThINKA-Standorten und Beispieldaten starten")
    p.add_argument("--fresh", action="store_true", help="Demo-Datenbank löschen und neu anlegen")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--seed", type=int, default=2013, help="Zufallsstartwert der Demo-Daten")
    p.add_argument("--no-serve", action="store_true", help="nur einrichten, nicht starten")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
