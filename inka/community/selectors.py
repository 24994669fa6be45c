"""Reads of neighbourhood work. Callers pass the site ids they may see; the scope is the net."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_scopes import scope, scopes_disabled

from inka.cases.models import AgeBand, Consent, Gender, Person, Topic
from inka.cases.names import name_key
from inka.community.models import (
    Activation,
    ActivationKind,
    Attendance,
    Headcount,
    OutreachRound,
    OutreachTopic,
    Project,
    ProjectStatus,
    Session,
    Volunteer,
    VolunteerHours,
)
from inka.core.aggregates import Counts, Period, count, per_month, per_period
from inka.core.scoping import SOCIAL
from inka.core.suppression import SuppressedTable, suppress_tables_sharing_totals

# --- Community projects, sessions, attendance and resident activation -----------------------------

# Rows and columns of the attendance table; "" is "unknown" (a headcount without age or gender).
AGE_BAND_ROWS: list[str] = [*AgeBand.values, ""]
GENDER_COLUMNS: list[str] = [*Gender.values, ""]
CANDIDATES_SHOWN = 20


def _valid_community_consent(day: date) -> Q:
    """A consent to named participation that is valid on `day` (as Consent.is_valid_on)."""
    return (
        Q(purpose=Consent.Purpose.COMMUNITY, given_on__lte=day)
        & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
    )


def _total(queryset: QuerySet[Any], group_by: str, expression: Any) -> Coalesce:
    """A correlated subquery: `expression` over `queryset` for the outer row, 0 when there is none."""
    rows = queryset.order_by().values(group_by).annotate(total=expression).values("total")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def project_list(
    *, site_ids: Sequence[int], status: str = "", kind: str = "", year: int | None = None, q: str = ""
) -> QuerySet[Project]:
    """Projects of the sites, filtered, with their number of sessions and total attendance."""
    projects = Project.objects.filter(site_id__in=site_ids)
    if status:
        projects = projects.filter(status=status)
    if kind:
        projects = projects.filter(kind=kind)
    if year:
        projects = projects.filter(starts_on__lte=date(year, 12, 31)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1))
        )
    if q.strip():
        text = q.strip()
        projects = projects.filter(
            Q(title__icontains=text) | Q(goals__icontains=text) | Q(public_description__icontains=text)
        )
    sessions = Session.objects.filter(project=OuterRef("pk"))
    heads = Headcount.objects.filter(session__project=OuterRef("pk"))
    return (
        projects.select_related("site")
        .annotate(
            session_count=_total(sessions, "project", Count("pk")),
            headcount_total=_total(heads, "session__project", Sum("count")),
            # Named participations are counted through the sessions, not through their own (social)
            # manager: a number, which the coordination and the steering group may see as well.
            named_total=_total(sessions, "project", Count("attendances")),
        )
        .annotate(attendance_total=F("headcount_total") + F("named_total"))
        .order_by("-starts_on", "title", "pk")
    )


def session_list(*, project: Project) -> QuerySet[Session]:
    """The project's sessions, the latest first."""
    return Session.objects.filter(project=project).order_by("-held_on", "-pk")


