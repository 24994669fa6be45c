"""Which records belong to a person: every INKA model that reaches cases.Person through foreign keys.

The export of a person's data (Art. 15) and the anonymisation of the retention run walk the same
graph, so a model added later is exported and anonymised without anyone remembering to add it.
"""

from collections.abc import Iterable
from functools import cache

from django.apps import apps
from django.db import models

PERSON = "cases.Person"


@cache
def person_paths() -> dict[str, str]:
    """Model label → lookup path from that model to the person's id ("case__person"); Person itself ""."""
    paths: dict[str, str] = {PERSON: ""}
    inka_models = [model for model in apps.get_models() if model.__module__.startswith("inka.")]
    # Round by round (shortest paths first); a required foreign key wins over an optional one.
    while True:
        found = {}
        for model in inka_models:
            label = model._meta.label
            if label in paths:
                continue
            links = [
                (field.null, field.name, field.related_model._meta.label)
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model and field.related_model._meta.label in paths
            ]
            if links:
                _, name, target = sorted(links)[0]
                base = paths[target]
                found[label] = f"{name}__{base}" if base else name
        if not found:
            break
        paths.update(found)
    return paths


def person_filter(label: str, person_ids: Iterable[int]) -> models.Q:
    path = person_paths()[label]
    return models.Q(**{f"{path}__in" if path else "pk__in": list(person_ids)})


def records_of(person_ids: Iterable[int]) -> dict[str, models.QuerySet]:
    """Every record of these persons, by model label, unscoped querysets (callers are privileged)."""
    ids = list(person_ids)
    return {
        label: apps.get_model(label)._base_manager.filter(person_filter(label, ids)).order_by("pk")
        for label in person_paths()
    }
