"""Benchmark suite: the pages and jobs of PRODUCT.md's performance budgets, on the demo data.

    uv run python bench/suite.py                                   # SQLite, 10,000 and 100,000 persons
    bash scripts/with-postgres uv run python bench/suite.py        # the same on a throwaway PostgreSQL 15
    uv run python bench/suite.py --persons 10000 --runs 10         # quicker, one size

For every size the demo generator makes N persons and ten contacts per person (`--contacts-per-person`)
at all sites (bench/datasets.py keeps SQLite data sets under var/bench/ for the day). In a fresh
process per size, the pages are requested through Django's test client as the demo user who works
with them, signed in with the second factor: a warm-up, then `--runs` timed requests (server time:
view, queries, template; no network or browser), then one more to count the queries. Printed: one
table per size, the query counts of every page at every size, and the budgets with what was met.
Written: var/bench/suite-<database>.json. Exit status 1 when a budget is missed.

Not part of the test suite (`bash scripts/test`); docs/performance.md has the method and the figures.
"""

import argparse
import json
import os
import statistics
import subprocess  # nosec B404  (runs this script again, one process per data set)
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets  # the directory of this script, not a package

# Budgets of PRODUCT.md ("Performance budgets"), in milliseconds of server time (95th percentile).
PAGE_BUDGET_MS = 100
ESF_REPORT_BUDGET_MS = 1000
ESF_FLOOR_RATIO = 2.0
IMPORT_BUDGET_S = 30
IMPORT_SIZE = 10_000
BUDGET_PAGES = ("case_list", "person_search", "case_detail")
LIST_PAGES = ("case_list", "case_list_deep", "case_search", "person_search", "work_list")


@dataclass
class Result:
    name: str
    label: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    budget_ms: float | None = None
    note: str = ""


