"""B5 of the security anchors: privacy by default (test 40) and the data inventory (test 41).

40: a new account has no site and no role and reaches no site data; optional special-category fields
start as "not collected"; the coordinating body's exports carry no special-category value; no page
makes a request to another origin.
41: every field of every INKA model is classified in the field registry with its category, and the
model's processing activity gives purpose, legal basis, recipients and retention; the check fails
for a field nobody classified. The records of processing and the export field lists come from it.
"""

import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from inka.accounts import services as account_services
from inka.accounts.models import Membership
from inka.cases.models import Case, Person
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.core.registry import (
    Category,
    activity_keys,
    activity_of,
    field_registry,
    fields_for_export,
    problems,
)
from inka.esf import services as esf_services
from inka.esf.models import SENSITIVE_ITEMS, Participation

# --- test 41: data-inventory completeness ------------------------------------------------------------


def test_t41_every_field_is_classified_with_purpose_legal_basis_retention_and_recipients():
    assert problems() == []
    registry = field_registry()
    for model in apps.get_models():
        if not model.__module__.startswith("inka."):
            continue
        label = model._meta.label
        fields = {field.name for field in model._meta.get_fields() if field.concrete or field.many_to_many}
        assert set(registry[label]) == fields, label
        assert all(isinstance(category, Category) for category in registry[label].values()), label
        activity = activity_of(label)
        for text in (activity.purpose, activity.legal_basis, activity.recipients, activity.retention):
            assert str(text).strip(), (label, activity.key)
        assert activity.retention_rule, label


def test_t41_a_field_added_without_classification_fails_the_check():
    unclassified = {label: dict(fields) for label, fields in field_registry().items()}
    del unclassified["cases.Case"]["health_note"]
    assert problems(unclassified) == ["cases.Case.health_note: not classified"]
    without_activity = {label: key for label, key in activity_keys().items() if label != "cases.Referral"}
    assert problems(keys=without_activity) == ["cases.Referral: no processing activity (ACTIVITIES)"]


def test_t41_the_export_field_lists_and_the_record_come_from_the_registry(world, login):
    for label, fields in field_registry().items():
        assert {name: category for name, _label, category in fields_for_export(label)} == fields
    record = login(world.user("dpo")).get(reverse("privacy:records_of_processing_json")).json()
    listed = {
        (model["model"], field["field"])
        for a in record["activities"]
        for model in a["models"]
        for field in model["fields"]
    }
    assert listed == {(label, name) for label, fields in field_registry().items() for name in fields}


# --- test 40: privacy by default ---------------------------------------------------------------------


SITE_DATA_URLS = [
    ("cases:work_list", {}),
    ("cases:person_list", {}),
    ("cases:anonymous_contact_list", {}),
    ("esf:participation_list", {}),
    ("core:access_log", {}),
    ("privacy:request_list", {}),
    ("privacy:records_of_processing", {}),
]


def test_t40_a_new_user_starts_with_no_site_and_no_permissions(world, login):
    make_case(world.site_a, world.user("caseworker"), make_person(world.site_a, "Zoraida", "Quenstedt"))
    user = account_services.user_create(
        actor=world.user("admin"),
        email="neu@nord.test",
        first_name="Nina",
        last_name="Neu",
        password=PASSWORD,
    )
    assert not Membership.objects.filter(user=user).exists()
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert user.get_all_permissions() == set()
    client = login(user)
    start = client.get(reverse("start"))
    assert start.status_code == 200
    assert start.context["nav_items"] == []  # no entry leads anywhere yet
    assert "Quenstedt" not in start.content.decode()
    for name, kwargs in SITE_DATA_URLS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 403, name
        assert "Quenstedt" not in response.content.decode(), name
    person = Person.objects.get(last_name="Quenstedt")
    assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 404


def _optional_special_fields() -> list[models.Field]:
    found = []
    for label, fields in field_registry().items():
        model = apps.get_model(label)
        for name, category in fields.items():
            field = model._meta.get_field(name)
            if category == Category.SPECIAL and field.concrete and getattr(field, "blank", False):
                found.append(field)
    return found


def test_t40_optional_special_category_fields_start_as_not_collected(world):
    optional = _optional_special_fields()
    names = {f"{field.model._meta.label}.{field.name}" for field in optional}
    assert {"cases.Person.disability", "cases.Case.health_note", "esf.Participation.minority"} <= names
    for field in optional:
        assert field.get_default() in ("", None), field
    # A person, a case and an ESF participation made the ordinary way hold none of them.
    worker = world.user("caseworker")
    case = make_case(world.site_a, worker)
    participation = esf_services.participation_start(actor=worker, case=case, entry_date=date(2024, 2, 1))
    for record in (case.person, case, Participation.objects.get(pk=participation.pk)):
        for field in optional:
            if isinstance(record, field.model):
                assert getattr(record, field.attname) in ("", None), field
    # The sensitive ESF items: blank means "not asked", never a default answer.
    for item in SENSITIVE_ITEMS:
        assert Participation._meta.get_field(item).get_default() == "", item


