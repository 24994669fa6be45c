"""Reads of ESF participations: the records the indicator engine counts, lists and pages."""

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from inka.cases.models import Case
from inka.core.aggregates import Counts, per_month
from inka.employment.models import JobOutcome
from inka.esf.codes import ExitEventType, VocationalQualification, isced_from_certificates
from inka.esf.completeness import missing_fields
from inka.esf.engine import RESULT_WINDOW, add_months
from inka.esf.models import SENSITIVE_ITEMS, EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.records import ExitEvent as EventRecord
from inka.esf.records import ParticipationRecord
from inka.esf.records import Qualification as QualificationRecord
from inka.esf.records import Stay as StayRecord


def effective_isced(participation: Participation) -> int | None:
    """The ISCED level as given, else derived from the German certificates."""
    if participation.isced_level is not None:
        return participation.isced_level
    return isced_from_certificates(participation.school_certificate, participation.vocational_qualification)


def participations_for_report(
    *, site_ids: Iterable[int], period_from: date | None = None, period_to: date | None = None
) -> QuerySet[Participation]:
    """Participations of the sites that entered or left within the period (both ends inclusive)."""
    participations = Participation.objects.filter(site_id__in=list(site_ids))
    if period_from is not None and period_to is not None:
        participations = participations.filter(
            Q(entry_date__range=(period_from, period_to)) | Q(exit_date__range=(period_from, period_to))
        )
    return participations.select_related("site").order_by("pk")


def participation_records(participations: Iterable[Participation]) -> list[ParticipationRecord]:
    """Engine records for the given participations, with a fixed number of queries."""
    rows = list(participations)
    ids = [row.pk for row in rows]
    stays: dict[int, list[StayRecord]] = defaultdict(list)
    for stay in Stay.objects.filter(participation_id__in=ids).order_by("entry_date", "pk"):
        stays[stay.participation_id].append(StayRecord(stay.entry_date, stay.exit_date))
    events: dict[int, list[EventRecord]] = defaultdict(list)
    for event in ExitEvent.objects.filter(participation_id__in=ids).order_by("occurred_on", "pk"):
        events[event.participation_id].append(EventRecord(event.occurred_on, event.type))
    starts: dict[int, list[date]] = defaultdict(list)
    for start in EducationStart.objects.filter(participation_id__in=ids).order_by("started_on", "pk"):
        starts[start.participation_id].append(start.started_on)
    qualifications: dict[int, list[QualificationRecord]] = defaultdict(list)
    for qualification in Qualification.objects.filter(participation_id__in=ids).order_by("awarded_on", "pk"):
        qualifications[qualification.participation_id].append(
            QualificationRecord(qualification.awarded_on, qualification.title, qualification.recognised)
        )
    return [
        participation_record(
            row,
            stays=stays[row.pk],
            events=events[row.pk],
            starts=starts[row.pk],
            qualifications=qualifications[row.pk],
        )
        for row in rows
    ]


def participation_record(
    participation: Participation,
    *,
    stays: list[StayRecord],
    events: list[EventRecord],
    starts: list[date],
    qualifications: list[QualificationRecord],
) -> ParticipationRecord:
    p = participation
    return ParticipationRecord(
        participation_id=p.participation_id,
        site=p.site.code,
        stays=tuple(stays) or (StayRecord(p.entry_date, p.exit_date),),
        gender=p.gender or None,
        date_of_birth=p.date_of_birth,
        labour_status_at_entry=p.labour_status_at_entry or None,
        unemployed_since=p.unemployed_since,
        in_education_or_training_at_entry=p.in_education_or_training_at_entry,
        isced_level=effective_isced(p),
        rural=p.rural or "UNKNOWN",
        exit_events=tuple(events),
        education_training_starts=tuple(starts),
        qualifications=tuple(qualifications),
        followup_6m_status=p.followup_6m_status or None,
        followup_6m_improved=p.followup_6m_improved,
        **{item: getattr(p, item) or "NOT_ASKED" for item in SENSITIVE_ITEMS},
    )


