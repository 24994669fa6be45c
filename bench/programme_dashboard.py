"""Benchmark: the programme dashboard on the demo data at several sizes (docs/performance.md).

    uv run python bench/programme_dashboard.py                 # scales 1, 2 and 4, 20 views each
    uv run python bench/programme_dashboard.py --scales 1 8 --runs 50

For each scale the demo data is generated into its own temporary data directory (SQLite; or the
PostgreSQL database named by INKA_DATABASE_URL, which is emptied first), then the coordinator opens
the programme dashboard through Django's test client `--runs` times. Each view starts with an empty
cache, so every view counts and suppresses everything anew (the worst case). Printed: the records
behind the figures, the median and 95th percentile of the server time and the number of queries.
Not part of the test suite.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(scale: float, runs: int, indicator: str) -> dict[str, object]:
    """Generate the demo data at `scale` and time the dashboard (runs in a fresh process per size)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inka.settings")
    os.environ.update(
        INKA_DEBUG="false", INKA_HTTPS="false", INKA_STATIC_MANIFEST="false", INKA_ALLOWED_HOSTS="testserver"
    )
    os.environ.setdefault("INKA_SECRET_KEY", "benchmark-only-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django_scopes import scopes_disabled

    from inka.accounts.models import User
    from inka.cases.models import Case, Contact
    from inka.community.models import Session
    from inka.core.demo import DEMO_EMAIL_DOMAIN, demo_generate
    from inka.monitoring.publication import forget_programme_figures
    from inka.programme.models import Site

    setup_test_environment()  # the test client's response.context and templates
    call_command("migrate", interactive=False, verbosity=0)
    if connection.vendor != "sqlite":  # a shared database server: start from empty tables
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    demo_generate(scale=scale)
    generated = time.perf_counter() - started
    with scopes_disabled():
        records = {
            "sites": Site.objects.count(),
            "cases": Case.objects.count(),
            "contacts": Contact.objects.count(),
            "sessions": Session.objects.count(),
        }
        coordinator = User.objects.get(email=f"koordination@{DEMO_EMAIL_DOMAIN}")
    client = Client()
    client.force_login(coordinator)
    url = "/kennzahlen/programm/"

    def view() -> tuple[float, int]:
        with CaptureQueriesContext(connection) as context:
            begin = time.perf_counter()
            response = client.get(url, {"indicator": indicator})
            elapsed = time.perf_counter() - begin
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return elapsed * 1000, len(context.captured_queries)

    times, queries, cached = [], [], []
    for _run in range(runs + 1):
        forget_programme_figures()  # the kept figures and the publications: count everything anew
        elapsed, count = view()
        if _run:  # the first view warms up imports and the map's geometry
            times.append(elapsed)
            queries.append(count)
    for _run in range(runs):  # the usual case: the figures were counted within the last minutes
        cached.append(view()[0])
    times.sort()
    cached.sort()
    return {
        "scale": scale,
        "database": connection.vendor,
        "generated_s": round(generated, 1),
        "records": records,
        "runs": runs,
        "median_ms": round(statistics.median(times)),
        "p95_ms": round(times[max(0, round(0.95 * len(times)) - 1)]),
        "queries": sorted(set(queries)),
        "cached_median_ms": round(statistics.median(cached)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--indicator", default="contacts.total")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # internal: measure one scale
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.runs, args.indicator)))
        return 0
    results = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix=f"inka-bench-{scale:g}-") as data_dir:
            env = {**os.environ, "INKA_DATA_DIR": data_dir}
            command = [sys.executable, __file__, "--one", str(scale), "--runs", str(args.runs)]
            command += ["--indicator", args.indicator]
            output = subprocess.run(command, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout  # noqa: S603
            result = json.loads(output.strip().splitlines()[-1])
            results.append(result)
            print(json.dumps(result), file=sys.stderr)
    print(
        f"\nProgramme dashboard ({args.indicator}), {args.runs} views per size with the cache emptied "
        "before each (counted anew), then as many with the figures kept from the last minutes\n"
    )
    print("| Scale | Database | Sites | Cases | Contacts | Sessions | Median | 95th pct. | Queries | Kept |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        records = result["records"]
        queries = ", ".join(str(number) for number in result["queries"])
        print(
            f"| {result['scale']:g} | {result['database']} | {records['sites']} | {records['cases']} | "
            f"{records['contacts']} | {records['sessions']} | {result['median_ms']} ms | "
            f"{result['p95_ms']} ms | {queries} | {result['cached_median_ms']} ms |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
