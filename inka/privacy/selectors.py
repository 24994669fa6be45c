"""Reads of data-subject rights: the register, contested values, a person's change history."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from inka.cases.models import Case, Person
from inka.core.models import AuditEntry
from inka.privacy.graph import records_of
from inka.privacy.models import ContestedValue, DataSubjectRequest, RequestStatus

# What a person can dispute: the facts recorded about them, not the bookkeeping of the case.
PERSON_FIELDS = [
    "first_name", "last_name", "birth_date", "gender", "street", "postcode", "town", "in_neighbourhood",
    "phone", "email", "household_size", "children", "languages", "residence_status", "disability",
]  # fmt: skip
CASE_FIELDS = [
    "opened_on", "closed_on", "close_reason", "outcome", "life_situation", "notes", "health_note",
    "addiction_note", "criminal_record_note",
]  # fmt: skip
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class Show:
    OPEN = "open"
    OVERDUE = "overdue"
    ALL = "all"


def overdue_q(today: date) -> Q:
    """Open requests whose deadline (extended or not) has passed."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(extended_until__lt=today) | Q(extended_until=None, due_on__lt=today)
    )


def request_list(
    *, site_ids: Sequence[int], show: str = Show.OPEN, today: date | None = None
) -> QuerySet[DataSubjectRequest]:
    """Requests of the sites, the most urgent first; `show`: open, overdue or all."""
    today = today or timezone.localdate()
    requests = DataSubjectRequest.objects.filter(site_id__in=list(site_ids)).select_related(
        "person", "site", "handled_by"
    )
    if show == Show.OPEN:
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif show == Show.OVERDUE:
        requests = requests.filter(overdue_q(today))
    return requests.order_by("due_on", "received_on", "pk")


def is_overdue(request: DataSubjectRequest, today: date) -> bool:
    return request.status in OPEN_STATUSES and request.deadline < today


def person_requests(*, person: Person) -> list[DataSubjectRequest]:
    return list(person.data_subject_requests.select_related("handled_by").order_by("-received_on", "-pk"))


def contested_values(*, person: Person, open_only: bool = False) -> list[ContestedValue]:
    """The person's contested values, open ones first."""
    values = ContestedValue.objects.filter(person=person).select_related("content_type", "recorded_by")
    if open_only:
        values = values.filter(resolved_on=None)
    return list(values.order_by("-resolved_on", "-contested_on", "-pk"))


ContestedMap = dict[tuple[int, int, str], ContestedValue]


def open_contested(person_ids: Iterable[int]) -> ContestedMap:
    """{(content type id, record id, field): value} of the unresolved contested values, in one query."""
    values = ContestedValue.objects.filter(person_id__in=list(person_ids), resolved_on=None)
    return {(value.content_type_id, value.object_id, value.field_name): value for value in values}


def contestable_fields(*, person: Person) -> list[tuple[str, str, list[tuple[str, Any]]]]:
    """The fields a person may contest: the person's own and those of each case, as form choices
    grouped by record ("cases.person:12:last_name")."""
    groups = []
    cases = list(person.cases.order_by("-opened_on", "-pk"))
    for model, names, records in ((Person, PERSON_FIELDS, [person]), (Case, CASE_FIELDS, cases)):
        content_type = ContentType.objects.get_for_model(model)
        fields: list[Any] = [model._meta.get_field(name) for name in names]
        for record in records:
            title = (
                str(model._meta.verbose_name) if model is Person else f"{model._meta.verbose_name} {record}"
            )
            choices = [(f"{content_type.pk}:{record.pk}:{f.name}", str(f.verbose_name)) for f in fields]
            groups.append((title, str(content_type.pk), choices))
    return groups


def person_history(*, person: Person) -> QuerySet[AuditEntry]:
    """The change history of every record of the person (through the person graph), newest first."""
    condition = Q(pk__in=[])
    for records in records_of([person.pk]).values():
        content_type = ContentType.objects.get_for_model(records.model)
        ids = [str(pk) for pk in records.values_list("pk", flat=True)]
        if ids:
            condition |= Q(content_type=content_type, object_id__in=ids)
    return AuditEntry.objects.filter(condition).select_related("content_type").order_by("-at", "-pk")


def rectifications(*, request: DataSubjectRequest) -> list[AuditEntry]:
    """The corrections recorded for a rectification request, oldest first."""
    content_type = ContentType.objects.get_for_model(DataSubjectRequest)
    return list(
        AuditEntry.objects.filter(
            content_type=content_type, object_id=str(request.pk), action="inka.privacy.request.rectified"
        ).order_by("at", "pk")
    )


def changes_since(*, person: Person, day: date) -> list[AuditEntry]:
    """Changes to the person and their cases since `day`: the candidates of a rectification."""
    person_type = ContentType.objects.get_for_model(Person)
    case_type = ContentType.objects.get_for_model(Case)
    case_ids = [str(pk) for pk in person.cases.values_list("pk", flat=True)]
    return list(
        AuditEntry.objects.filter(
            Q(content_type=person_type, object_id=str(person.pk))
            | Q(content_type=case_type, object_id__in=case_ids),
            action__in=["inka.person.updated", "inka.case.updated"],
            at__date__gte=day,
        )
        .select_related("content_type")
        .order_by("-at", "-pk")[:50]
    )


def restricted_persons(*, site_ids: Sequence[int]) -> QuerySet[Person]:
    """Restricted persons of the sites (the data protection officer's list), the latest first."""
    return (
        Person.objects.filter(site_id__in=list(site_ids), restricted_at__isnull=False)
        .select_related("site")
        .order_by("-restricted_at", "-pk")
    )
