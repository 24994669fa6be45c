"""Counting records per site and period in one query, for the monitoring indicators.

Every app exposes its figures as selectors built on `per_period`: one GROUP BY query (by site, and
optionally by one breakdown field) with one conditional aggregate per period, so a dashboard costs
one query per indicator however many sites, periods and records there are. Only numbers leave here.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, CharField, Count, Func, Q, QuerySet, Sum
from django_scopes import scope

from inka.core.scoping import SITE, SOCIAL


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included; `key` names it in results."""

    key: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"Period {self.key} ends before it starts.")

    def q(self, day: str) -> Q:
        """Records whose `day` field lies in the period."""
        return Q(**{f"{day}__range": (self.start, self.end)})


Number = int | Decimal
Key = tuple[int, str, Any]  # (site id, period key, breakdown value or None)
Counts = dict[Key, Number]
Measure = Callable[[Period], Aggregate]


def count(day: str, expression: str = "pk", *, distinct: bool = False) -> Measure:
    """Records (or different `expression` values) whose `day` lies in the period."""
    return lambda period: Count(expression, distinct=distinct, filter=period.q(day))


def total(day: str, expression: str) -> Measure:
    """Sum of `expression` over the records whose `day` lies in the period (0 when there are none)."""
    return lambda period: Sum(expression, filter=period.q(day))


def per_period(
    queryset: QuerySet[Any],
    *,
    site_ids: Sequence[int],
    periods: Sequence[Period],
    measure: Measure,
    site: str = "site_id",
    by: str | None = None,
    within: str | None = None,
) -> Counts:
    """{(site id, period key, breakdown value): number} from one GROUP BY query.

    `within` names a date field that bounds the rows to the span of all periods (so an index on it
    is used); leave it out when a measure looks at other dates (e.g. a stock on the last day).
    Zero values are left out: a missing key means 0.
    """
    if not site_ids or not periods:
        return {}
    queryset = queryset.filter(**{f"{site}__in": list(site_ids)})
    if within:
        start, end = min(p.start for p in periods), max(p.end for p in periods)
        queryset = queryset.filter(**{f"{within}__range": (start, end)})
    names = {f"p{index}": period for index, period in enumerate(periods)}
    group = [site, by] if by else [site]
    rows = (
        queryset.order_by()
        .values(*group)
        .annotate(**{name: measure(period) for name, period in names.items()})
    )
    counts: Counts = {}
    for row in rows:  # one row per site (and breakdown value): bounded by the sites, not the records
        for name, period in names.items():
            if row[name]:
                counts[(row[site], period.key, row[by] if by else None)] = row[name]
    return counts


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


class MonthOf(Func):
    """The month of a date as "YYYY-MM", computed by the database itself.

    Django's ExtractYear/ExtractMonth run a Python function per row on SQLite; months are grouped
    over hundreds of thousands of contacts, so each backend gets its native form instead.
    """

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


def per_month(
    queryset: QuerySet[Any],
    *,
    site_ids: Sequence[int],
    start: date,
    end: date,
    day: str,
    value: Aggregate | None = None,
    site: str = "site_id",
    by: str | None = None,
) -> Counts:
    """{(site id, "YYYY-MM", breakdown value): number} for events dated `day`, from one GROUP BY query.

    `value` defaults to counting the records; zero values are left out.
    """
    if not site_ids:
        return {}
    group = [site, by] if by else [site]
    rows = (
        queryset.filter(**{f"{site}__in": list(site_ids), f"{day}__range": (start, end)})
        .annotate(_month=MonthOf(day))
        .order_by()
        .values(*group, "_month")
        .annotate(_value=value if value is not None else Count("pk"))
    )
    counts: Counts = {}
    for row in rows:  # one row per site and month (and breakdown value), not per record
        if row["_value"]:
            key = (row[site], row["_month"], row[by] if by else None)
            counts[key] = counts.get(key, 0) + row["_value"]
    return counts


def roll_up(monthly: Counts, periods: Sequence[Period]) -> Counts:
    """Monthly counts ("YYYY-MM" keys) added up to each period; periods begin with whole months."""
    rolled: Counts = {}
    for (site, month, value), number in monthly.items():
        first = date.fromisoformat(f"{month}-01")
        for period in periods:
            if period.start <= first <= period.end:
                key = (site, period.key, value)
                rolled[key] = rolled.get(key, 0) + number
    return rolled


@contextmanager
def statistics_scope(site_ids: Sequence[int]) -> Iterator[None]:
    """Lift the scope to `site_ids` for aggregate queries that return numbers only.

    The programme coordination and steering groups may see figures of sites whose person-level
    records they may not open; the indicator selectors run inside this scope and return counts.
    """
    ids = list(site_ids)
    with scope(**{SITE: ids, SOCIAL: ids}):
        yield
