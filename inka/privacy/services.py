"""Writes of data-subject rights: the register, rectification, contested values, restriction.

Every change is audited; bad input raises ValidationError({field: message}) and writes nothing.
"""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases.models import Person
from inka.core.audit import audit, diff, snapshot
from inka.core.models import AuditEntry
from inka.privacy.models import (
    ContestedValue,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
    one_month_after,
)
from inka.privacy.selectors import contestable_fields

REQUEST_FIELDS = [
    "kind", "received_on", "channel", "identity_checked_on", "identity_check", "due_on", "extended_until",
    "extension_reason", "status", "answered_on", "answer", "notes", "handled_by",
]  # fmt: skip
DONE = (RequestStatus.ANSWERED, RequestStatus.REFUSED)


def _not_in_future(value: date | None, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError({field: _("This date lies in the future.")})


def latest_extension(due_on: date) -> date:
    """Art. 12(3) GDPR: the deadline may be extended by at most two further months."""
    return one_month_after(one_month_after(due_on))


def _check_request(request: DataSubjectRequest) -> None:
    today = timezone.localdate()
    _not_in_future(request.received_on, "received_on", today)
    _not_in_future(request.identity_checked_on, "identity_checked_on", today)
    _not_in_future(request.answered_on, "answered_on", today)
    if request.extended_until is not None:
        if request.extended_until <= request.due_on:
            raise ValidationError({"extended_until": _("An extension must end after the deadline.")})
        if request.extended_until > latest_extension(request.due_on):
            raise ValidationError(
                {"extended_until": _("The deadline can be extended by at most two further months.")}
            )
        if not request.extension_reason.strip():
            raise ValidationError({"extension_reason": _("Please give the reason for the extension.")})
    if request.status in DONE:
        if request.answered_on is None:
            raise ValidationError({"answered_on": _("Please enter the date of the answer.")})
        if not request.answer.strip():
            raise ValidationError({"answer": _("Please note what the person was told.")})
    elif request.answered_on is not None:
        raise ValidationError({"status": _("A request with an answer is answered or refused.")})
    if request.answered_on is not None and request.answered_on < request.received_on:
        raise ValidationError({"answered_on": _("The answer cannot come before the request.")})
    request.full_clean()


@transaction.atomic
def request_register(*, actor: Any, person: Person, **fields: Any) -> DataSubjectRequest:
    """Register a request; its deadline is one month after receipt (Art. 12(3) GDPR)."""
    received_on = fields.get("received_on") or timezone.localdate()
    request = DataSubjectRequest(
        site_id=person.site_id,
        person=person,
        registered_by=actor,
        **{**fields, "received_on": received_on, "due_on": one_month_after(received_on)},
    )
    _check_request(request)
    request.save()
    audit(
        actor=actor,
        action="inka.privacy.request.received",
        obj=request,
        person=person.pk,
        changes=diff({}, snapshot(request, REQUEST_FIELDS)),
    )
    return request


@transaction.atomic
def request_update(*, actor: Any, request: DataSubjectRequest, **fields: Any) -> DataSubjectRequest:
    """Record the identity check, an extension, the progress and the answer of a request."""
    stored = snapshot(DataSubjectRequest.objects.get(pk=request.pk), REQUEST_FIELDS)
    for name, value in fields.items():
        setattr(request, name, value)
    if request.status in DONE and stored["status"] not in DONE:
        request.handled_by = actor
    _check_request(request)
    request.save()
    changes = diff(stored, snapshot(request, REQUEST_FIELDS))
    if changes:
        answered = "status" in changes and request.status in DONE
        action = "inka.privacy.request.answered" if answered else "inka.privacy.request.updated"
        audit(actor=actor, action=action, obj=request, person=request.person_id, changes=changes)
    return request


@transaction.atomic
def rectification_record(
    *, actor: Any, request: DataSubjectRequest, entries: list[AuditEntry], note: str = ""
) -> None:
    """Note in the request which corrections answered it; the audit entries are the history."""
    if request.kind != RequestKind.RECTIFICATION:
        raise ValidationError({"entries": _("Only a request for rectification records corrections.")})
    if not entries:
        raise ValidationError({"entries": _("Please choose the corrections made for this request.")})
    fields = sorted(
        {f"{getattr(entry.content_type, 'model', '')}.{name}" for entry in entries for name in entry.changes}
    )
    if request.status == RequestStatus.RECEIVED:
        request_update(actor=actor, request=request, status=RequestStatus.IN_PROGRESS)
    audit(
        actor=actor,
        action="inka.privacy.request.rectified",
        obj=request,
        person=request.person_id,
        entries=[entry.pk for entry in entries],
        fields=fields,
        note=note,
    )


def _contested_record(person: Person, key: str) -> tuple[ContentType, int, str]:
    """The record and field of a choice "content type id:record id:field" of the person."""
    groups = contestable_fields(person=person)
    allowed = {choice for _title, _key, group in groups for choice, _label in group}
    if key not in allowed:
        raise ValidationError({"field": _("Please choose a field of this person.")})
    content_type_id, object_id, field_name = key.split(":")
    return ContentType.objects.get_for_id(int(content_type_id)), int(object_id), field_name


@transaction.atomic
def contest_mark(
    *,
    actor: Any,
    person: Person,
    field: str,
    statement: str,
    contested_on: date,
    request: DataSubjectRequest | None = None,
) -> ContestedValue:
    """Mark a value the person disputes (§ 84(2) SGB X): it stays in use, marked as contested."""
    content_type, object_id, field_name = _contested_record(person, field)
    _not_in_future(contested_on, "contested_on", timezone.localdate())
    if ContestedValue.objects.filter(
        content_type=content_type, object_id=object_id, field_name=field_name, resolved_on=None
    ).exists():
        raise ValidationError({"field": _("This value is already marked as contested.")})
    value = ContestedValue(
        site_id=person.site_id,
        person=person,
        content_type=content_type,
        object_id=object_id,
        field_name=field_name,
        statement=statement.strip(),
        contested_on=contested_on,
        request=request,
        recorded_by=actor,
    )
    value.full_clean()
    value.save()
    audit(
        actor=actor,
        action="inka.privacy.contested",
        obj=value,
        person=person.pk,
        changes=diff(
            {}, snapshot(value, ["content_type", "object_id", "field_name", "statement", "contested_on"])
        ),
    )
    return value


@transaction.atomic
def contest_resolve(
    *, actor: Any, value: ContestedValue, resolution: str, resolved_on: date
) -> ContestedValue:
    """Close a contested value with how it was cleared up (corrected, confirmed, …)."""
    if value.resolved_on is not None:
        raise ValidationError({"resolution": _("This contested value has already been resolved.")})
    _not_in_future(resolved_on, "resolved_on", timezone.localdate())
    if resolved_on < value.contested_on:
        raise ValidationError({"resolved_on": _("It cannot be resolved before it was contested.")})
    before = snapshot(value, ["resolved_on", "resolution"])
    value.resolution, value.resolved_on = resolution.strip(), resolved_on
    if not value.resolution:
        raise ValidationError({"resolution": _("Please note how it was resolved.")})
    value.full_clean()
    value.save()
    audit(
        actor=actor,
        action="inka.privacy.contest_resolved",
        obj=value,
        person=value.person_id,
        changes=diff(before, snapshot(value, ["resolved_on", "resolution"])),
    )
    return value


@transaction.atomic
def person_restrict(*, actor: Any, person: Person, reason: str) -> Person:
    """Restrict processing (Art. 18 GDPR; § 84 SGB X instead of erasure during retention)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for the restriction.")})
    if person.restricted_at is not None:
        raise ValidationError({"reason": _("The processing of this person's data is already restricted.")})
    person.restricted_at = timezone.now()
    Person.objects.filter(pk=person.pk).update(restricted_at=person.restricted_at)
    audit(
        actor=actor,
        action="inka.privacy.restricted",
        obj=person,
        changes={"restricted_at": [None, person.restricted_at.isoformat()]},
        reason=reason.strip(),
    )
    return person


@transaction.atomic
def restriction_lift(*, actor: Any, person: Person, reason: str) -> Person:
    """Lift a restriction (data protection officer): the person is back in the team's lists."""
    if not reason.strip():
        raise ValidationError({"reason": _("Please give the reason for lifting the restriction.")})
    if person.restricted_at is None:
        raise ValidationError({"reason": _("The processing of this person's data is not restricted.")})
    before = person.restricted_at.isoformat()
    person.restricted_at = None
    Person.objects.filter(pk=person.pk).update(restricted_at=None)
    audit(
        actor=actor,
        action="inka.privacy.restriction_lifted",
        obj=person,
        changes={"restricted_at": [before, None]},
        reason=reason.strip(),
    )
    return person


def export_recorded(*, actor: Any, person: Person, formats: list[str]) -> None:
    """The change history notes each export (the access log has its own row, written by the view)."""
    audit(actor=actor, action="inka.privacy.export.created", obj=person, formats=formats)