def _age_on(day: str, birth: str) -> Any:
    """Full years from the date at `birth` to the date at `day` (field paths), computed by the database;
    NULL without a birth date."""
    birthday_ahead = Q(**{f"{day}__month__lt": ExtractMonth(birth)}) | Q(
        **{f"{day}__month": ExtractMonth(birth), f"{day}__day__lt": ExtractDay(birth)}
    )
    return (
        ExtractYear(day)
        - ExtractYear(birth)
        - Case(When(birthday_ahead, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _age_band(age: str) -> Case:
    """The AgeBand value of the annotation `age` ("" when unknown)."""
    whens = [When(**{f"{age}__isnull": True}, then=Value(""))]
    for band in AgeBand.values[:-1]:
        whens.append(When(**{f"{age}__lte": int(band.split("-")[1])}, then=Value(band)))
    return Case(*whens, default=Value(AgeBand.values[-1]), output_field=CharField())


@dataclass(frozen=True)
class AttendanceTable:
    """Attendance by age band (rows, the last "unknown") and gender (columns, the last "unknown");
    None is a figure hidden by small-cell suppression."""

    rows: list[tuple[Any, list[int | None], int | None]]
    column_totals: list[int | None]
    grand_total: int | None


@dataclass(frozen=True)
class SessionRow:
    session: Session
    recorded: bool  # any attendance recorded
    attendance: int | None  # None: hidden by small-cell suppression


@dataclass(frozen=True)
class ProjectFigures:
    sessions: list[SessionRow]
    sessions_held: int
    sessions_planned: int
    table: AttendanceTable
    volunteer_hours: Decimal | None
    volunteers: int | None
    activations: list[Activation]
    activation_residents: int
    budget_share: int | None  # spent as a percentage of the budget
    suppressed_below: int | None = None

    @property
    def attendance_total(self) -> int | None:
        return self.table.grand_total


def _attendance_cells(project: Project) -> dict[tuple[int, str, str], int]:
    """{(session id, age band, gender): people} of the project: headcounts and named participants."""
    cells: dict[tuple[int, str, str], int] = {}
    heads = (
        Headcount.objects.filter(session__project=project)
        .order_by()
        .values_list("session_id", "age_band", "gender")
        .annotate(people=Sum("count"))
    )
    # Only numbers leave this block, so it reads the named participations of the project's own site
    # for every viewer of the project (the coordination's scope holds no person-level data).
    with scope(**{SOCIAL: [project.site_id]}):
        named = list(
            Attendance.objects.filter(session__project=project)
            .annotate(age=_age_on("session__held_on", "person__birth_date"))
            .annotate(band=_age_band("age"))
            .order_by()
            .values_list("session_id", "band", "person__gender")
            .annotate(people=Count("pk"))
        )
    for session_id, band, gender, people in [*heads, *named]:
        key = (session_id, band, gender)
        cells[key] = cells.get(key, 0) + people
    return cells


def _volunteering(project: Project) -> tuple[Decimal, int]:
    """Hours given for the project (for its sessions or for it as a whole) and how many gave them."""
    with scope(**{SOCIAL: [project.site_id]}):  # numbers only, as in _attendance_cells
        totals = VolunteerHours.objects.filter(Q(session__project=project) | Q(project=project)).aggregate(
            hours=Sum("hours"), volunteers=Count("volunteer", distinct=True)
        )
    return totals["hours"] or Decimal(0), totals["volunteers"]


def _plain_table(grid: list[list[int]]) -> AttendanceTable:
    labels = [*AgeBand.labels, gettext_lazy("unknown")]
    return AttendanceTable(
        rows=[(label, list(row), sum(row)) for label, row in zip(labels, grid, strict=True)],
        column_totals=[sum(column) for column in zip(*grid, strict=True)],
        grand_total=sum(map(sum, grid)),
    )


def _hidden_table(table: SuppressedTable) -> AttendanceTable:
    labels = [*AgeBand.labels, gettext_lazy("unknown")]
    return AttendanceTable(
        rows=[
            (label, list(row), total)
            for label, row, total in zip(labels, table.interior, table.row_totals, strict=True)
        ],
        column_totals=list(table.column_totals),
        grand_total=table.grand_total,
    )


def project_get_figures(
    *, project: Project, today: date | None = None, suppress_below: int | None = None
) -> ProjectFigures:
    """The project's figures: sessions, attendance by age band and gender, volunteering, activations,
    budget. With `suppress_below` (k), for viewers outside the site's team: the attendance per
    session and the table by age band and gender are suppressed together (they share their totals)."""
    today = today or timezone.localdate()
    sessions = list(session_list(project=project))
    cells = _attendance_cells(project)
    by_session: dict[int, list[int]] = {}
    grid = [[0] * len(GENDER_COLUMNS) for _ in AGE_BAND_ROWS]
    for (session_id, band, gender), people in cells.items():
        column = GENDER_COLUMNS.index(gender)
        grid[AGE_BAND_ROWS.index(band)][column] += people
        by_session.setdefault(session_id, [0] * len(GENDER_COLUMNS))[column] += people
    attended = [session for session in sessions if sum(by_session.get(session.pk, [])) > 0]
    shown: dict[int, int | None] = {session.pk: sum(by_session[session.pk]) for session in attended}
    table = _plain_table(grid)
    hours, volunteers = _volunteering(project)
    volunteer_hours: Decimal | None = hours
    volunteer_count: int | None = volunteers
    if suppress_below is not None:
        if attended:
            per_session, by_age = suppress_tables_sharing_totals(
                [by_session[session.pk] for session in attended], grid, k=suppress_below
            )
            shown = {
                session.pk: total for session, total in zip(attended, per_session.row_totals, strict=True)
            }
            table = _hidden_table(by_age)
        if volunteers and volunteers < suppress_below:
            # The hours of one or two people are theirs: hidden with their number.
            volunteer_hours, volunteer_count = None, None
    activations = list(Activation.objects.filter(project=project).order_by("-occurred_on", "-pk"))
    share = None
    if project.budget and project.spent is not None:
        share = round(project.spent * 100 / project.budget)
    return ProjectFigures(
        sessions=[SessionRow(session, session.pk in shown, shown.get(session.pk)) for session in sessions],
        sessions_held=sum(1 for session in sessions if session.held_on <= today),
        sessions_planned=sum(1 for session in sessions if session.held_on > today),
        table=table,
        volunteer_hours=volunteer_hours,
        volunteers=volunteer_count,
        activations=activations,
        activation_residents=sum(activation.residents for activation in activations),
        budget_share=share,
        suppressed_below=suppress_below,
    )


def project_participants(*, project: Project) -> QuerySet[Person]:
    """Persons named as participants of the project, with how many of its sessions they attended."""
    return (
        Person.objects.filter(attendances__session__project=project, restricted_at__isnull=True)
        .annotate(sessions_attended=Count("attendances"))
        .order_by("last_name", "first_name", "pk")
    )


def session_participants(*, session: Session) -> QuerySet[Attendance]:
    """The session's named participants with their persons, by name."""
    return (
        Attendance.objects.filter(session=session, person__restricted_at__isnull=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def session_headcounts(*, session: Session) -> dict[tuple[str, str], int]:
    """{(age band, gender): people} of the session's headcount ("" = unknown)."""
    rows = Headcount.objects.filter(session=session).values_list("age_band", "gender", "count")
    return {(band, gender): count for band, gender, count in rows}


def attendance_candidates(*, session: Session, q: str) -> list[Person]:
    """Persons of the session's site whose name fits `q` (spelling-independent), each marked whether
    they may be named (`consented`: valid consent on the session's day) and are already `attending`."""
    words = name_key(q).split()
    if not words:
        return []
    persons = Person.objects.filter(site_id=session.project.site_id, restricted_at__isnull=True)
    for word in words:
        persons = persons.filter(name_key__contains=word)
    consents = Consent.objects.filter(person=OuterRef("pk")).filter(_valid_community_consent(session.held_on))
    attending = Attendance.objects.filter(session=session, person=OuterRef("pk"))
    return list(
        persons.annotate(consented=Exists(consents), attending=Exists(attending)).order_by(
            "last_name", "first_name", "pk"
        )[:CANDIDATES_SHOWN]
    )


def person_has_community_consent(*, person: Person, day: date) -> bool:
    """Whether the person's consent to named participation is valid on `day`."""
    return Consent.objects.filter(person=person).filter(_valid_community_consent(day)).exists()


def activation_list(
    *, site_ids: Sequence[int], year: int | None = None, kind: str = ""
) -> QuerySet[Activation]:
    """Resident activations of the sites, the latest first."""
    activations = Activation.objects.filter(site_id__in=site_ids)
    if year:
        activations = activations.filter(occurred_on__year=year)
    if kind:
        activations = activations.filter(kind=kind)
    return activations.select_related("site", "project").order_by("-occurred_on", "-pk")


def hide_below(value: int, k: int | None) -> int | None:
    """`value`, or None when it is a count below k that the viewer may not see (k None: no suppression)."""
    return None if k is not None and value < k else value


@dataclass(frozen=True)
class ActivationCount:
    kind: str
    label: Any
    records: int
    residents: int


def activation_counts(*, site_ids: Sequence[int], year: int) -> list[ActivationCount]:
    """For each kind of activation: how often it was recorded in `year` and how many residents."""
    found = {
        kind: (records, residents)
        for kind, records, residents in Activation.objects.filter(
            site_id__in=site_ids, occurred_on__year=year
        )
        .order_by()
        .values_list("kind")
        .annotate(records=Count("pk"), residents=Sum("residents"))
    }
    return [ActivationCount(kind, label, *found.get(kind, (0, 0))) for kind, label in ActivationKind.choices]


# Volunteers and their hours (G3), outreach rounds (G5)

ZERO_HOURS = Value(Decimal(0), output_field=DecimalField(max_digits=8, decimal_places=2))


def volunteer_list(
    *, site_id: int, active: bool | None = True, q: str = "", year: int | None = None
) -> QuerySet[Volunteer]:
    """Volunteers of a site by name, with their hours in all and in `year` (default: this year)."""
    year = year or timezone.localdate().year
    in_year = Q(hours__month__year=year) | Q(hours__session__held_on__year=year)
    volunteers = (
        Volunteer.objects.filter(site_id=site_id)
        .filter(Q(person=None) | Q(person__restricted_at__isnull=True))
        .annotate(
            total_hours=Coalesce(Sum("hours__hours"), ZERO_HOURS),
            year_hours=Coalesce(Sum("hours__hours", filter=in_year), ZERO_HOURS),
        )
        .order_by("last_name", "first_name", "pk")
    )
    if active is not None:
        ended = Q(until__lt=timezone.localdate())
        volunteers = volunteers.exclude(ended) if active else volunteers.filter(ended)
    for word in q.split():
        volunteers = volunteers.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return volunteers


def _day(entry: VolunteerHours) -> date:
    """The day the hours count for: the session's date, or the first of the month."""
    if entry.session is not None:
        return entry.session.held_on
    assert entry.month is not None
    return entry.month


@dataclass
class ProjectHours:
    project: Project | None
    hours: Decimal = Decimal(0)
    activities: list[str] = field(default_factory=list)


@dataclass
class VolunteerSummary:
    entries: list[VolunteerHours]
    total: Decimal
    years: list[tuple[int, Decimal]]
    projects: list[ProjectHours]


def _hours_by_project(entries: list[VolunteerHours]) -> list[ProjectHours]:
    """Hours per project (None: help at the site outside a project), most hours first, with what was
    done there: the activities written down, else the sessions' titles."""
    lines: dict[int | None, ProjectHours] = {}
    for entry in entries:
        line = lines.setdefault(entry.project_id, ProjectHours(entry.project))
        line.hours += entry.hours
        activity = entry.activity or (entry.session.title if entry.session is not None else "")
        if activity and activity not in line.activities:
            line.activities.append(activity)
    return sorted(lines.values(), key=lambda line: (line.project is None, -line.hours, str(line.project)))


def _hours_entries(volunteer: Volunteer) -> QuerySet[VolunteerHours]:
    return volunteer.hours.select_related("session__project", "project", "recorded_by")


def volunteer_get_summary(*, volunteer: Volunteer) -> VolunteerSummary:
    """All hours of a volunteer, newest first, with the totals per year and per project."""
    entries = sorted(_hours_entries(volunteer), key=lambda entry: (_day(entry), entry.pk), reverse=True)
    years: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        years[_day(entry).year] += entry.hours
    return VolunteerSummary(
        entries=entries,
        total=sum((entry.hours for entry in entries), Decimal(0)),
        years=sorted(years.items(), reverse=True),
        projects=_hours_by_project(entries),
    )


@dataclass
class CertificateSummary:
    total: Decimal
    projects: list[ProjectHours]
    first_day: date | None
    last_day: date | None


def volunteer_get_certificate(
    *, volunteer: Volunteer, period_from: date, period_to: date
) -> CertificateSummary:
    """The hours of a volunteer in a period, for the certificate: a month counts if it began in it."""
    entries = list(
        _hours_entries(volunteer).filter(
            Q(session__held_on__range=(period_from, period_to))
            | Q(month__range=(period_from.replace(day=1), period_to))
        )
    )
    entries.sort(key=lambda entry: (_day(entry), entry.pk))
    return CertificateSummary(
        total=sum((entry.hours for entry in entries), Decimal(0)),
        projects=_hours_by_project(entries),
        first_day=_day(entries[0]) if entries else None,
        last_day=_day(entries[-1]) if entries else None,
    )


def session_hours_volunteers(*, session: Session) -> tuple[list[Volunteer], dict[int, VolunteerHours]]:
    """The volunteers to offer for a session's hours: those engaged on its day and those with hours
    for it already; and the entries recorded for it, by volunteer."""
    recorded = {entry.volunteer_id: entry for entry in VolunteerHours.objects.filter(session=session)}
    engaged = Q(since__lte=session.held_on) & (Q(until__isnull=True) | Q(until__gte=session.held_on))
    volunteers = list(
        Volunteer.objects.filter(site_id=session.project.site_id)
        .filter(engaged | Q(pk__in=list(recorded)))
        .order_by("last_name", "first_name", "pk")
    )
    return volunteers, recorded


def recent_sessions(*, site_id: int, limit: int = 5) -> list[Session]:
    """The latest sessions of the site's projects that have taken place, with their volunteers' count."""
    return list(
        Session.objects.filter(project__site_id=site_id, held_on__lte=timezone.localdate())
        .select_related("project")
        .annotate(volunteer_count=Count("volunteer_hours"))
        .order_by("-held_on", "-pk")[:limit]
    )


def session_choices(*, site_id: int) -> QuerySet[Session]:
    """Sessions of the site's projects that have taken place, newest first."""
    return (
        Session.objects.filter(project__site_id=site_id, held_on__lte=timezone.localdate())
        .select_related("project")
        .order_by("-held_on", "-pk")
    )


def project_choices(*, site_id: int) -> QuerySet[Project]:
    return Project.objects.filter(site_id=site_id).order_by("title", "pk")


def outreach_list(*, site_ids: list[int]) -> QuerySet[OutreachRound]:
    """Outreach rounds of the sites, newest first, with who went and the topics."""
    return (
        OutreachRound.objects.filter(site_id__in=site_ids)
        .select_related("site")
        .prefetch_related(
            "staff", Prefetch("topics", queryset=OutreachTopic.objects.order_by("-conversations", "topic"))
        )
        .order_by("-held_on", "-pk")
    )


@dataclass
class OutreachMonth:
    month: date
    rounds: int = 0
    conversations: int = 0
    topics: list[tuple[str, int]] = field(default_factory=list)  # (label, conversations), top first


def outreach_month_summary(
    *, site_ids: list[int], months: int = 12, top: int = 3, today: date | None = None
) -> list[OutreachMonth]:
    """Rounds, conversations and the most frequent topics per month, newest month first."""
    first = (today or timezone.localdate()).replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rounds = OutreachRound.objects.filter(site_id__in=site_ids, held_on__gte=first)
    rows: dict[date, OutreachMonth] = {}
    month = first
    for _ in range(months):
        rows[month] = OutreachMonth(month)
        month = (month + timedelta(days=32)).replace(day=1)
    for row in (
        rounds.annotate(m=TruncMonth("held_on"))
        .values("m")
        .annotate(n=Count("pk"), talks=Sum("conversations"))
    ):
        summary = rows[_as_date(row["m"])]
        summary.rounds, summary.conversations = row["n"], row["talks"] or 0
    labels = dict(Topic.choices)
    by_topic = (
        OutreachTopic.objects.filter(round__in=rounds)
        .annotate(m=TruncMonth("round__held_on"))
        .values("m", "topic")
        .annotate(talks=Sum("conversations"))
        .order_by("m", "-talks", "topic")
    )
    for topic_row in by_topic:
        summary = rows[_as_date(topic_row["m"])]
        if len(summary.topics) < top:
            label = labels.get(topic_row["topic"], topic_row["topic"])
            summary.topics.append((str(label), topic_row["talks"]))
    return sorted(rows.values(), key=lambda row: row.month, reverse=True)


def _as_date(value: date) -> date:
    # TruncMonth of a date gives a date; some database backends give a datetime.
    return value.date() if isinstance(value, datetime) else value


def outreach_year_totals(*, site_ids: list[int], year: int) -> dict[str, int]:
    """Rounds and conversations of the sites in a year."""
    totals = OutreachRound.objects.filter(site_id__in=site_ids, held_on__year=year).aggregate(
        rounds=Count("pk"), conversations=Sum("conversations")
    )
    return {"rounds": totals["rounds"], "conversations": totals["conversations"] or 0}


def outreach_areas(*, site_id: int, limit: int = 30) -> list[str]:
    """Places of the site's recent rounds, offered while typing where the next one went."""
    areas: list[str] = []
    for area in (
        OutreachRound.objects.filter(site_id=site_id)
        .order_by("-held_on", "-pk")
        .values_list("area", flat=True)[:200]
    ):
        if area not in areas:
            areas.append(area)
    return sorted(areas[:limit])


# The site's public page


def project_list_public(*, site_id: int, today: date, limit: int = 10) -> list[Project]:
    """Planned and running projects of the site that have a public description, soonest first.

    The public page has no login, so no scope: the explicit site filter and the published fields are
    the whole read.
    """
    with scopes_disabled():
        projects = (
            Project.objects.filter(
                site_id=site_id,
                status__in=[ProjectStatus.PLANNED, ProjectStatus.RUNNING],
                public_description__gt="",
            )
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .only("title", "kind", "starts_on", "ends_on", "public_description")
            .order_by("starts_on", "title")
        )
        return list(projects[:limit])


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------


def _added(*parts: Counts) -> Counts:
    """Counts of several queries added up key by key."""
    added: Counts = {}
    for part in parts:
        for key, number in part.items():
            added[key] = added.get(key, 0) + number
    return added


def project_counts(*, site_ids: Sequence[int], periods: Sequence[Period], by: None = None) -> Counts:
    """Projects whose span (from the start to the end, or open-ended) overlaps each period; cancelled
    projects are left out, planned and completed ones count by their dates."""

    def running(period: Period) -> Count:
        overlaps = Q(starts_on__lte=period.end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.start))
        return Count("pk", filter=overlaps)

    projects = Project.objects.exclude(status=ProjectStatus.CANCELLED)
    return per_period(projects, site_ids=site_ids, periods=periods, measure=running)


def session_counts(*, site_ids: Sequence[int], start: date, end: date, by: None = None) -> Counts:
    """Sessions by the month they were held; `end` (today at the latest) leaves out those to come."""
    sessions = Session.objects.all()
    return per_month(
        sessions, site_ids=site_ids, start=start, end=end, day="held_on", site="project__site_id"
    )


def attendance_counts(*, site_ids: Sequence[int], start: date, end: date, by: str | None = None) -> Counts:
    """Guests counted at the sessions plus named participations, by the month of the session.

    `by`: "gender" or "age_band": a headcount cell's own values; for a named participant the person's
    gender and age band on the session's day. "" when not recorded. Two queries: counted and named.
    """
    named_by = {None: None, "gender": "person__gender", "age_band": "band"}[by]
    counted = per_month(
        Headcount.objects.all(),
        site_ids=site_ids,
        start=start,
        end=end,
        day="session__held_on",
        value=Sum("count"),
        site="session__project__site_id",
        by=by,
    )
    named = Attendance.objects.all()
    if by == "age_band":
        named = named.annotate(age=_age_on("session__held_on", "person__birth_date"), band=_age_band("age"))
    participants = per_month(
        named,
        site_ids=site_ids,
        start=start,
        end=end,
        day="session__held_on",
        site="session__project__site_id",
        by=named_by,
    )
    return _added(counted, participants)


def _hours_dated() -> QuerySet[VolunteerHours]:
    """Volunteer hours with the `day` they count for: the session's date, or the month's first day."""
    return VolunteerHours.objects.annotate(day=Coalesce("session__held_on", "month"))


def volunteer_counts(*, site_ids: Sequence[int], periods: Sequence[Period], by: None = None) -> Counts:
    """Different volunteers with hours counting for the period (see `_hours_dated`)."""
    return per_period(
        _hours_dated(),
        site_ids=site_ids,
        periods=periods,
        measure=count("day", "volunteer_id", distinct=True),
        site="volunteer__site_id",
        within="day",
    )


def volunteer_hour_totals(*, site_ids: Sequence[int], start: date, end: date, by: None = None) -> Counts:
    """Hours given by volunteers, by the month they count for (see `_hours_dated`)."""
    return per_month(
        _hours_dated(),
        site_ids=site_ids,
        start=start,
        end=end,
        day="day",
        value=Sum("hours"),
        site="volunteer__site_id",
    )


def activation_counts_by_month(
    *, site_ids: Sequence[int], start: date, end: date, by: str | None = None
) -> Counts:
    """Resident activations recorded (occasions, not residents) by month; `by`: "activation_kind"."""
    field = {None: None, "activation_kind": "kind"}[by]
    activations = Activation.objects.all()
    return per_month(activations, site_ids=site_ids, start=start, end=end, day="occurred_on", by=field)


def outreach_counts(
    *, site_ids: Sequence[int], start: date, end: date, measure: str, by: None = None
) -> Counts:
    """Outreach rounds (`measure="rounds"`) or their conversations (`"conversations"`) by month."""
    value = {"rounds": Count("pk"), "conversations": Sum("conversations")}[measure]
    rounds = OutreachRound.objects.all()
    return per_month(rounds, site_ids=site_ids, start=start, end=end, day="held_on", value=value)