# Case work: the case section, the participation page, the site list and the work list

RESULT_WINDOW_DAYS = RESULT_WINDOW.days
SIX_MONTHS = 6
FOLLOWUP_NOTICE_DAYS = 14  # the follow-up shows as due this many days before its reference date


def result_window_end(exit_date: date) -> date:
    """The last day that counts as "upon leaving": 28 days after the exit, both ends inclusive."""
    return exit_date + timedelta(days=RESULT_WINDOW_DAYS)


def six_month_reference(exit_date: date) -> date:
    """The reference date of the six-month follow-up (ESF.md)."""
    return add_months(exit_date, SIX_MONTHS)


def latest_exit_due_by(day: date) -> date:
    """The latest exit whose six-month reference date is on or before `day` (for database filters);
    clamping maps 28–31 August onto the end of February, so the bound keeps month ends."""
    bound = add_months(day, -SIX_MONTHS)
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        bound = bound.replace(day=calendar.monthrange(bound.year, bound.month)[1])
    return bound


_TERTIARY = [
    VocationalQualification.DOCTORATE,
    VocationalQualification.MASTER,
    VocationalQualification.BACHELOR,
    VocationalQualification.MEISTER_TECHNIKER,
]


def incomplete_q() -> Q:
    """`completeness.missing_fields` as a database filter (a test holds the two in step)."""
    isced_derivable = Q(vocational_qualification__in=_TERTIARY) | (
        Q(vocational_qualification__in=[VocationalQualification.APPRENTICESHIP, VocationalQualification.NONE])
        & ~Q(school_certificate="")
    )
    return (
        Q(gender="")
        | Q(date_of_birth=None)
        | Q(labour_status_at_entry="")
        | Q(labour_status_at_entry="UNEMPLOYED", unemployed_since=None)
        | Q(labour_status_at_entry="INACTIVE", in_education_or_training_at_entry=None)
        | (Q(isced_level=None) & ~isced_derivable)
    )


def followup_due_q(today: date) -> Q:
    """Left, no follow-up recorded, and the reference date within the next 14 days or past."""
    return Q(
        exit_date__lte=latest_exit_due_by(today + timedelta(days=FOLLOWUP_NOTICE_DAYS)),
        followup_6m_status="",
    )


@dataclass(frozen=True)
class ParticipationState:
    """What counts and what is still to do: completeness (blocking) and the reminders (not blocking)."""

    missing: list[str]  # completeness.missing_fields: empty when the participation counts
    leaflet_missing: bool
    situation_due_on: date | None  # exit + 28 days, while no situation after leaving is recorded
    situation_overdue: bool
    followup_on: date | None  # the six-month reference date, while no follow-up is recorded
    followup_due: bool  # within the next 14 days or past
    followup_overdue: bool

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def has_reminders(self) -> bool:
        return self.leaflet_missing or self.situation_due_on is not None or self.followup_due


def participation_state(
    participation: Participation, record: ParticipationRecord, today: date | None = None
) -> ParticipationState:
    today = today or timezone.localdate()
    exit_date = participation.exit_date
    situation_due_on = followup_on = None
    if exit_date is not None:
        window_end = result_window_end(exit_date)
        recorded = any(exit_date <= event.date <= window_end for event in record.exit_events)
        if not recorded and not participation.exit_no_answer_reason:
            situation_due_on = window_end
        if not participation.followup_6m_status:
            followup_on = six_month_reference(exit_date)
    return ParticipationState(
        missing=missing_fields(record),
        leaflet_missing=participation.leaflet_acknowledged_on is None,
        situation_due_on=situation_due_on,
        situation_overdue=situation_due_on is not None and situation_due_on < today,
        followup_on=followup_on,
        followup_due=followup_on is not None and followup_on <= today + timedelta(days=FOLLOWUP_NOTICE_DAYS),
        followup_overdue=followup_on is not None and followup_on < today,
    )


