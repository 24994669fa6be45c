"""Labels of case-work codes in templates."""

from collections.abc import Iterable
from typing import Any

from django import template

from inka.cases.models import Topic

register = template.Library()


@register.filter
def topic_labels(codes: Iterable[Any]) -> str:
    """'money, housing' → 'Geld und Schulden, Wohnen'; accepts codes or ContactTopic/CaseNeed rows."""
    labels = [str(Topic(getattr(code, "topic", code)).label) for code in codes]
    return ", ".join(labels)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, [])
