"""Readable log entries: action names, role names, field names and choice labels instead of codes."""

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist

from inka.core import logsafe
from inka.core.audit import ACTION_LABELS
from inka.core.models import AuditEntry
from inka.core.permissions import Role

register = template.Library()


@register.filter
def action_label(code: str) -> Any:
    return ACTION_LABELS.get(code, code)


@register.filter
def visible_controls(value: Any, keep: str = "") -> Any:
    """Text with control characters written out; `keep="lines"` leaves line breaks (HTML escapes the rest)."""
    if not isinstance(value, str):
        return value
    return logsafe.visible_controls(value, keep_newlines=keep == "lines")


@register.filter
def role_label(code: str) -> Any:
    return Role(code).label if code in Role.values else code or "–"


@register.simple_tag
def readable_changes(entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """(field label, old, new) for each change, with choice labels where the field has choices."""
    model = entry.content_type.model_class() if entry.content_type else None
    rows = []
    for name, (old, new) in entry.changes.items():
        label: Any = name
        choices: dict[Any, Any] = {}
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                pass
            else:
                label = getattr(field, "verbose_name", name)
                choices = dict(getattr(field, "flatchoices", None) or [])
        rows.append((label, _choice(choices, old), _choice(choices, new)))
    return rows


def _choice(choices: dict[Any, Any], value: Any) -> Any:
    """The label of a choice; lists (topics, needs) and other values as they are."""
    if isinstance(value, list):
        return ", ".join(str(_choice(choices, item)) for item in value)
    return choices.get(value, value) if isinstance(value, (str, int, bool)) or value is None else value
