"""Reads of the change history and the access log, always limited to the caller's sites."""

from collections.abc import Sequence
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from inka.core.models import AccessLogEntry, AuditEntry, LogEntry


def _log_list(
    model: type[LogEntry],
    *,
    site_ids: Sequence[int] | None,
    user: str = "",
    action: str = "",
    record_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet:
    """Entries of `model`; `site_ids` None means programme-wide (data protection officer only)."""
    qs = model.objects.select_related("content_type").order_by("-at", "-pk")
    if site_ids is not None:
        qs = qs.filter(site_id__in=site_ids)
    if user:
        qs = qs.filter(actor_label__icontains=user.strip())
    if action:
        qs = qs.filter(action__icontains=action.strip())
    if record_id:
        qs = qs.filter(object_id=record_id.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs


def audit_entry_list(**filters: object) -> QuerySet[AuditEntry]:
    """The change history, newest first."""
    return _log_list(AuditEntry, **filters)  # type: ignore[arg-type]


def access_log_list(**filters: object) -> QuerySet[AccessLogEntry]:
    """The access log, newest first."""
    return _log_list(AccessLogEntry, **filters)  # type: ignore[arg-type]
