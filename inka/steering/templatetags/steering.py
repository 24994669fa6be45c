"""Template filters of the steering pages."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value: int | None) -> str:
    """A figure with German digit grouping ("1.234"); empty for a hidden one (the template marks it)."""
    return "" if value is None else formats.number_format(value, force_grouping=True)
