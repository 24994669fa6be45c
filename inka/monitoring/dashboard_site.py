"""The site dashboard (M1): one site's key figures, its indicators by period and its charts.

The site's own team reads the exact figures, months included; everyone else reads the published
figures (small numbers hidden, computed over every site so that the same cells are hidden here as on
the programme dashboard). Both are read through `Reading`, so the builder does not care which.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inka.cases.models import OUTREACH_MODES, ContactMode
from inka.core.aggregates import Number
from inka.monitoring import document
from inka.monitoring.access import Audience
from inka.monitoring.catalogue import Indicator, Kind, Section, breakdowns, indicator, indicators
from inka.monitoring.document import Cell, Chart, Row, Table
from inka.monitoring.figures import Ratio, exact_figures
from inka.monitoring.periods import Calendar, quarter_key
from inka.monitoring.publication import programme_published
from inka.monitoring.quality import CHECKS, site_quality
from inka.programme.models import Site

UNITS: dict[Kind, document.Unit] = {Kind.SHARE: "percent", Kind.AMOUNT: "hours", Kind.INDEX: "index"}
# Komm- und Geh-Struktur: where a contact took place, in three groups (the programme's core idea).
MODE_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("office", frozenset({ContactMode.WALK_IN, ContactMode.APPOINTMENT})),
    ("going_out", frozenset(OUTREACH_MODES)),
    ("remote", frozenset({ContactMode.PHONE, ContactMode.ONLINE})),
)


Flags = dict[str, list[Any]]  # data-quality check → names of the indicators it marks


class Source(Protocol):
    """Exact `Figures` or published figures; a published figure is None when it is hidden."""

    def value(
        self,
        indicator: Indicator,
        site_id: int | None,
        period: str,
        *,
        by: str | None = ...,
        value: Any = ...,
    ) -> Number | Ratio | None: ...


def unit_of(item: Indicator) -> document.Unit:
    return UNITS.get(item.kind, "count")


def catalogue_anchor(code: str) -> str:
    """The id of an indicator's entry on the catalogue page."""
    return code.replace(".", "-")


def catalogue_url(code: str) -> str:
    return f"{reverse('monitoring:catalogue')}#{catalogue_anchor(code)}"


@dataclass(frozen=True)
class Reading:
    """One site's figures as cells: hidden when the source hides them, empty when there is no value."""

    source: Source
    site_id: int

    def cell(self, item: Indicator, period: str | None, *, by: str | None = None, value: Any = None) -> Cell:
        unit = unit_of(item)
        if period is None:  # a period that has not begun
            return Cell(unit=unit)
        found = self.source.value(item, self.site_id, period, by=by, value=value)
        if found is None:
            return Cell(hidden=True, unit=unit)
        if isinstance(found, Ratio):
            if found.part is None or found.whole is None:
                return Cell(hidden=True, unit=unit)
            return Cell(found.percent, unit=unit)
        if item.kind == Kind.INDEX and not found:  # the survey index exists only for closed waves
            return Cell(unit=unit)
        return Cell(found, unit=unit)

    def count(self, code: str, period: str, *, by: str, values: Iterable[str]) -> Cell:
        """The sum of several breakdown values of a count; hidden when any part is hidden."""
        cells = [self.cell(indicator(code), period, by=by, value=value) for value in values]
        if any(cell.hidden for cell in cells):
            return Cell(hidden=True)
        return Cell(sum((cell.value or 0 for cell in cells), start=0))


def change(now: Cell, before: Cell) -> Cell:
    """Change in % from `before` to `now`; none for shares and scores, or when before is 0."""
    if now.hidden or before.hidden:  # a change and one figure would give away the other
        return Cell(hidden=True, unit="change")
    if now.unit in ("percent", "index") or now.value is None or not before.value:
        return Cell(unit="change")
    return Cell(
        (Decimal(now.value - before.value) * 100 / Decimal(before.value)).quantize(Decimal("0.1")),
        unit="change",
    )


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Indicator], Cell]


