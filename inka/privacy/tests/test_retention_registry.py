"""Every field of every record of a person has a stated rule in its app's anonymiser, and no
identifier, contact datum or free text escapes: a new field fails here until someone decides."""

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import models

from inka.core.registry import Category, field_registry
from inka.privacy.graph import person_paths
from inka.privacy.retention import KEEP, anonymisers

MUST_GO = (Category.IDENTIFIER, Category.CONTACT)
FREE_TEXT_MUST_GO = (Category.CASE_CONTENT, Category.SPECIAL)


def is_free_text(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def escaping(found: Mapping[str, Any]) -> list[str]:
    """Fields without a rule, and identifiers, contact data or free text the rules keep."""
    problems = []
    registry = field_registry()
    for app, anonymiser in found.items():
        for label, rules in anonymiser.FIELDS.items():
            model = apps.get_model(label)
            concrete = {field.name for field in model._meta.concrete_fields}
            problems += [
                f"{label}.{name}: no rule in {app}/anonymise.py" for name in sorted(concrete - set(rules))
            ]
            for name in sorted(concrete & set(rules)):
                field, category = model._meta.get_field(name), registry[label][name]
                identifying = category in MUST_GO and not field.is_relation
                text = category in FREE_TEXT_MUST_GO and is_free_text(field)
                if (identifying or text) and rules[name] == KEEP:
                    problems.append(f"{label}.{name} ({category}) is kept by {app}/anonymise.py")
    return problems


def test_each_person_linked_model_is_handled_by_its_own_apps_anonymiser():
    for label in person_paths():
        app = label.split(".")[0]
        assert app in anonymisers(), f"{app} has records of persons but no {app}/anonymise.py"
        anonymiser = anonymisers()[app]
        handled = {*anonymiser.FIELDS, *getattr(anonymiser, "DELETE", ())}
        assert label in handled, f"{label}: not in FIELDS or DELETE of inka/{app}/anonymise.py"
    for app, anonymiser in anonymisers().items():
        for label in {*anonymiser.FIELDS, *getattr(anonymiser, "DELETE", ())}:
            assert label.split(".")[0] == app and label in person_paths(), label


def test_every_field_has_a_rule_and_identifiers_contact_data_and_free_text_do_not_stay():
    assert escaping(anonymisers()) == []


def test_a_kept_note_or_a_forgotten_field_would_be_noticed():
    fields = dict(anonymisers()["cases"].FIELDS)
    case = dict(fields["cases.Case"])
    case["notes"] = KEEP
    del case["outcome"]
    fields["cases.Case"] = case
    assert escaping({"cases": SimpleNamespace(FIELDS=fields)}) == [
        "cases.Case.outcome: no rule in cases/anonymise.py",
        "cases.Case.notes (case_content) is kept by cases/anonymise.py",
    ]