@dataclass
class SizeResult:
    persons: int
    database: str
    records: dict[str, int]
    generated_s: float | None
    results: list[Result] = field(default_factory=list)
    esf_floor_ms: float = 0.0
    esf_engine_ms: float = 0.0
    esf_participations: int = 0
    import_s: float = 0.0
    import_rows: int = 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def page(
    client: Any, url: str, runs: int, *, warmups: int = 2, before: Callable[[], None] | None = None
) -> tuple[list[float], int]:
    """Server times of `runs` GETs of `url` (after `warmups`) and the queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for index in range(warmups + runs):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        if index >= warmups:
            times.append(elapsed)
            queries = len(context.captured_queries)
    return times, queries


def esf_floor(period_from: date, period_to: date) -> tuple[int, float]:
    """One hand-written SQL aggregate over the rows the ESF report reads: the participations that
    entered or left in the period, with their stays, labour-market events, education starts and
    qualifications, counted by gender (entries, by labour status, leavers, with a result).
    Returns the participations it covered and its time in milliseconds."""
    from django.db import connection

    sql = """
        SELECT p.gender,
               COUNT(*),
               SUM(CASE WHEN p.entry_date BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.labour_status_at_entry = 'UNEMPLOYED' THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.labour_status_at_entry = 'INACTIVE' THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.exit_date BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END),
               SUM(s.stays),
               SUM(CASE WHEN e.events > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.starts > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN q.awarded > 0 THEN 1 ELSE 0 END)
          FROM esf_participation p
          LEFT JOIN (SELECT participation_id, COUNT(*) AS stays FROM esf_stay GROUP BY participation_id) s
                 ON s.participation_id = p.id
          LEFT JOIN (SELECT participation_id, COUNT(*) AS events FROM esf_exitevent
                      GROUP BY participation_id) e ON e.participation_id = p.id
          LEFT JOIN (SELECT participation_id, COUNT(*) AS starts FROM esf_educationstart
                      GROUP BY participation_id) t ON t.participation_id = p.id
          LEFT JOIN (SELECT participation_id, COUNT(*) AS awarded FROM esf_qualification
                      GROUP BY participation_id) q ON q.participation_id = p.id
         WHERE p.entry_date BETWEEN %(start)s AND %(end)s OR p.exit_date BETWEEN %(start)s AND %(end)s
         GROUP BY p.gender
    """
    params = {"start": period_from, "end": period_to}
    rows: list[Any] = []

    def run() -> None:
        nonlocal rows
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()

    timed(run, 2)
    times = timed(run, 10)
    return sum(row[1] for row in rows), statistics.median(times)


def esf_engine(period_from: date, period_to: date, runs: int) -> float:
    """The ESF report of the period over all sites, as the command line computes it (median ms)."""
    from django_scopes import scopes_disabled

    from inka.esf.reporting import build_report

    def run() -> None:
        with scopes_disabled():
            build_report(site_codes=None, period_from=period_from, period_to=period_to)

    timed(run, 1)
    return statistics.median(timed(run, runs))


def import_file() -> tuple[bytes, int]:
    """The first IMPORT_SIZE participations of the data set in the import format, under new ids."""
    from django_scopes import scopes_disabled

    from inka.esf.interchange import export_participations

    with scopes_disabled():
        exported = export_participations(site_codes=None, file_format="jsonl").decode("utf-8")
    lines = []
    for line in exported.splitlines()[:IMPORT_SIZE]:
        record = json.loads(line)
        # New participations of new persons: the import creates them (the keys are unique per site).
        record["participation_id"] = "B" + record["participation_id"]
        record["person_key"] = "B" + record["person_key"]
        lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8"), len(lines)


def import_time() -> tuple[float, int]:
    """Seconds to check and import IMPORT_SIZE new participations; rolled back afterwards."""
    from django.db import transaction
    from django_scopes import scopes_disabled

    from inka.esf.interchange import import_participations

    content, rows = import_file()
    with scopes_disabled(), transaction.atomic():
        started = time.perf_counter()
        result = import_participations(name="bench.jsonl", content=content)
        elapsed = time.perf_counter() - started
        if result.problems or result.created != rows:
            raise SystemExit(f"import refused: {result.problems[:3]} (created {result.created} of {rows})")
        transaction.set_rollback(True)
    return elapsed, rows


def measure(persons: int, contacts: int, runs: int) -> SizeResult:
    data = datasets.prepare(persons, contacts)
    from django.db.models import Count
    from django.test.utils import setup_test_environment
    from django_scopes import scopes_disabled

    from inka.cases.models import Case, Person
    from inka.monitoring.publication import forget_programme_figures as forget
    from inka.programme.models import Site

    setup_test_environment()
    size = SizeResult(persons, data.vendor, data.records, data.generated_s)
    staff = datasets.verified_client(datasets.demo_user("lotse.alt"))
    lead = datasets.verified_client(datasets.demo_user("leitung.alt"))
    coordinator = datasets.verified_client(datasets.demo_user("koordination"))
    with scopes_disabled():
        site = Site.objects.get(code="ALT")
        case = (
            Case.objects.filter(site=site, person__restricted_at=None)
            .annotate(n=Count("contacts"))
            .order_by("-n", "pk")
            .first()
        )
        common = (
            Person.objects.filter(site=site)
            .values("last_name")
            .annotate(n=Count("pk"))
            .order_by("-n", "last_name")
            .first()
        )
        site_cases = Case.objects.filter(site=site).count()
    assert case is not None and common is not None
    deep = max(1, site_cases // 25 // 2)  # the middle page: what offset pagination makes slow
    last_year = datasets.today().year - 1
    esf_from, esf_to = date(last_year, 1, 1), date(last_year, 12, 31)
    name = common["last_name"]
    report = f"/esf/bericht/?period_from={esf_from}&period_to={esf_to}"
    dashboard = "/kennzahlen/programm/"
    pages: list[tuple[str, str, Any, str, float | None, Callable[[], None] | None]] = [
        ("case_list", "Case list, first page", staff, "/faelle/", PAGE_BUDGET_MS, None),
        ("case_list_deep", f"Case list, page {deep}", staff, f"/faelle/?page={deep}", None, None),
        ("case_search", "Case list, search by name", staff, f"/faelle/?q={name}", None, None),
        ("person_search", "Person search", staff, f"/personen/?q={name}", PAGE_BUDGET_MS, None),
        (
            "case_detail",
            f"Case detail ({case.n} contacts)",
            staff,
            f"/faelle/{case.pk}/",
            PAGE_BUDGET_MS,
            None,
        ),
        ("work_list", "Work list", staff, "/arbeitsliste/", None, None),
        ("site_dashboard", "Site dashboard (team)", lead, f"/kennzahlen/standorte/{site.pk}/", None, None),
        ("programme_dashboard_kept", "Programme dashboard, figures kept", coordinator, dashboard, None, None),
        ("programme_dashboard", "Programme dashboard, counted anew", coordinator, dashboard, None, forget),
        (
            "esf_report_page",
            f"ESF report {last_year}, all sites (page)",
            coordinator,
            report,
            ESF_REPORT_BUDGET_MS,
            None,
        ),
    ]
    for name, label, client, url, budget, before in pages:
        # Counting anew takes a minute at 100,000 persons: three views, warmed up by the page before.
        count = runs if before is None else 3
        times, queries = page(client, url, count, warmups=2 if before is None else 0, before=before)
        size.results.append(
            Result(name, label, count, statistics.median(times), percentile(times, 0.95), queries, budget)
        )
        print(f"  {label}: median {statistics.median(times):.0f} ms, {queries} queries", file=sys.stderr)
    size.esf_participations, size.esf_floor_ms = esf_floor(esf_from, esf_to)
    size.esf_engine_ms = esf_engine(esf_from, esf_to, max(3, runs // 3))
    size.import_s, size.import_rows = import_time()
    return size


def run_size(persons: int, args: argparse.Namespace) -> SizeResult:
    """Measure one size in its own process: Django's settings and database differ per data set."""
    command = [sys.executable, __file__, "--one", str(persons), "--runs", str(args.runs)]
    command += ["--contacts-per-person", str(args.contacts_per_person)]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout  # noqa: S603  # nosec B603
    raw = json.loads(output.strip().splitlines()[-1])
    raw["results"] = [Result(**result) for result in raw["results"]]
    return SizeResult(**raw)


