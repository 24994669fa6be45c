"""Template filters of volunteering."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value: Any) -> str:
    """Hours as people write them: 3, 2,5 and 1,25 (not 3,00 and 2,50)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())
