"""Figures of a site for its steering group: this year by quarter and last year's total.

Counted with aggregate queries (COUNT/SUM grouped by quarter), one per source; only numbers leave this
module. Site staff see the exact figures; the steering group and the programme coordination see them
after small-cell suppression (SECURITY.md), so that no figure below k is shown nor can be worked out.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from inka.cases.models import Case, Contact
from inka.community.models import Activation, Attendance, Headcount, OutreachRound, Session
from inka.core.suppression import suppress_line
from inka.network.models import NetworkActivity, SitePartner

# How a figure behaves over time, which decides how its year is formed and how it is suppressed.
FLOW = "flow"  # events: the quarters add up to the year
DISTINCT = "distinct"  # different persons: each period counted on its own
STOCK = "stock"  # a state: counted at the end of each period (the current one: today)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    definition: str | Promise
    kind: str = FLOW


FIGURES = (
    Figure(
        "anonymous_contacts",
        _("Anonymous contacts"),
        _(
            "Counselling contacts recorded without a person or case, including the conversations "
            "of outreach rounds."
        ),
    ),
    Figure(
        "case_contacts",
        _("Counselling contacts in cases"),
        _("Contacts recorded in a case: conversations, appointments, home visits, accompaniments."),
    ),
    Figure(
        "persons_counselled",
        _("Persons counselled"),
        _(
            "Different persons with at least one contact in their case in the period; someone "
            "counselled in several quarters counts once for the year."
        ),
        DISTINCT,
    ),
    Figure("cases_opened", _("Cases opened"), _("Cases opened in the period.")),
    Figure(
        "sessions",
        _("Community sessions held"),
        _("Dated sessions and events of the site's community projects, up to today."),
    ),
    Figure(
        "participants",
        _("Participants in community sessions"),
        _(
            "Guests counted at the sessions plus named participants; someone who comes to two "
            "sessions counts twice."
        ),
    ),
    Figure(
        "outreach_conversations",
        _("Outreach conversations"),
        _("Conversations held on rounds through the neighbourhood."),
    ),
    Figure(
        "activations",
        _("Resident activations"),
        _(
            "Occasions on which residents took something into their own hands: took over a task, "
            "founded a group, organised an event or spoke for their neighbours."
        ),
    ),
    Figure(
        "partners",
        _("Active network partners"),
        _(
            "Partners on the site's list that are active, at the end of the quarter or year "
            "(the current quarter and year: today)."
        ),
        STOCK,
    ),
    Figure(
        "network_activities",
        _("Network activities"),
        _("Network meetings, joint projects, working groups and events of the site's network, up to today."),
    ),
)


@dataclass(frozen=True)
class FigureRow:
    figure: Figure
    quarters: tuple[int | None, ...]  # None: hidden
    year: int | None
    previous_year: int | None


@dataclass(frozen=True)
class SiteFigures:
    year: int
    quarters: tuple[int, ...]  # the quarters of the year so far
    rows: tuple[FigureRow, ...]
    suppressed_below: int | None = None  # k, when small figures are hidden

    @property
    def previous_year(self) -> int:
        return self.year - 1


Period = tuple[int, int]  # (year, quarter)
Counts = dict[str, dict[Period, int]]


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _last_day(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _by_quarter(queryset: QuerySet[Any], date_field: str, **aggregates: Any) -> Counts:
    """{aggregate name: {(year, quarter): value}} with one GROUP BY query."""
    rows = (
        queryset.annotate(period_year=ExtractYear(date_field), period_quarter=ExtractQuarter(date_field))
        .order_by()
        .values("period_year", "period_quarter")
        .annotate(**aggregates)
    )
    counts: Counts = {name: {} for name in aggregates}
    for row in rows:  # at most eight: the quarters of two years
        for name in aggregates:
            counts[name][(row["period_year"], row["period_quarter"])] = row[name] or 0
    return counts


def _count_person_level(site_id: int, start: date, end: date) -> tuple[Counts, dict[int, int]]:
    """Counts from person-level records of ONE site, as numbers only.

    Contacts, cases and named attendance are social data, scoped to the site's own team; the steering
    group and the coordination see no person here, only these totals. So the scope is lifted for
    exactly these aggregate queries, each filtered to `site_id`, and nothing but numbers is returned.
    """
    with scopes_disabled():
        contacts = _by_quarter(
            Contact.objects.filter(site_id=site_id, occurred_on__range=(start, end)),
            "occurred_on",
            anonymous_contacts=Count("pk", filter=Q(case__isnull=True)),
            case_contacts=Count("pk", filter=Q(case__isnull=False)),
            persons_counselled=Count("case__person", distinct=True),
        )
        persons_by_year = dict(
            Contact.objects.filter(site_id=site_id, occurred_on__range=(start, end), case__isnull=False)
            .annotate(period_year=ExtractYear("occurred_on"))
            .order_by()
            .values("period_year")
            .annotate(persons=Count("case__person", distinct=True))
            .values_list("period_year", "persons")
        )
        cases = _by_quarter(
            Case.objects.filter(site_id=site_id, opened_on__range=(start, end)),
            "opened_on",
            cases_opened=Count("pk"),
        )
        named = _by_quarter(
            Attendance.objects.filter(
                session__project__site_id=site_id, session__held_on__range=(start, end)
            ),
            "session__held_on",
            named=Count("pk"),
        )
    return {**contacts, **cases, **named}, persons_by_year


def _count(site_id: int, start: date, end: date) -> tuple[Counts, dict[int, int]]:
    counts, persons_by_year = _count_person_level(site_id, start, end)
    counts |= _by_quarter(
        Session.objects.filter(project__site_id=site_id, held_on__range=(start, end)),
        "held_on",
        sessions=Count("pk"),
    )
    headcount = _by_quarter(
        Headcount.objects.filter(session__project__site_id=site_id, session__held_on__range=(start, end)),
        "session__held_on",
        counted=Sum("count"),
    )["counted"]
    named = counts.pop("named")
    counts["participants"] = {
        period: headcount.get(period, 0) + named.get(period, 0) for period in headcount.keys() | named.keys()
    }
    counts |= _by_quarter(
        OutreachRound.objects.filter(site_id=site_id, held_on__range=(start, end)),
        "held_on",
        outreach_conversations=Sum("conversations"),
    )
    counts |= _by_quarter(
        Activation.objects.filter(site_id=site_id, occurred_on__range=(start, end)),
        "occurred_on",
        activations=Count("pk"),
    )
    counts |= _by_quarter(
        NetworkActivity.objects.filter(site_id=site_id, held_on__range=(start, end)),
        "held_on",
        network_activities=Count("pk"),
    )
    return counts, persons_by_year


def _partners_at(site_id: int, days: Mapping[str, date]) -> dict[str, int]:
    """Active partners on the site's list on each of `days`, in one query."""
    return SitePartner.objects.filter(site_id=site_id, partner__is_active=True).aggregate(
        **{name: Count("pk", filter=Q(since__isnull=True) | Q(since__lte=day)) for name, day in days.items()}
    )


