"""The change history (`audit`) and the access log (`log_access`).

Services call `audit(actor=…, action="inka.site.updated", obj=site, changes=diff(before, after))`
after every change with meaning. Views that show social data call `log_access(request, …)` once
per page with the ids of the records shown; denied attempts are logged the same way.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from inka.core.models import AccessLogEntry, AuditEntry

# Readable names of the audit actions; each app registers its own in AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {}


def register_actions(labels: Mapping[str, Any]) -> None:
    ACTION_LABELS.update(labels)


def json_value(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO strings, models as their primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_value(item) for item in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON values of `fields` on `obj` (foreign keys as ids), to diff before and after a change."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = json_value(getattr(obj, attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def site_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label == "programme.Site":
        return int(obj.pk)
    return getattr(obj, "site_id", None)


def _role_of(actor: Any, site_id: int | None) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return ""
    membership_model = apps.get_model("accounts", "Membership")
    roles: dict[int | None, str] = dict(
        membership_model.objects.filter(user_id=actor.pk).values_list("site_id", "role")
    )
    return roles.get(site_id) or roles.get(None) or ""


def _label(obj: models.Model) -> str:
    return str(obj)[:200]


def audit(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    site_id: int | None = None,
    changes: Mapping[str, list[Any]] | None = None,
    **data: Any,
) -> AuditEntry:
    """Append one change-history entry. `actor` None means the system (a command or a job)."""
    site_id = site_id if site_id is not None else site_id_of(obj)
    return AuditEntry.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_label=getattr(actor, "email", "") or "",
        role=_role_of(actor, site_id),
        site_id=site_id,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_label=_label(obj) if obj is not None else "",
        changes=dict(changes or {}),
        data={key: json_value(value) for key, value in data.items()},
    )


def log_access(
    request: HttpRequest,
    *,
    action: str,
    site_id: int | None,
    records: Iterable[models.Model] = (),
    record_type: type[models.Model] | None = None,
    record_ids: Iterable[Any] = (),
    denied: bool = False,
    reason: str = "",
) -> AccessLogEntry:
    """Append one access-log row for a read of social data: which records, never their content."""
    records = list(records)
    ids = [json_value(record.pk) for record in records] or [json_value(value) for value in record_ids]
    model = record_type or (type(records[0]) if records else None)
    user = request.user
    access = getattr(request, "site_access", None)
    role = ""
    if access is not None:
        # A programme-wide reader (the dpo) has no role at the site but must still be named.
        site_role = access.role_at(site_id) if site_id is not None else None
        role = site_role or next(iter(sorted(access.programme_roles)), "")
    return AccessLogEntry.objects.create(
        actor_id=user.pk if user.is_authenticated else None,
        actor_label=getattr(user, "email", "") or "",
        role=role,
        site_id=site_id,
        action=action,
        content_type=ContentType.objects.get_for_model(model) if model else None,
        object_id=str(records[0].pk) if len(records) == 1 else "",
        object_label="",
        outcome=AccessLogEntry.Outcome.DENIED if denied else AccessLogEntry.Outcome.ALLOWED,
        record_ids=ids,
        request_id=getattr(request, "request_id", ""),
        reason=reason[:300],
    )