def ms(value: float) -> str:
    return f"{value:,.0f} ms".replace(",", " ") if value >= 10 else f"{value:.1f} ms"


def report(sizes: list[SizeResult]) -> list[str]:
    """Print the tables and return the budgets missed."""
    for size in sizes:
        records = ", ".join(f"{key} {value:,}".replace(",", " ") for key, value in size.records.items())
        made = f"generated in {size.generated_s:.0f} s" if size.generated_s else "reused"
        print(f"\n## {size.persons:,} persons on {size.database} ({records}; {made})\n".replace(",", " "))
        print("| Page | Runs | Median | 95th pct. | Queries | Budget |")
        print("|---|---:|---:|---:|---:|---|")
        for result in size.results:
            budget = f"< {ms(result.budget_ms)}" if result.budget_ms else ""
            print(
                f"| {result.label} | {result.runs} | {ms(result.median_ms)} | {ms(result.p95_ms)} | "
                f"{result.queries} | {budget} |"
            )
        ratio = size.esf_engine_ms / size.esf_floor_ms if size.esf_floor_ms else float("inf")
        print(
            f"\nESF report over all sites, {size.esf_participations:,} participations: engine "
            f"{ms(size.esf_engine_ms)}, hand-written SQL floor {ms(size.esf_floor_ms)}, ratio {ratio:.2f} "
            f"(budget ≤ {ESF_FLOOR_RATIO:g})".replace(",", " ")
        )
        rows = f"{size.import_rows:,}".replace(",", " ")
        print(f"Import of {rows} participations: {size.import_s:.1f} s (budget < {IMPORT_BUDGET_S} s)")
    names = [result.name for result in sizes[0].results]
    print("\n## Query counts per page\n")
    print("| Page | " + " | ".join(f"{size.persons:,} persons".replace(",", " ") for size in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name in names:
        counts = [next(r.queries for r in size.results if r.name == name) for size in sizes]
        print(f"| {name} | " + " | ".join(str(count) for count in counts) + " |")
    missed = []
    largest = max(sizes, key=lambda size: size.persons)
    for result in largest.results:
        if result.budget_ms and result.p95_ms >= result.budget_ms:
            missed.append(
                f"{result.label}: p95 {ms(result.p95_ms)}, {ms(result.p95_ms - result.budget_ms)} over"
            )
    ratio = largest.esf_engine_ms / largest.esf_floor_ms if largest.esf_floor_ms else float("inf")
    if ratio > ESF_FLOOR_RATIO:
        missed.append(f"ESF report: {ratio:.2f} × the SQL floor (budget {ESF_FLOOR_RATIO:g} ×)")
    over = largest.esf_engine_ms - ESF_REPORT_BUDGET_MS
    if over >= 0:
        missed.append(f"ESF report: {ms(largest.esf_engine_ms)}, {ms(over)} over")
    if largest.import_s >= IMPORT_BUDGET_S:
        missed.append(f"Import: {largest.import_s:.1f} s, {largest.import_s - IMPORT_BUDGET_S:.1f} s over")
    for name in LIST_PAGES:
        found = {next(r.queries for r in size.results if r.name == name) for size in sizes}
        if len(found) > 1:
            missed.append(f"{name}: query count differs between sizes ({sorted(found)})")
    print(f"\n## Budgets at {largest.persons:,} persons on {largest.database}\n".replace(",", " "))
    print("\n".join(f"* MISSED {line}" for line in missed) if missed else "* every budget met")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--contacts-per-person", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page")
    parser.add_argument("--json", type=Path, help="where to write the results (default var/bench/)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size
    args = parser.parse_args()
    if args.one is not None:
        result = measure(args.one, args.one * args.contacts_per_person, args.runs)
        print(json.dumps(asdict(result)))
        return 0
    sizes = [run_size(persons, args) for persons in sorted(args.persons)]
    missed = report(sizes)
    database = sizes[0].database
    target = args.json or datasets.BENCH_DIR / f"suite-{database}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {"measured_on": datasets.today().isoformat(), "cpus": os.cpu_count()}
    payload |= {"missed": missed, "sizes": [asdict(size) for size in sizes]}
    target.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nJSON: {target}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
