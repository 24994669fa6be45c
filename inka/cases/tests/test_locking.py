"""Optimistic locking on case edits: a stale form gets a conflict page, never a lost update."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import log_in_verified
from inka.cases import services
from inka.cases.models import Case
from inka.cases.services import EditConflict
from inka.cases.tests.factories import make_case
from inka.core.models import AuditEntry


@pytest.fixture
def case(world):
    return make_case(world.site_a, world.user("caseworker"), life_situation="Ausgangslage")


def client_for(user):
    client = Client()
    log_in_verified(client, user)
    return client


def posted_form(response):
    """The values a browser would send back from the page's form (hidden version included)."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = (
                field.widget.format_value(value) if hasattr(field.widget, "format_value") else str(value)
            )
    return {name: value for name, value in data.items() if value is not None}


def hidden_version(html):
    match = re.search(r'<input[^>]*name="version"[^>]*>', html)
    assert match, "the form carries no version"
    return re.search(r'value="(\d+)"', match.group(0)).group(1)


def stale_save(world, case):
    """Two users open the edit form (version 1); the caseworker saves first, then the site lead."""
    url = reverse("cases:case_edit", args=[case.pk])
    first, second = client_for(world.user("caseworker")), client_for(world.user("site_lead"))
    first_form, second_form = first.get(url), second.get(url)
    assert hidden_version(first_form.content.decode()) == hidden_version(second_form.content.decode()) == "1"
    mine = {**posted_form(first_form), "life_situation": "Fassung der Fallbearbeiterin"}
    theirs = {**posted_form(second_form), "life_situation": "Fassung der Leitung"}
    assert mine["version"] == theirs["version"] == "1"
    assert first.post(url, mine).status_code == 302
    return second, second.post(url, theirs)


def test_the_second_save_of_a_stale_form_gets_409_and_loses_nothing(world, case):
    _client, response = stale_save(world, case)
    assert response.status_code == 409
    case.refresh_from_db()
    assert (case.life_situation, case.version) == ("Fassung der Fallbearbeiterin", 2)
    assert AuditEntry.objects.filter(action="inka.case.updated").count() == 1
    # The user's own input is kept in the form.
    assert response.context["form"]["life_situation"].value() == "Fassung der Leitung"


def test_the_conflict_page_shows_both_versions(world, case):
    _client, response = stale_save(world, case)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Fassung der Leitung" in html
    assert "Fassung der Fallbearbeiterin" in html
    rows = response.context["rows"]
    assert [(row["name"], row["theirs"], row["mine"]) for row in rows] == [
        ("life_situation", "Fassung der Fallbearbeiterin", "Fassung der Leitung")
    ]


def test_saving_the_conflict_page_form_replaces_the_other_version(world, case):
    client, response = stale_save(world, case)
    html = response.content.decode()
    # The conflict page's form carries the new version: saving it knowingly replaces the other one.
    assert hidden_version(html) == "2"
    retry = posted_form(response)
    assert retry["version"] == "2"
    assert retry["life_situation"] == "Fassung der Leitung"
    response = client.post(reverse("cases:case_edit", args=[case.pk]), retry)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.life_situation, case.version) == ("Fassung der Leitung", 3)
    assert AuditEntry.objects.filter(action="inka.case.updated").count() == 2


def test_a_conflict_on_needs_shows_both_sides(world, case):
    url = reverse("cases:case_edit", args=[case.pk])
    first, second = client_for(world.user("caseworker")), client_for(world.user("site_lead"))
    mine = {**posted_form(first.get(url)), "needs": ["housing"]}
    theirs = {**posted_form(second.get(url)), "needs": ["crisis"]}
    assert first.post(url, mine).status_code == 302
    response = second.post(url, theirs)
    assert response.status_code == 409
    (row,) = response.context["rows"]
    assert (row["name"], row["theirs"], row["mine"]) == ("needs", ["housing"], ["crisis"])
    case.refresh_from_db()
    assert list(case.needs.values_list("topic", flat=True)) == ["housing"]


def test_the_same_stale_form_twice_is_still_a_conflict(world, case):
    url = reverse("cases:case_edit", args=[case.pk])
    client = client_for(world.user("caseworker"))
    data = posted_form(client.get(url))
    assert client.post(url, {**data, "notes": "eins"}).status_code == 302
    assert client.post(url, {**data, "notes": "zwei"}).status_code == 409
    case.refresh_from_db()
    assert case.notes == "eins"


def test_case_update_with_a_stale_version_raises_edit_conflict(world, case):
    worker = world.user("caseworker")
    services.case_update(
        actor=worker, case=Case.objects.get(pk=case.pk), version=1, needs=["money"], notes="a"
    )
    with pytest.raises(EditConflict) as excinfo:
        services.case_update(
            actor=worker, case=Case.objects.get(pk=case.pk), version=1, needs=["money"], notes="b"
        )
    assert excinfo.value.current.version == 2
    assert excinfo.value.current.notes == "a"
    case.refresh_from_db()
    assert (case.notes, case.version) == ("a", 2)
    assert AuditEntry.objects.filter(action="inka.case.updated").count() == 1


def test_closing_bumps_the_version_so_an_open_edit_form_conflicts(world, case):
    url = reverse("cases:case_edit", args=[case.pk])
    client = client_for(world.user("caseworker"))
    data = posted_form(client.get(url))
    services.case_close(
        actor=world.user("site_lead"), case=case, version=1, closed_on=case.opened_on, close_reason="moved"
    )
    response = client.post(url, {**data, "notes": "zu spät"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert (case.status, case.notes) == ("closed", "")
