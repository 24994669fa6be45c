"""Small checks and clean-ups that services of every app apply before they save."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def lf(value: Any) -> Any:
    """Text with LF line ends. Browsers send CRLF; stored as LF, unchanged text shows no change."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def clean_text(value: Any) -> Any:
    """Text with LF line ends and without surrounding blanks; other values unchanged."""
    value = lf(value)
    return value.strip() if isinstance(value, str) else value


def allowed_fields(fields: Mapping[str, Any], allowed: list[str], *, service: str) -> dict[str, Any]:
    """The fields a service may set, their text cleaned; a name it may not set is a programming error."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"{service}() cannot set {unknown!r}")
    return {name: clean_text(value) for name, value in fields.items()}


def lf_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {name: lf(value) for name, value in fields.items()}


def not_in_future(day: date | None, field: str) -> None:
    """A field error if `day` lies after today."""
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date must not be in the future.")})
