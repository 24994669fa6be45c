"""The figures shown outside a site's own team (M6): small counts hidden, nothing hidden recomputable.

Steering group members and the programme coordination see every figure through `publish`; a
site's own team sees the exact figures. The suppression is computed over all sites of the figures
at once, so the programme dashboard, one site's dashboard for its steering group and every export
read the same published cells, and nothing hidden on one page can be worked out from another.
A hidden cell reads as None. The threshold k comes from the caller (settings.SUPPRESSION_K; a k
below 3 is refused).

Periods published: the trend years, the quarters of this year and last year and the comparison
spans (the completed quarters of this year and the same quarters last year). Months are never
published, and breakdowns only for this year and last year.

By kind of indicator (see catalogue.Kind):

* FLOW (events): for this year and for last year one table of sites × quarters, whose row totals
  are the sites' year figures, whose column totals are the programme's quarters and whose grand
  total is the programme's year, suppressed with secondary suppression (inka.core.suppression).
  Each earlier trend year is a line of the sites' year figures with the programme total. A
  comparison span is the sum of its quarters, shown only when every one of them is shown.
* DISTINCT (different persons) and STOCK (a state on a day): every published period on its own,
  as a line of the sites' figures with the programme total (a person or thing belongs to one site,
  so the sites add up to the programme).
* Breakdowns that add up (every record in exactly one value, e.g. gender): for this year and last
  year a table of sites × values whose row totals are the sites' year figures, whose column totals
  are the programme's values and whose grand total is the programme's year. These tables share
  cells with the year's quarters table (FLOW) or year line (DISTINCT, STOCK): linked tables. They
  are suppressed in turn, each with every cell hidden in any of them hidden here too, until no
  table hides anything new (the procedure of τ-ARGUS for linked tables); every table then protects
  each of its hidden cells on its own. Breakdowns that do not add up (a contact can touch several
  topics), or whose values do not add up to the totals in these figures, are suppressed as a line
  per value: the sites with the programme total. Breakdowns of quarters and spans are not published.
* Counts that are the sum of others (all contacts = anonymous ones + those in cases; persons
  counselled = new ones + continuing ones; see SUMS) are linked the same way: for every period and
  every value of a breakdown they share, a table of sites × parts whose row totals are the total's
  site cells, whose column totals are the parts' programme cells and whose grand total is the
  total's programme cell, suppressed together with the three indicators' own tables.
* SHARE: only the percentage is published (as Ratio(percent, 100)), never the two counts. A site's
  share is shown when its part is at least k and the rest (whole − part) is at least k. The
  programme's share is shown when its totals pass the same test and, if any site's share is
  hidden, those sites together pass it too: the programme's share and the shares shown would
  otherwise give a hidden site's share away.
* AMOUNT (hours): a cell is hidden when the same cell of its guard count is hidden (e.g. the
  volunteer hours of a site whose number of active volunteers is hidden). The programme total is
  hidden when exactly one site's cell is hidden, or when the hidden sites' guard counts add up to
  less than k (their hours together would be those of fewer than k persons).
* INDEX (the partner-survey index): an average of anonymous answers, published unchanged for years.

A row, column or line whose total is 0 (a quarter or breakdown value nobody reached at any site, a
site's year of a flow without any event) is shown as zeros, the structural zeros of
inka.core.suppression: the zero total gives its cells away, so hiding them would only cost further
cells. Any other 0 is below k like 1 and 2; so is a zero total that a linked table hides (a site's
0 among the sites of a line): it is forced hidden, and protected, in every table that holds it. A
comparison span hidden with its quarters can still be its year minus the later quarters: a sum of
hidden cells, never one of them.

The result is cached (Django's cache) under a hash of k and the figures, so repeated page views do
not suppress again.
"""

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from inka.core.aggregates import Number
from inka.core.suppression import (
    GRAND_TOTAL,
    Cell,
    ColumnTotal,
    Position,
    RowTotal,
    suppress_table,
    validate_k,
)
from inka.monitoring.catalogue import Indicator, Kind, breakdowns, indicators
from inka.monitoring.figures import WHOLE, Figures, Ratio, exact_figures
from inka.monitoring.models import FiguresSnapshot
from inka.monitoring.periods import Calendar
from inka.programme.models import Site