def participation_for_case(*, case: Case) -> Participation | None:
    """The participation of the case's person at the case's site, if there is one."""
    return (
        Participation.objects.filter(site_id=case.site_id, person_id=case.person_id)
        .select_related("site", "case")
        .first()
    )


@dataclass(frozen=True)
class OutcomeRow:
    outcome: JobOutcome
    adopted: bool


@dataclass(frozen=True)
class ParticipationPage:
    participation: Participation
    record: ParticipationRecord
    state: ParticipationState
    stays: list[Stay]
    exit_events: list[ExitEvent]
    education_starts: list[EducationStart]
    qualifications: list[Qualification]
    job_outcomes: list[OutcomeRow]  # of the person's cases at this site, newest first
    derived_isced: int | None  # from the certificates, shown when no level is given

    @property
    def open_stay(self) -> Stay | None:
        return self.stays[-1] if self.stays and self.stays[-1].exit_date is None else None

    @property
    def reference_date(self) -> date | None:
        """The six-month follow-up's reference date, once the participation has ended."""
        exit_date = self.participation.exit_date
        return six_month_reference(exit_date) if exit_date else None


def participation_page(*, participation: Participation, today: date | None = None) -> ParticipationPage:
    """Everything the participation page shows, in a fixed number of queries."""
    p = participation
    stays = list(Stay.objects.filter(participation=p).order_by("entry_date", "pk"))
    events = list(ExitEvent.objects.filter(participation=p).order_by("occurred_on", "pk"))
    starts = list(EducationStart.objects.filter(participation=p).order_by("started_on", "pk"))
    qualifications = list(Qualification.objects.filter(participation=p).order_by("awarded_on", "pk"))
    outcomes: list[JobOutcome] = []
    if p.person_id is not None:
        outcomes = list(
            JobOutcome.objects.filter(case__person_id=p.person_id, case__site_id=p.site_id)
            .select_related("case")
            .order_by("-starts_on", "-pk")
        )
    adopted = {row.job_outcome_id for row in [*events, *starts, *qualifications] if row.job_outcome_id}
    record = participation_record(
        p,
        stays=[StayRecord(stay.entry_date, stay.exit_date) for stay in stays],
        events=[EventRecord(event.occurred_on, event.type) for event in events],
        starts=[start.started_on for start in starts],
        qualifications=[QualificationRecord(q.awarded_on, q.title, q.recognised) for q in qualifications],
    )
    return ParticipationPage(
        participation=p,
        record=record,
        state=participation_state(p, record, today),
        stays=stays,
        exit_events=events,
        education_starts=starts,
        qualifications=qualifications,
        job_outcomes=[OutcomeRow(outcome, outcome.pk in adopted) for outcome in outcomes],
        derived_isced=isced_from_certificates(p.school_certificate, p.vocational_qualification),
    )


class ListFilter:
    INCOMPLETE = "incomplete"
    FOLLOWUP = "followup"
    ALL = "all"


def participation_list(
    *, site_id: int, show: str = ListFilter.INCOMPLETE, today: date | None = None
) -> QuerySet[Participation]:
    """Participations of a site, newest entry first: incomplete ones, those with a follow-up due, or all."""
    today = today or timezone.localdate()
    participations = Participation.objects.filter(site_id=site_id, person__restricted_at__isnull=True)
    participations = participations.select_related("site", "person")
    if show == ListFilter.INCOMPLETE:
        participations = participations.filter(incomplete_q())
    elif show == ListFilter.FOLLOWUP:
        participations = participations.filter(followup_due_q(today))
    return participations.order_by("-entry_date", "-pk")


@dataclass(frozen=True)
class ParticipationRow:
    participation: Participation
    state: ParticipationState


