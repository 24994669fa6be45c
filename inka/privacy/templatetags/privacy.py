"""The "bestritten" badge (§ 84(2) SGB X) wherever a contested value appears.

`{% contested person "last_name" %}` or `{% contested case "notes" %}` shows the badge when that
value is contested. The person's open contested values are read once and kept on the person object,
so a page asks once however many fields it marks. Lists call `{% contested_for rows %}` first: one
query for every person in the rows.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string

from inka.cases.models import Person
from inka.privacy.selectors import ContestedMap, open_contested

register = template.Library()

CACHE = "_inka_contested"


def _person_of(obj: Any) -> Person | None:
    """The person a record belongs to: itself, its `person`, or its case's person."""
    for path in ((), ("person",), ("case", "person")):
        current = obj
        for name in path:
            current = getattr(current, name, None)
        if isinstance(current, Person):
            return current
    return None


def _contested_of(person: Person) -> ContestedMap:
    if not hasattr(person, CACHE):
        setattr(person, CACHE, open_contested([person.pk]))
    return getattr(person, CACHE)


@register.simple_tag
def contested_for(rows: Iterable[Any]) -> str:
    """Read the open contested values of every person in `rows` with one query (renders nothing)."""
    persons = [
        person for person in map(_person_of, rows) if person is not None and not hasattr(person, CACHE)
    ]
    if persons:
        found = open_contested({person.pk for person in persons})
        for person in persons:
            setattr(
                person, CACHE, {key: value for key, value in found.items() if value.person_id == person.pk}
            )
    return ""


@register.simple_tag
def contested(obj: Any, *fields: str) -> str:
    """The badge, if one of `fields` of `obj` (a person or a case) is contested and unresolved."""
    person = _person_of(obj)
    if person is None or obj is None:
        return ""
    values = _contested_of(person)
    if not values:
        return ""
    content_type_id = ContentType.objects.get_for_model(obj).pk
    found = [values[key] for name in fields if (key := (content_type_id, obj.pk, name)) in values]
    if not found:
        return ""
    return render_to_string("privacy/_contested_badge.html", {"value": found[0]})