CACHE_PREFIX = "inka.monitoring.publication.v2."  # a new version whenever the rules change
CACHE_SECONDS = 60 * 60
COUNTS = frozenset({Kind.FLOW, Kind.DISTINCT, Kind.STOCK})
# Counts that are the sum of others, for every site, period and shared breakdown value.
SUMS = {
    "contacts.total": ("contacts.anonymous", "contacts.case"),
    "persons.counselled": ("persons.new", "persons.continuing"),
}

Key = tuple[
    str, str | None, Any, int | None, str
]  # (code, breakdown, value, site id or None: programme, period)


@dataclass(frozen=True)
class Published:
    """Figures as shown outside a site's team: the reading interface of Figures, None for a hidden cell."""

    k: int
    calendar: Calendar
    site_ids: tuple[int, ...]
    numbers: dict[Key, Number | None]
    ratios: dict[Key, Ratio | None]

    def number(
        self, code: str, site_id: int | None, period: str, *, by: str | None = None, value: Any = None
    ) -> Number | None:
        """One published figure; None when hidden or not published. `site_id=None`: the programme."""
        return self.numbers.get((code, by, value, site_id, period))

    def value(
        self,
        indicator: Indicator,
        site_id: int | None,
        period: str,
        *,
        by: str | None = None,
        value: Any = None,
    ) -> Number | Ratio | None:
        """The published figure of `indicator` (a share as Ratio(percent, 100)); None when hidden."""
        if indicator.kind == Kind.SHARE:
            return self.ratios.get((indicator.code, by, value, site_id, period))
        return self.number(indicator.code, site_id, period, by=by, value=value)


@dataclass(frozen=True)
class _Table:
    """The cells of one table by key; a line is one row whose total is both row and grand total."""

    interior: tuple[tuple[Key, ...], ...]
    rows: tuple[Key, ...]
    columns: tuple[Key, ...] | None  # None: column totals are not published
    grand: Key

    def cells(self) -> Iterator[Key]:
        """Every cell's key, in the order of SuppressedTable.cells()."""
        for row in self.interior:
            yield from row
        yield from self.rows
        yield from self.columns or ()
        yield self.grand

    def positions(self) -> Iterator[tuple[Position, Key]]:
        for i, row in enumerate(self.interior):
            for j, key in enumerate(row):
                yield Cell(i, j), key
        for i, key in enumerate(self.rows):
            yield RowTotal(i), key
        for j, key in enumerate(self.columns or ()):
            yield ColumnTotal(j), key
        yield GRAND_TOTAL, self.grand

    def suppress(self, count: Callable[[Key], int], k: int, forced: set[Key]) -> set[Key]:
        """The keys hidden by suppressing this table with the cells in `forced` hidden whatever they are."""
        result = suppress_table(
            [[count(key) for key in row] for row in self.interior],
            k=k,
            column_totals=self.columns is not None,
            hide=[position for position, key in self.positions() if key in forced],
        )
        return {key for key, cell in zip(self.cells(), result.cells(), strict=True) if cell is None}


def _line(cells: Sequence[Key], total: Key) -> _Table:
    return _Table((tuple(cells),), (total,), None, total)


def _suppress_linked(tables: Sequence[_Table], count: Callable[[Key], int], k: int) -> set[Key]:
    """Hidden keys of tables sharing cells: each suppressed with every cell hidden anywhere forced
    hidden, in turn, until no table hides anything new (a table's result only grows with what is
    forced, so this ends)."""
    hidden: set[Key] = set()
    last: dict[int, set[Key]] = {}
    changed = True
    while changed:
        changed = False
        for index, table in enumerate(tables):
            forced = hidden.intersection(table.cells())
            if last.get(index) == forced:  # suppressing again would hide exactly these
                continue
            last[index] = found = table.suppress(count, k, forced)
            if not found <= hidden:
                hidden |= found
                changed = True
    return hidden


