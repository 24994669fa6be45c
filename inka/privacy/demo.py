"""Demo part of data protection at ALT: the register holds an answered access request, an open
rectification with a contested value and an erasure request during the retention period, whose
person is therefore restricted (she still counts in the statistics)."""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from inka.cases.models import Case, Person
from inka.core.demo import DemoContext
from inka.privacy.models import (
    ContestedValue,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
    one_month_after,
)

SITE = "ALT"


def _quiet_persons(site_id: int) -> list[Person]:
    """Persons whose cases are all closed and who have no ESF participation, newest first: nothing
    of the daily demo work depends on them."""
    return list(
        Person.objects.filter(site_id=site_id, cases__isnull=False)
        .exclude(Q(cases__status=Case.Status.OPEN) | Q(participations__isnull=False))
        .order_by("-pk")
        .distinct()[:3]
    )


def generate(ctx: DemoContext) -> None:
    site = ctx.sites.get(SITE)
    lead, caseworker = ctx.users.get("leitung.alt"), ctx.users.get("lotse.alt")
    if site is None or lead is None or caseworker is None:
        return
    persons = _quiet_persons(site.pk)
    if len(persons) < 3:
        return
    today = timezone.localdate()
    asked, corrects, erases = persons

    def request(person: Person, kind: str, days_ago: int, **fields: object) -> DataSubjectRequest:
        received = today - timedelta(days=days_ago)
        return DataSubjectRequest.objects.create(
            site=site,
            person=person,
            kind=kind,
            received_on=received,
            due_on=one_month_after(received),
            channel="persönlich in der Sprechstunde",
            identity_checked_on=received,
            identity_check="Personalausweis vorgelegt",
            registered_by=caseworker,
            **fields,
        )

    request(
        asked,
        RequestKind.ACCESS,
        40,
        status=RequestStatus.ANSWERED,
        answered_on=today - timedelta(days=33),
        answer="Auskunft als PDF persönlich übergeben; die JSON-Datei auf Wunsch per USB-Stick.",
        handled_by=lead,
    )
    rectification = request(
        corrects,
        RequestKind.RECTIFICATION,
        6,
        status=RequestStatus.IN_PROGRESS,
        notes="Hält das erfasste Geburtsdatum für falsch; bringt nächste Woche Unterlagen mit.",
        handled_by=lead,
    )
    ContestedValue.objects.create(
        site=site,
        person=corrects,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=corrects.pk,
        field_name="birth_date",
        statement="Das Geburtsdatum sei falsch erfasst worden.",
        request=rectification,
        contested_on=rectification.received_on,
        recorded_by=caseworker,
    )
    request(
        erases,
        RequestKind.ERASURE,
        20,
        status=RequestStatus.ANSWERED,
        answered_on=today - timedelta(days=15),
        answer=(
            "Löschung erst nach Ende der ESF-Aufbewahrungsfrist möglich; bis dahin ist die Verarbeitung "
            "eingeschränkt (Art. 17 Abs. 3, Art. 18 DSGVO)."
        ),
        handled_by=lead,
    )
    restricted_on = datetime.combine(
        today - timedelta(days=15), time(10), tzinfo=timezone.get_current_timezone()
    )
    Person.objects.filter(pk=erases.pk).update(restricted_at=restricted_on)
