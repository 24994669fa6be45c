"""The site dashboard's builder: what the team and everyone else see, and that it adds up."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext as _

from inka.cases.tests.factories import make_case, make_contact
from inka.monitoring.access import Audience
from inka.monitoring.catalogue import indicators
from inka.monitoring.dashboard_site import Dashboard, Reading, change, site_dashboard
from inka.monitoring.document import Cell, Chart, Document, Table
from inka.monitoring.figures import WHOLE, Figures, Ratio
from inka.monitoring.periods import Calendar
from inka.monitoring.publication import forget_programme_figures

TODAY = date(2026, 8, 15)  # third quarter: the first two are complete
K = 3
CONTACTS = {
    "2026-08": 10,
    "2026-07": 2,
    "2026": 120,
    "2026-Q1": 40,
    "2026-Q2": 50,
    "2026-Q3": 30,
    "2025": 200,
    "2025-Q1": 35,
    "2026-Q1-Q2": 90,
    "2025-Q1-Q2": 75,
    "2024": 150,
}


def figures(site_id: int, today: date = TODAY) -> Figures:
    """Hand-made exact figures of one site (keys as exact_figures produces them)."""
    counts: dict[Any, Any] = {
        ("contacts.total", None): {(site_id, period, None): n for period, n in CONTACTS.items()},
        ("contacts.total", "mode"): {
            (site_id, "2026", "walk_in"): 50,
            (site_id, "2026", "appointment"): 2,
            (site_id, "2026", "outreach"): 40,
            (site_id, "2026", "home_visit"): 20,
            (site_id, "2026", "phone"): 8,
            (site_id, "2025", "walk_in"): 100,
            (site_id, "2025", "outreach"): 100,
        },
        ("contacts.outreach_share", None): {(site_id, "2026", None): 60},
        ("contacts.outreach_share" + WHOLE, None): {(site_id, "2026", None): 120},
        ("persons.counselled", None): {(site_id, "2026", None): 1, (site_id, "2025", None): 30},
        ("persons.counselled", "gender"): {(site_id, "2026", "f"): 1, (site_id, "2025", "m"): 30},
    }
    return Figures(Calendar(today), (site_id,), counts)


class Published:
    """Stands in for publication.publish: figures below k hidden, months never published."""

    def __init__(self, exact: Figures, k: int) -> None:
        self.exact, self.k = exact, k

    def value(self, indicator: Any, site_id: int | None, period: str, **kwargs: Any) -> Any:
        if len(period) == 7 and period[5:].isdigit():
            return None  # a month
        if kwargs.get("by") and period[:4] not in ("2025", "2026"):
            return None  # breakdowns: this year and last year only
        found = self.exact.value(indicator, site_id, period, **kwargs)
        number = found.part if isinstance(found, Ratio) else found
        return None if 0 < number < self.k else found


def build(site: Any, audience: Audience, today: date = TODAY, flags: Any = None) -> Document:
    exact = figures(site.pk, today)
    source = exact if audience == Audience.TEAM else Published(exact, K)
    reading = Reading(source, site.pk)
    return Dashboard(site, reading, audience=audience, today=today, flags=flags or {}).build()


def tables(doc: Document) -> dict[str, Table]:
    found = {}
    for section in doc.sections:
        for block in section.blocks:
            table = block.table if isinstance(block, Chart) else block
            if isinstance(table, Table):
                found[table.key] = table
    return found


def row(table: Table, code: str) -> list[Cell]:
    """The cells of the row of indicator `code` (its label links to the catalogue entry)."""
    anchor = "#" + code.replace(".", "-")
    return next(list(r.cells) for r in table.rows if r.url.endswith(anchor))


def values(cells: list[Cell]) -> list[Any]:
    return ["hidden" if cell.hidden else cell.value for cell in cells]


@pytest.mark.django_db
def test_the_team_sees_exact_values_with_this_month_and_the_comparison(world):
    doc = build(world.site_a, Audience.TEAM)
    table = tables(doc)["tabelle-case_work"]
    assert len(table.columns) == 10
    quarters = [_("Q%(quarter)s %(year)s") % {"quarter": n, "year": 2026} for n in range(1, 5)]
    assert list(table.columns[2:7]) == [*quarters, "2025"]
    # The table's values are the figures; Q4 has not begun; (90 − 75) / 75 = +20 %.
    assert values(row(table, "contacts.total")) == [10, 120, 40, 50, 30, None, 200, 90, 75, Decimal("20.0")]
    assert values(row(table, "contacts.outreach_share"))[1] == Decimal("50.0")
    assert row(table, "contacts.outreach_share")[1].unit == "percent"
    assert doc.notes == ()  # nothing hidden, nothing flagged
    months = tables(doc)["kontakte-verlauf"]
    assert [str(r.label) for r in months.rows] == ["2025", "2026"]
    assert len(months.columns) == 12
    this_year = values(list(months.rows[1].cells))
    assert this_year[6:8] == [2, 10] and this_year[8:] == [None] * 4  # September has not begun
    link = table.rows[0].url
    assert link.endswith("/kennzahlen/katalog/#contacts-total")


@pytest.mark.django_db
def test_outside_the_team_no_month_and_no_cell_below_k(world):
    doc = build(world.site_a, Audience.OUTSIDE)
    every = tables(doc)
    assert len(every["tabelle-case_work"].columns) == 9  # no month
    assert every["kontakte-verlauf"].columns == tuple(_("Q%(quarter)s") % {"quarter": n} for n in range(1, 5))
    for table in every.values():
        for table_row in table.rows:
            for cell in table_row.cells:
                if cell.unit == "count" and cell.value is not None:
                    assert cell.value == 0 or cell.value >= K, (table.key, table_row.label)
    # One person counselled in 2026 is hidden.
    persons = values(row(every["tabelle-case_work"], "persons.counselled"))
    assert (persons[0], persons[5]) == ("hidden", 30)  # this year, last year
    # The office group holds the hidden appointments (2), so the whole group is hidden.
    place = every["kontakte-ort"]
    office, going_out, remote = (values(list(r.cells)) for r in place.rows)
    assert (office[-1], going_out[-1], remote[-1]) == ("hidden", 60, 8)
    assert office[-2] == 100 and remote[-2] == 0
    assert len(doc.notes) == 1 and str(K) in str(doc.notes[0])


@pytest.mark.django_db
def test_the_trend_leaves_out_leading_years_without_data(world):
    doc = build(world.site_a, Audience.TEAM)
    trend = tables(doc)["trend-contacts-total"]
    assert trend.columns == ("2024", "2025", "2026")  # 2022 and 2023 had nothing
    assert values(list(trend.rows[0].cells)) == [150, 200, 120]


@pytest.mark.django_db
def test_in_the_first_quarter_there_is_no_comparison_yet(world):
    doc = build(world.site_a, Audience.TEAM, today=date(2026, 2, 10))
    key = tables(doc)["kennzahlen"]
    assert len(key.columns) == 3 and str(key.columns[2]) == "2025"  # month, year, last year
    assert "2026" in str(key.caption)  # says there is no completed quarter of 2026 yet


@pytest.mark.django_db
def test_a_flagged_check_marks_the_indicators_and_is_named(world):
    doc = build(world.site_a, Audience.TEAM, flags={"stale_cases": ["Persons counselled"]})
    case_work = tables(doc)["tabelle-case_work"]
    assert all(cell.flagged for cell in row(case_work, "persons.counselled"))
    assert not any(cell.flagged for cell in row(case_work, "contacts.total"))
    assert [str(r.label) for r in case_work.rows if r.note] == [
        str(item.name) for item in indicators() if item.quality == "stale_cases"
    ]
    assert any("Persons counselled" in str(note) for note in doc.notes)


def test_change_in_percent():
    assert change(Cell(90), Cell(75)).value == Decimal("20.0")
    assert change(Cell(50), Cell(75)).value == Decimal("-33.3")
    assert change(Cell(5), Cell(0)).value is None  # no base to compare with
    assert change(Cell(5), Cell(None, hidden=True)).hidden
    assert change(Cell(Decimal("40.0"), unit="percent"), Cell(Decimal("20.0"), unit="percent")).value is None


def record(world: Any, contacts: int, cases: int) -> None:
    """At sites A and B: anonymous contacts in each quarter of 2026 so far and last year, and one
    contact in each of `cases` new cases (site A only)."""
    caseworker, other = world.user("caseworker"), world.user("other_caseworker")
    for _index in range(cases):
        case = make_case(world.site_a, caseworker)
        make_contact(world.site_a, caseworker, case, occurred_on=date(2026, 2, 3))
    for index in range(contacts):
        mode = ("walk_in", "outreach", "phone", "home_visit")[index % 4]
        day = date(2025 + index % 2, 2 + 3 * (index % 3), 5)
        make_contact(world.site_a, caseworker, occurred_on=day, mode=mode)
        make_contact(world.site_b, other, occurred_on=day, mode=mode)


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [Audience.TEAM, Audience.OUTSIDE])
def test_the_dashboard_costs_the_same_queries_however_many_records(
    world, audience, django_assert_max_num_queries
):
    record(world, contacts=4, cases=1)
    forget_programme_figures()
    with CaptureQueriesContext(connection) as few:
        site_dashboard(world.site_a, audience=audience, today=TODAY)
    record(world, contacts=40, cases=12)
    forget_programme_figures()  # the figures are kept: count the work, not the kept figures
    with django_assert_max_num_queries(len(few.captured_queries)):
        doc = site_dashboard(world.site_a, audience=audience, today=TODAY)
    assert len(few.captured_queries) < 120
    cells = row(tables(doc)["tabelle-case_work"], "contacts.total")
    this_year = cells[0 if audience == Audience.OUTSIDE else 1]
    assert this_year.value == 22 + 13  # every other contact falls in 2026, and the cases' contacts