class _Publisher:
    """Publishes the figures of every indicator of the catalogue that `figures` holds."""

    def __init__(self, figures: Figures, k: int) -> None:
        self.figures, self.k = figures, k
        self.calendar = calendar = figures.calendar
        if len(calendar.years) < 2:
            raise ValueError("Publishing needs at least two trend years (this year and last year).")
        self.sites = figures.site_ids
        self.recent = (calendar.year - 1, calendar.year)
        self.quarters = {year: [p.key for p in calendar.quarters(year)] for year in self.recent}
        comparison = calendar.comparison()
        self.spans = [span.key for span in comparison] if comparison else []
        self.periods = [
            *(str(year) for year in calendar.years),
            *(key for year in self.recent for key in self.quarters[year]),
            *self.spans,
        ]
        self.numbers: dict[Key, Number | None] = {}
        self.ratios: dict[Key, Ratio | None] = {}

    # Reading the exact figures ------------------------------------------------------------------

    def exact(self, key: Key) -> Number:
        code, by, value, site, period = key
        return self.figures.number(code, site, period, by=by, value=value)

    def count(self, key: Key) -> int:
        number = self.exact(key)
        if number != int(number) or number < 0:
            raise ValueError(f"{key[0]}: {number} is not a count.")
        return int(number)

    def has(self, code: str, by: str | None = None) -> bool:
        return (code, by) in self.figures.counts

    # Tables -------------------------------------------------------------------------------------

    def line(self, code: str, period: str, by: str | None = None, value: Any = None) -> _Table:
        """The sites' cells of `period` with the programme total."""
        return _line(
            [(code, by, value, site, period) for site in self.sites], (code, by, value, None, period)
        )

    def quarters_table(self, code: str, year: int) -> _Table:
        """Sites × quarters of `year`, with the sites' and the programme's years as totals."""
        quarters, year_key = self.quarters[year], str(year)
        table = _Table(
            tuple(tuple((code, None, None, site, quarter) for quarter in quarters) for site in self.sites),
            tuple((code, None, None, site, year_key) for site in self.sites),
            tuple((code, None, None, None, quarter) for quarter in quarters),
            (code, None, None, None, year_key),
        )
        for row, total in zip(table.interior, table.rows, strict=True):
            if sum(map(self.count, row)) != self.count(total):
                raise ValueError(
                    f"{code}: the quarters of {year} do not add up to the year at site {total[3]}."
                )
        return table

    def categories(self, code: str, by: str) -> list[Any]:
        """The breakdown's values in display order, then any others found in the figures."""
        values = [value for value, _label in breakdowns()[by].choices()]
        known = set(values)
        extra = {key[2] for key in self.figures.counts[(code, by)]} - known
        return values + sorted(extra, key=lambda value: (value is not None, str(value)))

    def breakdown_tables(self, indicator: Indicator, year: int) -> tuple[list[_Table], list[_Table]]:
        """The breakdowns of a year: tables linked to the year's totals, and lines of those that do
        not add up."""
        code, period = indicator.code, str(year)
        linked: list[_Table] = []
        separate: list[_Table] = []
        for by in indicator.breakdowns:
            if not self.has(code, by):
                continue
            values = self.categories(code, by)
            table = _Table(
                tuple(tuple((code, by, value, site, period) for value in values) for site in self.sites),
                tuple((code, None, None, site, period) for site in self.sites),
                tuple((code, by, value, None, period) for value in values),
                (code, None, None, None, period),
            )
            adds_up = all(
                sum(map(self.count, row)) == self.count(total)
                for row, total in zip(table.interior, table.rows, strict=True)
            )
            if breakdowns()[by].additive and adds_up:
                linked.append(table)
            else:
                separate.extend(self.line(code, period, by, value) for value in values)
        return linked, separate

    # Kinds --------------------------------------------------------------------------------------

    def tables(self, indicator: Indicator) -> dict[str, list[_Table]]:
        """The tables of a count, by the year (FLOW) or period (DISTINCT, STOCK) they belong to."""
        code = indicator.code
        found: dict[str, list[_Table]] = {}
        if indicator.kind == Kind.FLOW:
            for year in self.calendar.years:
                found[str(year)] = [
                    self.quarters_table(code, year) if year in self.recent else self.line(code, str(year))
                ]
        else:
            for period in self.periods:
                found[period] = [self.line(code, period)]
        for year in self.recent:
            linked, separate = self.breakdown_tables(indicator, year)
            found[str(year)] += [*linked, *separate]
        return found

    def sum_tables(self, total: Indicator, parts: Sequence[Indicator], bucket: str) -> list[_Table]:
        """Tables of sites × parts whose row totals are the total's site cells, for every period of
        `bucket` and (in this year and last year) every value of the breakdowns they share."""
        if total.kind == Kind.FLOW and int(bucket) in self.recent:
            cells: list[tuple[str | None, Any, str]] = [
                *((None, None, quarter) for quarter in self.quarters[int(bucket)]),
                (None, None, bucket),
            ]
        else:
            cells = [(None, None, bucket)]
        if bucket in {str(year) for year in self.recent}:
            codes = [total.code, *(part.code for part in parts)]
            for shared in total.breakdowns:
                if all(shared in part.breakdowns for part in parts) and all(
                    self.has(c, shared) for c in codes
                ):
                    values = dict.fromkeys(value for code in codes for value in self.categories(code, shared))
                    cells += [(shared, value, bucket) for value in values]
        found = []
        for by, value, period in cells:
            table = _Table(
                tuple(tuple((part.code, by, value, site, period) for part in parts) for site in self.sites),
                tuple((total.code, by, value, site, period) for site in self.sites),
                tuple((part.code, by, value, None, period) for part in parts),
                (total.code, by, value, None, period),
            )
            if all(
                sum(map(self.count, row)) == self.count(key)
                for row, key in zip(table.interior, table.rows, strict=True)
            ):  # parts that do not add up here are no equation an outsider could use
                found.append(table)
        return found

    def counts(self, family: Sequence[Indicator]) -> None:
        """Publish counts: one indicator, or a total followed by the parts it is the sum of."""
        buckets: dict[str, list[_Table]] = {}
        for member in family:
            for bucket, tables in self.tables(member).items():
                buckets.setdefault(bucket, []).extend(tables)
        if len(family) > 1:
            for bucket, tables in buckets.items():
                tables += self.sum_tables(family[0], family[1:], bucket)
        for tables in buckets.values():
            hidden = _suppress_linked(tables, self.count, self.k)
            for table in tables:
                for key in table.cells():
                    self.numbers[key] = None if key in hidden else self.count(key)
        for member in family:
            if member.kind == Kind.FLOW:
                self.spans_of(member.code)

    def spans_of(self, code: str) -> None:
        """A comparison span of a flow: the sum of its quarters, hidden with any of them."""
        for span, year in zip(self.spans, reversed(self.recent), strict=False):
            quarters = self.quarters[year][: self.calendar.completed_quarters]
            for site in (*self.sites, None):
                shown = [self.numbers[(code, None, None, site, quarter)] for quarter in quarters]
                self.numbers[(code, None, None, site, span)] = (
                    None if None in shown else sum(number for number in shown if number is not None)
                )

    def share(self, code: str) -> None:
        def passes(part: Number, whole: Number) -> bool:
            return part >= self.k and whole - part >= self.k

        def percent(part: Number, whole: Number) -> Ratio:
            return Ratio(Ratio(part, whole).percent or Decimal(0), 100)

        for period in self.periods:
            hidden_part: Number = 0
            hidden_whole: Number = 0
            any_hidden = False
            for site in self.sites:
                part, whole = self.exact((code, None, None, site, period)), self.whole(code, site, period)
                shown = passes(part, whole)
                self.ratios[(code, None, None, site, period)] = percent(part, whole) if shown else None
                if not shown and whole:  # a site without any record has no share to give away
                    any_hidden = True
                    hidden_part, hidden_whole = hidden_part + part, hidden_whole + whole
            part, whole = self.exact((code, None, None, None, period)), self.whole(code, None, period)
            shown = passes(part, whole) and (not any_hidden or passes(hidden_part, hidden_whole))
            self.ratios[(code, None, None, None, period)] = percent(part, whole) if shown else None

    def whole(self, code: str, site: int | None, period: str) -> Number:
        return self.figures.number(code + WHOLE, site, period)

    def amount(self, code: str, guard: str | None) -> None:
        def shown(site: int | None, period: str) -> bool:
            return guard is not None and self.numbers.get((guard, None, None, site, period)) is not None

        for period in self.periods:
            hidden = [site for site in self.sites if not shown(site, period)]
            for site in self.sites:
                key: Key = (code, None, None, site, period)
                self.numbers[key] = None if site in hidden else self.exact(key)
            behind = sum(self.figures.number(guard, site, period) for site in hidden) if guard else 0
            safe = not hidden or (len(hidden) > 1 and behind >= self.k)
            total: Key = (code, None, None, None, period)
            self.numbers[total] = self.exact(total) if safe and shown(None, period) else None

    def index(self, code: str) -> None:
        for year in self.calendar.years:
            for site in (*self.sites, None):
                key = (code, None, None, site, str(year))
                self.numbers[key] = self.exact(key)

    def run(self) -> Published:
        chosen = {indicator.code: indicator for indicator in indicators() if self.has(indicator.code)}
        families: list[list[Indicator]] = []
        for total, parts in SUMS.items():
            if all(code in chosen for code in (total, *parts)):
                families.append([chosen.pop(code) for code in (total, *parts)])
        families += [[indicator] for indicator in chosen.values() if indicator.kind in COUNTS]
        for family in families:
            self.counts(family)
        # After the counts: an amount reads its guard count's published cells.
        for indicator in chosen.values():
            match indicator.kind:
                case Kind.SHARE:
                    if self.has(indicator.code + WHOLE):
                        self.share(indicator.code)
                case Kind.AMOUNT:
                    self.amount(indicator.code, indicator.guard)
                case Kind.INDEX:
                    self.index(indicator.code)
        return Published(self.k, self.calendar, self.sites, self.numbers, self.ratios)


