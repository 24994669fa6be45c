"""Every field of every INKA model is classified in the privacy field registry (inka/core/registry.py)."""

import pytest
from django.apps import apps

from inka.core.registry import DataClass, field_registry

MODELS = [model for model in apps.get_models() if model.__module__.startswith("inka.")]


def model_fields(model) -> set[str]:
    return {field.name for field in model._meta.get_fields() if field.concrete or field.many_to_many}


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_field_is_classified(model):
    classified = field_registry().get(model._meta.label, {})
    assert model_fields(model) - set(classified) == set(), "classify these fields"
    assert set(classified) - model_fields(model) == set(), "these entries name fields that do not exist"
    assert all(isinstance(value, DataClass) for value in classified.values())


def test_registry_names_only_existing_models():
    assert set(field_registry()) <= {model._meta.label for model in MODELS}