def participation_rows(
    participations: Iterable[Participation], today: date | None = None
) -> list[ParticipationRow]:
    """The list's rows with what each still needs, in a fixed number of queries."""
    rows = list(participations)
    return [
        ParticipationRow(participation, participation_state(participation, record, today))
        for participation, record in zip(rows, participation_records(rows), strict=True)
    ]


def followups_due_for(
    *, user: Any, site_ids: list[int], today: date, limit: int = 100
) -> list[Participation]:
    """Participations whose six-month follow-up is due for the caseworker of their case (work list)."""
    return list(
        Participation.objects.filter(
            followup_due_q(today),
            case__caseworker=user,
            case__site_id__in=site_ids,
            site_id__in=site_ids,
            person__restricted_at__isnull=True,
        )
        .select_related("case__person", "case__site")
        .order_by("exit_date", "pk")[:limit]
    )


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------

UPON_LEAVING = (ExitEventType.EMPLOYED, ExitEventType.SELF_EMPLOYED)


def _with_result_upon_leaving(participations: QuerySet[Participation]) -> QuerySet[Participation]:
    """Those with an immediate result (ESF.md, as the engine counts EECR02–EECR04): employed or
    self-employed as the last situation in the result window, education or training begun in it, or
    a recognised qualification gained during the participation or in it."""
    participations = participations.annotate(
        window_end=ExpressionWrapper(F("exit_date") + RESULT_WINDOW, output_field=DateField())
    )
    left, until = OuterRef("exit_date"), OuterRef("window_end")
    last_situation = (
        ExitEvent.objects.filter(
            participation=OuterRef("pk"),
            occurred_on__gte=left,
            occurred_on__lte=until,
        )
        .order_by("-occurred_on", "-pk")
        .values("type")[:1]
    )
    education = EducationStart.objects.filter(
        participation=OuterRef("pk"), started_on__gte=left, started_on__lte=until
    )
    qualification = Qualification.objects.filter(
        participation=OuterRef("pk"),
        recognised=True,
        awarded_on__gte=OuterRef("entry_date"),
        awarded_on__lte=until,
    )
    return participations.annotate(last_situation=Subquery(last_situation)).filter(
        Q(last_situation__in=UPON_LEAVING) | Exists(education) | Exists(qualification)
    )


def participation_counts(
    *, site_ids: Sequence[int], start: date, end: date, event: str, by: str | None = None
) -> Counts:
    """ESF participations by site and month: `event="entered"` by the first entry, `"left"` by the
    final exit, `"result"` those that left with an immediate result (complete participations only,
    as in the ESF indicators; see `_with_result_upon_leaving`).

    `by`: "gender", in the case-work codes ("f", "m", "x"; "" when not recorded).
    """
    participations: QuerySet[Participation] = Participation.objects.all()
    if event == "result":
        participations = _with_result_upon_leaving(participations.exclude(incomplete_q()))
    day = {"entered": "entry_date", "left": "exit_date", "result": "exit_date"}[event]
    if by not in (None, "gender"):
        raise ValueError(f"Unknown breakdown {by!r}.")
    if by:
        participations = participations.annotate(gender_code=Lower("gender"))
    return per_month(
        participations,
        site_ids=site_ids,
        start=start,
        end=end,
        day=day,
        by="gender_code" if by else None,
    )


# --- Data quality for monitoring (M7) ---------------------------------------------------------------


def incomplete_participation_counts(*, site_ids: Sequence[int], today: date) -> dict[int, tuple[int, int]]:
    """{site id: (incomplete participations, participations)} of those entered by `today`."""
    rows = (
        Participation.objects.filter(site_id__in=list(site_ids), entry_date__lte=today)
        .order_by()
        .values("site_id")
        .annotate(total=Count("pk"), incomplete=Count("pk", filter=incomplete_q()))
    )
    return {row["site_id"]: (row["incomplete"], row["total"]) for row in rows}
