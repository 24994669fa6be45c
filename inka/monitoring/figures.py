"""The exact figures of a set of sites: every indicator of the catalogue for every period shown.

One query per indicator and breakdown (see inka.core.aggregates), however many sites, periods and
records there are; event counts come by month and are added up here to quarters and years. These
are the figures the site's own team sees; everyone else sees them through `publication`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from inka.core.aggregates import Counts, Number, Period, roll_up, statistics_scope
from inka.monitoring.catalogue import Indicator, Kind, indicators
from inka.monitoring.periods import Calendar

MONTHLY = frozenset({Kind.FLOW, Kind.AMOUNT, Kind.SHARE})
WHOLE = "/whole"  # suffix of the series that holds the whole of a share


@dataclass(frozen=True)
class Ratio:
    """A share: `part` of `whole`."""

    part: Number
    whole: Number

    @property
    def percent(self) -> Decimal | None:
        if not self.whole:
            return None
        return (Decimal(self.part) * 100 / Decimal(self.whole)).quantize(Decimal("0.1"))


Series = tuple[str, str | None]  # (indicator code, or code + WHOLE; breakdown key or None)


@dataclass
class Figures:
    calendar: Calendar
    site_ids: tuple[int, ...]
    counts: dict[Series, Counts] = field(default_factory=dict)

    def number(
        self, code: str, site_id: int | None, period: str, *, by: str | None = None, value: Any = None
    ) -> Number:
        """One count; `site_id=None` is the total over all sites."""
        series = self.counts.get((code, by), {})
        if site_id is not None:
            return series.get((site_id, period, value), 0)
        return sum((series.get((site, period, value), 0) for site in self.site_ids), start=0)

    def value(
        self,
        indicator: Indicator,
        site_id: int | None,
        period: str,
        *,
        by: str | None = None,
        value: Any = None,
    ) -> Number | Ratio:
        if indicator.kind == Kind.INDEX and site_id is None:
            return self._mean(indicator.code, period)
        part = self.number(indicator.code, site_id, period, by=by, value=value)
        if indicator.kind == Kind.SHARE:
            return Ratio(part, self.number(indicator.code + WHOLE, site_id, period, by=by, value=value))
        return part

    def _mean(self, code: str, period: str) -> Number:
        """The programme's value of a score: the mean over the sites that have one (0 when none has)."""
        series = self.counts.get((code, None), {})
        found = [series[(site, period, None)] for site in self.site_ids if (site, period, None) in series]
        if not found:
            return 0
        return (Decimal(sum(found)) / len(found)).quantize(Decimal("0.1"))

    def as_json(self) -> dict[str, Any]:
        """A JSON-safe copy (period reports freeze their figures in this form)."""
        return {
            "today": self.calendar.today.isoformat(),
            "trend_years": self.calendar.trend_years,
            "site_ids": list(self.site_ids),
            "series": [
                {
                    "code": code,
                    "by": by,
                    "counts": [
                        [site, period, value, str(number) if isinstance(number, Decimal) else number]
                        for (site, period, value), number in sorted(
                            counts.items(), key=lambda item: (item[0][0], item[0][1], str(item[0][2]))
                        )
                    ],
                }
                for (code, by), counts in sorted(
                    self.counts.items(), key=lambda item: (item[0][0], item[0][1] or "")
                )
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figures":
        calendar = Calendar(date.fromisoformat(data["today"]), data["trend_years"])
        counts: dict[Series, Counts] = {}
        for series in data["series"]:
            counts[(series["code"], series["by"])] = {
                (site, period, value): Decimal(number) if isinstance(number, str) else number
                for site, period, value, number in series["counts"]
            }
        return cls(calendar, tuple(data["site_ids"]), counts)


def _measure(
    indicator: Indicator, calendar: Calendar, periods: Sequence[Period], site_ids: list[int], by: str | None
) -> dict[str, Counts]:
    if by is not None:  # breakdowns are shown for this year and last year only
        first = date(calendar.year - 1, 1, 1)
        periods = [period for period in periods if period.start >= first and not _is_month(period)]
    if indicator.kind in MONTHLY:
        start = max(calendar.start, min(period.start for period in periods))
        found = {indicator.code: indicator.measure(site_ids=site_ids, start=start, end=calendar.today, by=by)}
        if indicator.whole is not None:
            found[indicator.code + WHOLE] = indicator.whole(
                site_ids=site_ids, start=start, end=calendar.today, by=by
            )
        return {code: roll_up(counts, periods) for code, counts in found.items()}
    # Different persons and states are counted per period: only this month of all the months.
    this_month = calendar.month(calendar.year, calendar.today.month).key
    periods = [period for period in periods if not _is_month(period) or period.key == this_month]
    return {indicator.code: indicator.measure(site_ids=site_ids, periods=periods, by=by)}


def _is_month(period: Period) -> bool:
    return len(period.key) == 7 and period.key[4] == "-" and period.key[5:].isdigit()


def exact_figures(
    *,
    site_ids: Iterable[int],
    today: date,
    codes: Iterable[str] | None = None,
    breakdowns: bool = True,
    months: bool = False,
) -> Figures:
    """Every chosen indicator (default: all) for the sites and the calendar of `today`.

    `breakdowns`: also each indicator by each of its breakdowns; `months`: also the months of this
    year and last year (the site dashboard's monthly chart).
    """
    ids = sorted(set(site_ids))
    calendar = Calendar(today)
    periods = calendar.periods(months=months)
    chosen = set(codes) if codes is not None else None
    figures = Figures(calendar, tuple(ids))
    with statistics_scope(ids):
        for indicator in indicators():
            if chosen is not None and indicator.code not in chosen:
                continue
            for by in (None, *(indicator.breakdowns if breakdowns else ())):
                for code, counts in _measure(indicator, calendar, periods, ids, by).items():
                    figures.counts[(code, by)] = counts
    return figures
