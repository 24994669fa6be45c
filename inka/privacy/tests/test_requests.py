"""The register of data-subject requests, rectification with history and contested values."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.cases.models import Case
from inka.cases.tests.factories import assert_form_errors, make_case, make_person
from inka.cases.tests.test_views_persons import person_data
from inka.core.models import AccessLogEntry, AuditEntry
from inka.privacy.models import (
    ContestedValue,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
    one_month_after,
)
from inka.privacy.services import latest_extension
from inka.privacy.tests.test_export import contested_key

# Flat whatever the number of requests (one row per request, no query per row).
REGISTER_QUERIES = 13
RESTRICTED_QUERIES = 10


@pytest.fixture
def case(world):
    return make_case(world.site_a, world.user("caseworker"))


def register(client, person, **data):
    fields = {"kind": "access", "received_on": "2024-01-31", "channel": "Brief", **data}
    return client.post(reverse("privacy:request_create", args=[person.pk]), fields)


def test_a_caseworker_registers_a_request_from_the_person_page(case, world, login):
    client = login(world.user("caseworker"))
    page = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert reverse("privacy:request_create", args=[case.person.pk]) in page
    response = register(client, case.person, identity_checked_on="2024-02-01", identity_check="Ausweis")
    request = DataSubjectRequest.objects.get()
    assert response.status_code == 302
    # 31 January + one month = 29 February in a leap year.
    assert request.due_on == date(2024, 2, 29) == one_month_after(date(2024, 1, 31))
    assert request.site == world.site_a and request.registered_by == world.user("caseworker")
    entry = AuditEntry.objects.get(action="inka.privacy.request.received")
    assert entry.changes["kind"] == [None, "access"]


def test_received_on_defaults_to_today(case, world, login):
    client = login(world.user("caseworker"))
    form = client.get(reverse("privacy:request_create", args=[case.person.pk])).context["form"]
    assert form["received_on"].value() == timezone.localdate()


def test_bad_input_is_refused_at_the_field_and_nothing_is_written(case, world, login):
    client = login(world.user("caseworker"))
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert_form_errors(register(client, case.person, received_on=future), "received_on")
    assert_form_errors(register(client, case.person, kind="wish"), "kind")
    assert not DataSubjectRequest.objects.exists()


def request_of(case, world, **fields):
    from inka.privacy import services

    fields = {"kind": RequestKind.ACCESS, "received_on": date(2024, 3, 1), **fields}
    return services.request_register(actor=world.user("caseworker"), person=case.person, **fields)


def edit(client, request, **data):
    fields = {"status": request.status, **data}
    return client.post(reverse("privacy:request_edit", args=[request.pk]), fields)


def test_extension_is_at_most_two_more_months_and_needs_a_reason(case, world, login):
    request = request_of(case, world)
    client = login(world.user("site_lead"))
    assert latest_extension(request.due_on) == date(2024, 6, 1)
    assert_form_errors(
        edit(client, request, extended_until="2024-06-02", extension_reason="viel"), "extended_until"
    )
    assert_form_errors(edit(client, request, extended_until="2024-05-01"), "extension_reason")
    assert (
        edit(client, request, extended_until="2024-06-01", extension_reason="Umfangreiche Akten").status_code
        == 302
    )
    request.refresh_from_db()
    assert request.deadline == date(2024, 6, 1)
    assert AuditEntry.objects.get(action="inka.privacy.request.updated").changes["extended_until"] == [
        None,
        "2024-06-01",
    ]


def test_answering_records_date_content_and_who_handled_it(case, world, login):
    request = request_of(case, world)
    client = login(world.user("site_lead"))
    assert_form_errors(edit(client, request, status="answered"), "answered_on")
    response = edit(client, request, status="answered", answered_on="2024-03-20", answer="Auskunft per Post.")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.handled_by == world.user("site_lead")
    assert AuditEntry.objects.filter(action="inka.privacy.request.answered").count() == 1


def test_register_lists_open_and_overdue_requests_of_the_site(case, world, login):
    overdue = request_of(case, world)
    fresh = request_of(case, world, received_on=timezone.localdate())
    other = make_case(world.site_b, world.user("other_caseworker"))
    request_of(other, world)
    client = login(world.user("caseworker"))
    html = client.get(reverse("privacy:request_list")).content.decode()
    assert reverse("privacy:request_detail", args=[overdue.pk]) in html
    assert reverse("privacy:request_detail", args=[fresh.pk]) in html
    assert "row-overdue" in html
    only = client.get(reverse("privacy:request_list"), {"show": "overdue"}).context["rows"]
    assert [(row.pk, late) for row, late in only] == [(overdue.pk, True)]
    assert len(login(world.user("dpo")).get(reverse("privacy:request_list")).context["rows"]) == 3
    assert AccessLogEntry.objects.filter(action="privacy.request.list").exists()


def test_the_nav_shows_data_protection_to_site_leads_and_the_dpo(world, login):
    url = reverse("privacy:request_list")
    for persona, shown in (("caseworker", False), ("site_lead", True), ("dpo", True), ("reader", False)):
        html = login(world.user(persona)).get(reverse("start")).content.decode()
        assert (f'href="{url}"' in html) is shown, persona


def test_rectification_records_the_corrections_made_in_the_usual_forms(case, world, login):
    request = request_of(case, world, kind=RequestKind.RECTIFICATION, received_on=timezone.localdate())
    client = login(world.user("caseworker"))
    data = person_data(last_name="Mueller-Schmidt")
    assert client.post(reverse("cases:person_edit", args=[case.person.pk]), data).status_code == 302
    page = client.get(reverse("privacy:request_rectify", args=[request.pk]))
    choices = page.context["form"].fields["entries"].choices
    assert len(choices) == 1 and "Mueller-Schmidt" in choices[0][1]
    assert_form_errors(client.post(reverse("privacy:request_rectify", args=[request.pk]), {}), "entries")
    response = client.post(
        reverse("privacy:request_rectify", args=[request.pk]), {"entries": [choices[0][0]]}
    )
    assert response.status_code == 302
    recorded = AuditEntry.objects.get(action="inka.privacy.request.rectified")
    assert "person.last_name" in recorded.data["fields"]
    detail = client.get(reverse("privacy:request_detail", args=[request.pk])).content.decode()
    assert "Mueller-Schmidt" in detail


def test_contested_value_is_marked_and_resolved_with_a_note(case, world, login):
    client = login(world.user("caseworker"))
    url = reverse("privacy:contest_create", args=[case.person.pk])
    assert_form_errors(
        client.post(url, {"field": contested_key(case.person, "last_name")}), "statement", "contested_on"
    )
    other = make_person(world.site_a, "Otto", "Anders")
    assert_form_errors(
        client.post(url, {"field": contested_key(other, "last_name"), "statement": "x"}), "field"
    )
    today = timezone.localdate().isoformat()
    data = {
        "field": contested_key(case.person, "last_name"),
        "statement": "Schreibt sich mit ü.",
        "contested_on": today,
    }
    assert client.post(url, data).status_code == 302
    value = ContestedValue.objects.get()
    assert AuditEntry.objects.filter(action="inka.privacy.contested", object_id=str(value.pk)).exists()
    resolve = reverse("privacy:contest_resolve", args=[value.pk])
    assert_form_errors(client.post(resolve, {"resolved_on": today}), "resolution")
    assert client.post(resolve, {"resolved_on": today, "resolution": "Korrigiert."}).status_code == 302
    value.refresh_from_db()
    assert value.resolution == "Korrigiert." and value.resolved_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="inka.privacy.contest_resolved").count() == 1
    html = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert "contested-badge" not in html


def test_contested_badges_cost_one_query_per_page(case, world, login, django_assert_max_num_queries):
    from inka.privacy import services

    caseworker = world.user("caseworker")
    Case.objects.filter(pk=case.pk).update(notes="Hinweis")
    type(case.person).objects.filter(pk=case.person.pk).update(phone="0151 1")
    for field in ("last_name", "phone", "birth_date"):
        services.contest_mark(
            actor=caseworker, person=case.person, field=contested_key(case.person, field), statement="falsch",
            contested_on=timezone.localdate(),
        )  # fmt: skip
    services.contest_mark(
        actor=caseworker, person=case.person, field=contested_key(case, "notes"), statement="falsch",
        contested_on=timezone.localdate(),
    )  # fmt: skip
    client = login(caseworker)
    url = reverse("cases:case_detail", args=[case.pk])
    client.get(url)
    html = client.get(url).content.decode()
    assert html.count("contested-badge") == 4
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert sum("privacy_contestedvalue" in query["sql"] for query in queries.captured_queries) == 1
    for _index in range(5):
        make_case(world.site_a, caseworker, make_person(world.site_a, "Max", f"Muster{_index}"))
    with CaptureQueriesContext(connection) as queries:
        listed = client.get(reverse("cases:case_list")).content.decode()
    assert sum("privacy_contestedvalue" in query["sql"] for query in queries.captured_queries) == 1
    assert listed.count("contested-badge") == 1
    assert Case.objects.count() == 6


def _requests_for(world, count):
    for index in range(count):
        person = make_person(world.site_a, "Anna", f"Reihe{index}")
        received = date(2024, 1, 1) + timedelta(days=index)
        DataSubjectRequest.objects.create(
            site=world.site_a, person=person, kind=RequestKind.ACCESS, received_on=received,
            due_on=one_month_after(received), registered_by=world.user("caseworker"),
        )  # fmt: skip
        if index % 2:
            person.restricted_at = timezone.now()
            person.save(update_fields=["restricted_at"])


@pytest.mark.parametrize("count", [1, 15])
def test_the_register_and_the_restricted_list_keep_their_query_counts(
    count, world, login, django_assert_max_num_queries
):
    _requests_for(world, count)
    lead = login(world.user("site_lead"))
    with django_assert_max_num_queries(REGISTER_QUERIES):
        assert lead.get(reverse("privacy:request_list"), {"show": "all"}).status_code == 200
    dpo = login(world.user("dpo"))
    with django_assert_max_num_queries(REGISTER_QUERIES):
        assert dpo.get(reverse("privacy:request_list"), {"show": "all"}).status_code == 200
    with django_assert_max_num_queries(RESTRICTED_QUERIES):
        assert dpo.get(reverse("privacy:restricted_list")).status_code == 200