CANARY = "Zq40special"


@pytest.fixture
def special_data(world):
    """A person at site A with every special-category free text and coded value filled in."""
    worker = world.user("caseworker")
    person = make_person(
        world.site_a, "Zoraida", "Quenstedt", disability="recognised", birth_date=date(1961, 7, 23)
    )
    case = make_case(world.site_a, worker, person)
    texts = {
        name: f"{CANARY}-{name}"
        for name, category in field_registry()["cases.Case"].items()
        if category == Category.SPECIAL
    }
    Case.objects.filter(pk=case.pk).update(**texts)
    make_contact(world.site_a, worker, case=case)
    participation = esf_services.participation_start(actor=worker, case=case, entry_date=date(2024, 2, 1))
    esf_services.participation_update_entry(
        actor=worker,
        participation=participation,
        labour_status_at_entry="INACTIVE",
        in_education_or_training_at_entry=False,
        disability="YES",
        minority="YES",
        sensitive_asked_on=date(2024, 2, 1),
    )
    return texts


def _coordinator_exports(world) -> list[str]:
    return [
        reverse("monitoring:programme_dashboard_export", kwargs={"fmt": "csv"}),
        reverse("monitoring:programme_dashboard_export", kwargs={"fmt": "xlsx"}),
        reverse("monitoring:site_dashboard_export", kwargs={"site_id": world.site_a.pk, "fmt": "csv"}),
        reverse("monitoring:programme_report_export", kwargs={"year": 2024, "fmt": "csv"}),
        reverse("esf:report") + "?period_from=2024-01-01&period_to=2024-12-31&format=csv",
        reverse("esf:report") + "?period_from=2024-01-01&period_to=2024-12-31&format=json",
    ]


def _text_of(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(value)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    return response.content.decode("utf-8-sig")


def test_t40_the_coordinators_exports_hold_no_special_category_values(world, login, special_data):
    client = login(world.user("coordinator"))
    for url in _coordinator_exports(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text_of(response)
        assert text.strip(), url
        for value in special_data.values():
            assert value not in text, (url, value)
        # No person-level row at all: neither name nor birth date.
        assert "Quenstedt" not in text and "1961" not in text, url


# Where a page could make the browser load something: every such attribute must stay on our origin.
URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "hx-get", "hx-post"}
NOT_REQUESTS = ("mailto:", "tel:", "#")
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.stylesheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls += [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]
            if name == "style" and value:
                self.urls += CSS_URL.findall(value)
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.stylesheets.append(values["href"] or "")


def _is_own_origin(url: str) -> bool:
    if url.startswith(NOT_REQUESTS):
        return True
    parts = urlsplit(url)
    return (not parts.scheme and not parts.netloc) or parts.netloc == "testserver"


def _static_file(url: str) -> Path:
    found = finders.find(urlsplit(url).path.removeprefix("/static/"))
    assert found, url
    return Path(found)


def test_t40_no_page_requests_anything_from_another_origin(world, login):
    case = make_case(world.site_a, world.user("caseworker"))
    pages = [
        (None, reverse("accounts:login")),
        (None, reverse("programme:site_public", kwargs={"code": world.site_a.code})),
        ("caseworker", reverse("start")),
        ("caseworker", reverse("cases:person_list")),
        ("caseworker", case.get_absolute_url()),
        ("dpo", reverse("privacy:records_of_processing")),
    ]
    stylesheets: set[str] = set()
    for persona, url in pages:
        client = login(world.user(persona) if persona else None)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        parser = _Urls()
        parser.feed(response.content.decode())
        assert parser.urls, url
        foreign = [found for found in parser.urls if not _is_own_origin(found)]
        assert foreign == [], (url, foreign)
        stylesheets |= set(parser.stylesheets)
    # The stylesheets (fonts, icons) load nothing from elsewhere either.
    assert stylesheets
    for sheet in stylesheets:
        css = _static_file(sheet).read_text(encoding="utf-8")
        foreign = [
            found
            for found in CSS_URL.findall(css)
            if not found.startswith("data:") and not _is_own_origin(found)
        ]
        assert foreign == [], (sheet, foreign)
