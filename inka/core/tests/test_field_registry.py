"""Every field of every INKA model is classified in the privacy field registry (inka/core/registry.py),
every model names its processing activity, and every activity has all its texts."""

import pytest
from django.apps import apps
from django.utils import translation

from inka.core.registry import (
    Category,
    activities,
    activity_keys,
    activity_of,
    field_category,
    field_registry,
    fields_for_export,
    problems,
)

MODELS = [model for model in apps.get_models() if model.__module__.startswith("inka.")]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_field_is_classified_and_every_model_has_an_activity(model):
    label = model._meta.label
    assert [problem for problem in problems() if problem.startswith((f"{label}.", f"{label}:"))] == []
    assert activity_of(label).key == activity_keys()[label]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_registry_is_complete_and_every_activity_has_all_its_texts(language):
    with translation.override(language):
        assert problems() == []


def test_a_new_field_without_a_classification_is_found():
    fields = {label: dict(classified) for label, classified in field_registry().items()}
    del fields["cases.Person"]["birth_date"]
    fields["cases.Case"]["not_a_field"] = Category.CASE_CONTENT
    keys = {**activity_keys()}
    del keys["esf.Stay"]
    assert problems(fields, keys) == [
        "cases.Person.birth_date: not classified",
        "cases.Case.not_a_field: no such field",
        "esf.Stay: no processing activity (ACTIVITIES)",
    ]


def test_special_categories_need_an_art_9_basis():
    keys = {**activity_keys(), "cases.Case": "community"}
    expected = "cases.Case: special categories, but its activity names no Art. 9/10 basis"
    assert problems(keys=keys) == [expected]


def test_activities_have_unique_keys_in_the_order_of_the_record():
    keys = [activity.key for activity in activities()]
    assert len(keys) == len(set(keys))
    assert keys[0] == "counselling"


def test_the_clear_cases():
    assert field_category("cases.Person", "last_name") == Category.IDENTIFIER
    assert field_category("cases.Person", "phone") == Category.CONTACT
    assert field_category("cases.Case", "health_note") == Category.SPECIAL
    assert field_category("cases.Contact", "note") == Category.CASE_CONTENT
    assert field_category("esf.Participation", "person_key") == Category.IDENTIFIER
    assert field_category("esf.Participation", "disability") == Category.SPECIAL
    assert field_category("core.AccessLogEntry", "record_ids") == Category.LOG
    assert field_category("network.PartnerContact", "email") == Category.STAFF
    assert field_category("programme.Site", "street") == Category.ORGANISATION
    assert activity_of("core.AccessLogEntry").retention_rule == "access_log"
    assert activity_of("cases.Case").retention_rule == "esf_retention"


def test_export_fields_follow_the_model_with_german_labels():
    with translation.override("de"):
        fields = fields_for_export("cases.Person")
    assert fields[:2] == [("id", "ID", Category.METADATA), ("created_at", "angelegt am", Category.METADATA)]
    assert ("birth_date", "Geburtsdatum", Category.IDENTIFIER) in fields
    assert {name for name, _label, _category in fields} == set(field_registry()["cases.Person"])


def test_the_access_log_period_comes_from_the_settings(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 123
    with translation.override("en"):
        assert "123 days" in str(activity_of("core.AccessLogEntry").retention)
