"""The calendar of the dashboards and reports: months, quarters, years and the comparison span.

Keys name periods in results: "2026-11" (month), "2026-Q3" (quarter), "2026" (year) and
"2026-Q1-Q3" (the completed quarters of a year, compared with the same quarters a year earlier).
A period that has not ended yet ends today.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from inka.core.aggregates import Period, month_key

TREND_YEARS = 5


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_key(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def span_key(year: int, last_quarter: int) -> str:
    return f"{year:04d}-Q1-Q{last_quarter}"


@dataclass(frozen=True)
class Calendar:
    today: date
    trend_years: int = TREND_YEARS

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def quarter(self) -> int:
        return quarter_of(self.today)

    @property
    def years(self) -> tuple[int, ...]:
        """The years of the trend, oldest first, ending with this year."""
        return tuple(range(self.year - self.trend_years + 1, self.year + 1))

    def _until(self, end: date) -> date:
        return min(end, self.today)

    def month(self, year: int, month: int) -> Period:
        return Period(month_key(year, month), date(year, month, 1), self._until(_month_end(year, month)))

    def months(self, year: int) -> tuple[Period, ...]:
        """The months of `year` that have begun."""
        last = self.today.month if year == self.year else 12
        return tuple(self.month(year, month) for month in range(1, last + 1))

    def quarter_period(self, year: int, quarter: int) -> Period:
        return Period(
            quarter_key(year, quarter),
            date(year, quarter * 3 - 2, 1),
            self._until(_month_end(year, quarter * 3)),
        )

    def quarters(self, year: int) -> tuple[Period, ...]:
        """The quarters of `year` that have begun."""
        last = self.quarter if year == self.year else 4
        return tuple(self.quarter_period(year, quarter) for quarter in range(1, last + 1))

    def year_period(self, year: int) -> Period:
        return Period(f"{year:04d}", date(year, 1, 1), self._until(date(year, 12, 31)))

    @property
    def completed_quarters(self) -> int:
        """Quarters of this year that have ended (0 in the first quarter)."""
        return self.quarter - 1

    def comparison(self) -> tuple[Period, Period] | None:
        """The completed quarters of this year and the same quarters last year (None in Q1)."""
        last = self.completed_quarters
        if not last:
            return None
        end = _month_end(self.year, last * 3)
        before = _month_end(self.year - 1, last * 3)
        return (
            Period(span_key(self.year, last), date(self.year, 1, 1), end),
            Period(span_key(self.year - 1, last), date(self.year - 1, 1, 1), before),
        )

    @property
    def start(self) -> date:
        """First day of the oldest trend year."""
        return date(self.years[0], 1, 1)

    def periods(self, *, months: bool) -> tuple[Period, ...]:
        """Every period the dashboards show: the trend years, the quarters and (optionally) the months
        of this year and last year, and the comparison span."""
        found: list[Period] = [self.year_period(year) for year in self.years]
        for year in (self.year - 1, self.year):
            found.extend(self.quarters(year))
            if months:
                found.extend(self.months(year))
        found.extend(self.comparison() or ())
        return tuple(found)
