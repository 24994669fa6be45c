from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inka.programme.models import DatePrecision

register = template.Library()


@register.filter
def approx_date(value: date | None, precision: str = DatePrecision.DAY) -> str:
    """A date only as exact as its source: 01.03.2013, März 2013, 4. Quartal 2015 or 2019."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (value.month - 1) // 3 + 1, "year": value.year}
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "SHORT_DATE_FORMAT")