class Dashboard:
    """The parts of one site's dashboard for one audience and day."""

    def __init__(
        self, site: Site, reading: Reading, *, audience: Audience, today: date, flags: Flags
    ) -> None:
        self.site, self.reading, self.audience, self.flags = site, reading, audience, flags
        self.calendar = Calendar(today)

    @property
    def team(self) -> bool:
        return self.audience == Audience.TEAM

    # --- periods -------------------------------------------------------------------------------
    def year_key(self, year: int) -> str:
        return self.calendar.year_period(year).key

    def at(self, period: str | None) -> Callable[[Indicator], Cell]:
        """A column's cells for a period; the survey index is taken once a year, so only a year has one."""
        year = period is not None and period.isdigit()
        return lambda item: self.reading.cell(item, None if item.kind == Kind.INDEX and not year else period)

    def columns(self, *, quarters: bool) -> list[Column]:
        """This month (the team only), this year, its quarters, last year and the comparison."""
        calendar, year = self.calendar, self.calendar.year
        columns: list[Column] = []
        if self.team:
            month = calendar.month(year, calendar.today.month)
            columns.append(Column(date_format(month.start, "F Y"), self.at(month.key)))
        columns.append(Column(_("%(year)s so far") % {"year": year}, self.at(self.year_key(year))))
        if quarters:
            for quarter in range(1, 5):
                key = quarter_key(year, quarter) if quarter <= calendar.quarter else None
                label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
                columns.append(Column(label, self.at(key)))
        columns.append(Column(str(year - 1), self.at(self.year_key(year - 1))))
        if (spans := calendar.comparison()) is not None:
            now, before = (self.at(span.key) for span in spans)
            last = calendar.completed_quarters
            columns += [
                Column(self.span_label(year, last), now),
                Column(self.span_label(year - 1, last), before),
                Column(_("Change in %"), lambda item: change(now(item), before(item))),
            ]
        return columns

    @staticmethod
    def span_label(year: int, last_quarter: int) -> str:
        if last_quarter == 1:
            return _("Q%(quarter)s %(year)s") % {"quarter": 1, "year": year}
        return _("Q1–Q%(quarter)s %(year)s") % {"quarter": last_quarter, "year": year}

    def comparison_note(self) -> str:
        if self.calendar.comparison() is None:
            return _(
                "The comparison with last year begins once the first quarter of %(year)s is over: there is "
                "no completed quarter yet."
            ) % {"year": self.calendar.year}
        return _("Comparison: the completed quarters of this year against the same quarters of last year.")

    # --- tables --------------------------------------------------------------------------------
    def row(self, item: Indicator, columns: Sequence[Column]) -> Row:
        flagged = item.quality in self.flags
        cells = tuple(column.cell(item) for column in columns)
        if flagged:
            cells = tuple(Cell(c.value, c.hidden, c.unit, flagged=True) for c in cells)
        return Row(
            item.name,
            cells,
            url=catalogue_url(item.code),
            note=_("data incomplete") if flagged else "",
        )

    def indicator_table(
        self, key: str, title: str, items: Sequence[Indicator], *, quarters: bool, caption: str
    ) -> Table:
        columns = self.columns(quarters=quarters)
        return Table(
            key=key,
            title=title,
            stub=_("Indicator"),
            columns=tuple(column.header for column in columns),
            rows=tuple(self.row(item, columns) for item in items),
            caption=caption,
        )

    def key_figures(self) -> Table:
        return self.indicator_table(
            "kennzahlen",
            _("Key figures"),
            [item for item in indicators() if item.key_figure],
            quarters=False,
            caption=self.comparison_note(),
        )

    def section_table(self, section: Section) -> Table:
        return self.indicator_table(
            f"tabelle-{section.value}",
            str(section.label),
            [item for item in indicators() if item.section == section],
            quarters=True,
            caption=" ".join(
                (_("Each name leads to the indicator's definition in the catalogue."), self.comparison_note())
            ),
        )

    # --- charts --------------------------------------------------------------------------------
    def trend_years(self, item: Indicator) -> tuple[int, ...]:
        """The trend's years from the first with a figure shown: leading years without data are left
        out (outside the team a hidden figure cannot tell nothing from little; both are left out)."""
        years = self.calendar.years
        for index, year in enumerate(years):
            if self.reading.cell(item, self.year_key(year)).value:
                return years[index:]
        return years[-1:]

    def trend_charts(self) -> list[Chart]:
        charts = []
        for item in indicators():
            if not item.key_figure:
                continue
            years = self.trend_years(item)
            table = Table(
                key=f"trend-{catalogue_anchor(item.code)}"[:31],
                title=str(item.name),
                stub=_("Indicator"),
                columns=tuple(str(year) for year in years),
                rows=(Row(item.name, tuple(self.reading.cell(item, self.year_key(year)) for year in years)),),
                caption=_("The current year up to today."),
            )
            charts.append(Chart(table.key, item.name, "bar", table, unit=item.unit))
        return charts

    def contacts_over_the_year(self) -> Chart:
        """The team: this year's months against last year's; everyone else: quarters."""
        contacts = indicator("contacts.total")
        year = self.calendar.year
        if self.team:
            headers = [date_format(date(year, month, 1), "M") for month in range(1, 13)]

            def period(y: int, n: int) -> str | None:
                return f"{y:04d}-{n:02d}" if (y, n) <= (year, self.calendar.today.month) else None

            count = 12
            title = _("Contacts by month")
        else:
            headers = [_("Q%(quarter)s") % {"quarter": quarter} for quarter in range(1, 5)]

            def period(y: int, n: int) -> str | None:
                return quarter_key(y, n) if (y, n) <= (year, self.calendar.quarter) else None

            count = 4
            title = _("Contacts by quarter")
        rows = tuple(
            Row(str(y), tuple(self.reading.cell(contacts, period(y, n)) for n in range(1, count + 1)))
            for y in (year - 1, year)
        )
        table = Table("kontakte-verlauf", title, _("Year"), tuple(headers), rows)
        return Chart(table.key, title, "line", table, unit=contacts.unit)

    def contacts_by_place(self) -> Chart:
        """Komm- and Geh-Struktur: at the office, going out, by phone or online, for each trend year."""
        labels = {
            "office": _("At the office"),
            "going_out": _("Going out (neighbourhood, home, authority)"),
            "remote": _("Phone or online"),
        }
        years = self.trend_years(indicator("contacts.total"))
        if not self.team:  # breakdowns are published for this year and last year only
            years = tuple(year for year in years if year >= self.calendar.year - 1)
        rows = tuple(
            Row(
                labels[group],
                tuple(
                    self.reading.count("contacts.total", self.year_key(year), by="mode", values=modes)
                    for year in years
                ),
            )
            for group, modes in MODE_GROUPS
        )
        title = _("Where contacts take place")
        table = Table(
            "kontakte-ort",
            title,
            _("Place"),
            tuple(str(year) for year in years),
            rows,
            caption=_("Contacts per year; the chart shows each year's contacts as 100 %."),
        )
        return Chart(table.key, title, "stacked", table, unit=_("contacts"))

    def breakdown_chart(
        self, key: str, title: str, code: str, by: str, *, kind: document.ChartKind, years: Sequence[int]
    ) -> Chart:
        """An indicator split by one breakdown, one row per year; values that are 0 throughout left out."""
        item = indicator(code)
        choices = list(breakdowns()[by].choices())
        cells = {
            value: [self.reading.cell(item, self.year_key(year), by=by, value=value) for year in years]
            for value, _label in choices
        }
        shown = [(value, label) for value, label in choices if any(c.hidden or c.value for c in cells[value])]
        table = Table(
            key,
            title,
            _("Year"),
            tuple(str(label) for _value, label in shown),
            tuple(
                Row(str(year), tuple(cells[value][index] for value, _label in shown))
                for index, year in enumerate(years)
            ),
            caption=item.definition if not breakdowns()[by].additive else "",
        )
        return Chart(key, title, kind, table, unit=item.unit)

    def case_work_charts(self) -> list[Chart]:
        year = self.calendar.year
        both = (year - 1, year)
        return [
            self.contacts_over_the_year(),
            self.contacts_by_place(),
            self.breakdown_chart(
                "kontakte-themen",
                _("Topics of contacts in %(year)s") % {"year": year},
                "contacts.total",
                "topic",
                kind="hbar",
                years=(year,),
            ),
            self.breakdown_chart(
                "personen-geschlecht",
                _("Persons counselled by gender"),
                "persons.counselled",
                "gender",
                kind="bar",
                years=both,
            ),
            self.breakdown_chart(
                "personen-alter",
                _("Persons counselled by age band"),
                "persons.counselled",
                "age_band",
                kind="bar",
                years=both,
            ),
            self.breakdown_chart(
                "vermittlungen-partner",
                _("Referrals in %(year)s by kind of partner") % {"year": year},
                "referrals.sent",
                "partner_kind",
                kind="hbar",
                years=(year,),
            ),
            self.breakdown_chart(
                "vermittlungen-antwort",
                _("Referrals by the partner's answer"),
                "referrals.sent",
                "referral_status",
                kind="bar",
                years=both,
            ),
        ]

    # --- the document --------------------------------------------------------------------------
    def notes(self) -> list[str]:
        notes = []
        if not self.team:
            notes.append(
                _(
                    "To protect the people counselled, figures below %(k)s are hidden, and so are figures "
                    "from which a hidden one could be worked out. Months are not shown."
                )
                % {"k": settings.SUPPRESSION_K}
            )
        for check, names in self.flags.items():
            notes.append(
                _(
                    "More than 33 %% of the site's records are incomplete for the check “%(check)s”; "
                    "these figures are marked and left out of comparisons between sites: %(indicators)s."
                )
                % {"check": check_label(check), "indicators": ", ".join(str(name) for name in names)}
            )
        return notes

    def build(self) -> document.Document:
        sections = [
            document.Section(
                _("At a glance"),
                (self.key_figures(), *self.trend_charts()),
                intro=_("The programme's key figures for this site; the trend shows each year up to today."),
            )
        ]
        for section in Section:
            blocks: list[document.Block] = [self.section_table(section)]
            if section == Section.CASE_WORK:
                blocks += self.case_work_charts()
            sections.append(document.Section(str(section.label), tuple(blocks)))
        today = self.calendar.today
        return document.Document(
            title=_("Key figures of %(site)s") % {"site": self.site.name},
            subtitle=_("%(year)s up to %(date)s, with the years before")
            % {"year": today.year, "date": date_format(today, "j. F")},
            sections=tuple(sections),
            as_of=today,
            filename=f"kennzahlen-{self.site.code.lower()}-{today.isoformat()}",
            notes=tuple(self.notes()),
        )


def flagged_checks(site: Site, today: date) -> Flags:
    """The checks for which the site's data is too incomplete, with the names of the indicators affected."""
    results = site_quality([site.pk], today).get(site.pk, {})
    return {
        check.key: [item.name for item in indicators() if item.quality == check.key]
        for check in CHECKS
        if (result := results.get(check.key)) and result.flagged
    }


def check_label(key: str) -> str:
    return next(str(check.label) for check in CHECKS if check.key == key)


def dashboard_source(site: Site, *, audience: Audience, today: date) -> Source:
    """Exact figures for the site's team; published figures of every site for everyone else."""
    if audience == Audience.TEAM:
        return exact_figures(site_ids=[site.pk], today=today, months=True)
    return programme_published(today=today)


def site_dashboard(
    site: Site, *, audience: Audience, today: date, flags: Flags | None = None
) -> document.Document:
    """The site's dashboard as the `audience` may see it; `flags`: see `flagged_checks` (read if None)."""
    reading = Reading(dashboard_source(site, audience=audience, today=today), site.pk)
    if flags is None:
        flags = flagged_checks(site, today)
    return Dashboard(site, reading, audience=audience, today=today, flags=flags).build()
