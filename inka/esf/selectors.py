"""Reads of ESF participations: the records the indicator engine counts, lists and pages."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from inka.esf.codes import isced_from_certificates
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