def _cache_key(figures: Figures, k: int) -> str:
    text = json.dumps([k, figures.as_json()], sort_keys=True, default=str)
    return CACHE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def publish(figures: Figures, *, k: int) -> Published:
    """The figures as shown outside a site's own team, suppressed with threshold `k` over all sites."""
    validate_k(k)
    key = _cache_key(figures, k)
    found = cache.get(key)
    if isinstance(found, Published):
        return found
    published = _Publisher(figures, k).run()
    cache.set(key, published, CACHE_SECONDS)
    return published


def programme_published(*, today: date) -> Published:
    """Every site's figures as of `today`, published: what every page outside the teams reads.

    Counting all sites takes a minute at a million contacts, so the counts are kept in the database
    (`FiguresSnapshot`, shared by all app processes) and counted anew only when older than
    INKA_FIGURES_MAX_AGE_MINUTES; `inka figures refresh` run every few minutes means no page view
    waits for them. Outside the teams figures are read by the quarter and the year, not by the minute.
    """
    site_ids = all_site_ids()
    with scopes_disabled():
        snapshot = FiguresSnapshot.objects.filter(day=today, sites_key=_sites_key(site_ids)).first()
    if snapshot is None or snapshot.counted_at < timezone.now() - timedelta(
        minutes=settings.FIGURES_MAX_AGE_MINUTES
    ):
        snapshot = count_programme_figures(today=today)
    return publish(Figures.from_json(snapshot.figures), k=settings.SUPPRESSION_K)