def site_figures(*, site_id: int, today: date) -> SiteFigures:
    """The exact figures of a site for this year by quarter (up to today) and for last year."""
    year = today.year
    quarters = tuple(range(1, _quarter_of(today) + 1))
    counts, persons_by_year = _count(site_id, date(year - 1, 1, 1), today)
    stock_days = {f"q{quarter}": min(_last_day(year, quarter * 3), today) for quarter in quarters}
    stock_days["previous"] = date(year - 1, 12, 31)
    partners = _partners_at(site_id, stock_days)

    rows = []
    for figure in FIGURES:
        if figure.kind == STOCK:
            values = tuple(partners[f"q{quarter}"] for quarter in quarters)
            rows.append(FigureRow(figure, values, values[-1], partners["previous"]))
            continue
        by_period = counts.get(figure.key, {})
        values = tuple(by_period.get((year, quarter), 0) for quarter in quarters)
        previous = sum(by_period.get((year - 1, quarter), 0) for quarter in range(1, 5))
        if figure.kind == DISTINCT:
            rows.append(
                FigureRow(figure, values, persons_by_year.get(year, 0), persons_by_year.get(year - 1, 0))
            )
        else:
            rows.append(FigureRow(figure, values, sum(values), previous))
    return SiteFigures(year=year, quarters=quarters, rows=tuple(rows))


def _hidden_below(value: int | None, k: int) -> int | None:
    return None if value is None or value < k else value


def suppressed(figures: SiteFigures, *, k: int) -> SiteFigures:
    """The figures with every one below k hidden, and further ones where a hidden one could be worked out.

    The quarters of an event count add up to the year, so each such line is suppressed together with
    its total (secondary suppression); counts of different persons and counts at a day do not add up,
    so for them hiding the small ones is enough.
    """
    rows = []
    for row in figures.rows:
        if row.figure.kind == FLOW:
            quarters, year = suppress_line([int(value or 0) for value in row.quarters], k=k)
        else:
            quarters = tuple(_hidden_below(value, k) for value in row.quarters)
            year = _hidden_below(row.year, k)
        rows.append(
            replace(row, quarters=quarters, year=year, previous_year=_hidden_below(row.previous_year, k))
        )
    return replace(figures, rows=tuple(rows), suppressed_below=k)