def count_programme_figures(*, today: date) -> FiguresSnapshot:
    """Count every site's figures as of `today` and keep them, replacing every earlier snapshot."""
    site_ids = all_site_ids()
    started = time.perf_counter()
    figures = exact_figures(site_ids=site_ids, today=today).as_json()
    seconds = time.perf_counter() - started
    key = _sites_key(site_ids)
    with scopes_disabled(), transaction.atomic():
        FiguresSnapshot.objects.exclude(day=today, sites_key=key).delete()
        # Two processes may count at once: update_or_create lets the later one win, without a clash.
        snapshot, _ = FiguresSnapshot.objects.update_or_create(
            day=today,
            sites_key=key,
            defaults={"figures": figures, "counted_at": timezone.now(), "seconds": round(seconds, 2)},
        )
    return snapshot


def forget_programme_figures() -> None:
    """Drop the kept figures and publications: the next page view counts and suppresses anew."""
    with scopes_disabled():
        FiguresSnapshot.objects.all().delete()
    cache.clear()


def _sites_key(site_ids: Sequence[int]) -> str:
    return hashlib.sha256(str(sorted(site_ids)).encode()).hexdigest()


def all_site_ids() -> list[int]:
    """Every site's id (ids only): publishing over all sites hides the same cells on every page."""
    with scopes_disabled():
        return list(Site.objects.order_by("pk").values_list("pk", flat=True))


class HiddenInEither:
    """A report's own published figures, also hidden where today's programme-wide publication hides
    the same cell: a cell shown in a report must not give away one hidden on a dashboard.

    Only the periods the programme-wide publication covers can be compared (the trend years, the
    quarters of this year and last year, breakdowns of those two years); older quarters of a report
    rest on the report's own publication alone.
    """

    def __init__(self, own: Published, programme: Published) -> None:
        self.own, self.programme = own, programme
        calendar = programme.calendar
        recent = (calendar.year - 1, calendar.year)
        self.covered = {str(year) for year in calendar.years} | {
            period.key for year in recent for period in calendar.quarters(year)
        }
        self.covered_breakdowns = {str(year) for year in recent}

    def value(
        self,
        indicator: Indicator,
        site_id: int | None,
        period: str,
        *,
        by: str | None = None,
        value: Any = None,
    ) -> Number | Ratio | None:
        found = self.own.value(indicator, site_id, period, by=by, value=value)
        covered = self.covered_breakdowns if by else self.covered
        if found is None or period not in covered:
            return found
        if self.programme.value(indicator, site_id, period, by=by, value=value) is None:
            return None
        return found
