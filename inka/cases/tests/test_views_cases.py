"""Views of cases: list, opening (also out of an anonymous contact), case page, intake, closing,
reopening, history; the help plan, follow-ups and the work list (C1, C4, C6, C7, C10)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.cases import services
from inka.cases.models import Case, CaseNeed, Contact, FollowUp, Goal, GoalStep, Person
from inka.cases.tests.factories import (
    assert_form_errors,
    make_case,
    make_contact,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.core.models import AccessLogEntry, AuditEntry

CASES = reverse("cases:case_list")
CREATE = reverse("cases:case_create")
WORK_LIST = reverse("cases:work_list")


def today():
    return timezone.localdate()


def written():
    return (
        Person.objects.count(),
        Case.objects.count(),
        CaseNeed.objects.count(),
        Contact.objects.filter(case__isnull=False).count(),
        AuditEntry.objects.count(),
    )


def person_fields(**changes):
    data = {
        "first_name": "Anna",
        "last_name": "Schulz",
        "birth_date": "1985-06-15",
        "gender": "f",
        "street": "Lindenstraße 3",
        "postcode": "04600",
        "town": "Altenburg",
        "in_neighbourhood": "unknown",
        "phone": "",
        "email": "",
        "household_size": "",
        "children": "",
        "languages": "",
        "residence_status": "",
        "disability": "",
    }
    return {**data, **changes}


def intake_fields(caseworker, **changes):
    data = {
        "caseworker": str(caseworker.pk),
        "opened_on": today().isoformat(),
        "needs": ["money", "housing"],
        "life_situation": "Mietschulden",
        "notes": "",
        "health_note": "",
        "addiction_note": "",
        "criminal_record_note": "",
    }
    return {**data, **changes}


def edit_fields(case, **changes):
    data = intake_fields(case.caseworker, opened_on=case.opened_on.isoformat(), version=str(case.version))
    return {**data, **changes}


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker)


# Case list (C10)


def test_case_list_shows_the_sites_cases_and_logs_them(world, login, worker):
    mine = make_case(world.site_a, worker)
    make_case(world.site_b, world.user("other_caseworker"), make_person(world.site_b, "Anna", "Schulz"))
    response = login(world.user("reader")).get(CASES)
    assert response.status_code == 200
    assert response.context["rows"] == [mine]
    html = response.content.decode()
    assert "Müller, Jürgen" in html
    assert "Schulz" not in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.site_id, entry.record_ids) == ("case.list", world.site_a.pk, [mine.pk])
    # Only writers get the button to open a case.
    assert CREATE not in html
    assert CREATE in login(worker).get(CASES).content.decode()


def test_case_list_with_no_rows_writes_no_access_log(world, login, worker):
    assert login(worker).get(CASES).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_case_list_search_by_name_in_any_spelling(world, login, worker):
    mueller = make_case(world.site_a, worker)
    make_case(world.site_a, worker, make_person(world.site_a, "Hans", "Meyer"))
    client = login(worker)
    for q in ["mueller", "Müller", "jürgen MUELLER", mueller.reference]:
        response = client.get(CASES, {"q": q})
        assert response.context["rows"] == [mueller], q
    assert client.get(CASES, {"q": "Schulz"}).context["rows"] == []


def test_case_list_filters(world, login, worker):
    lead = world.user("site_lead")
    first = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    second = make_case(world.site_a, lead, make_person(world.site_a, "Berta", "Krause"))
    CaseNeed.objects.create(case=second, topic="crisis")
    services.case_close(actor=lead, case=second, version=1, closed_on=today(), close_reason="moved")
    third = make_case(world.site_a, worker, make_person(world.site_a, "Carla", "Lange"))
    FollowUp.objects.create(
        case=first, due_on=today() - timedelta(days=2), subject="x", assigned_to=worker, created_by=worker
    )
    FollowUp.objects.create(
        case=third, due_on=today() + timedelta(days=2), subject="y", assigned_to=worker, created_by=worker
    )
    client = login(worker)

    def rows(**query):
        response = client.get(CASES, query)
        assert response.status_code == 200
        return set(response.context["rows"])

    assert rows(status="open") == {first, third}
    assert rows(status="closed") == {second}
    assert rows(caseworker=lead.pk) == {second}
    assert rows(caseworker=worker.pk) == {first, third}
    assert rows(topic="crisis") == {second}
    assert rows(follow_ups="open") == {first, third}
    assert rows(follow_ups="overdue") == {first}
    assert rows(status="open", follow_ups="overdue", q="schulz") == {first}


def test_case_list_with_bad_filters_shows_errors(world, login, worker):
    make_case(world.site_a, worker)
    response = login(worker).get(CASES, {"status": "lost", "caseworker": world.user("other_caseworker").pk})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"status", "caseworker"}


def test_case_list_is_paginated_by_25(world, login, worker):
    for index in range(26):
        make_case(world.site_a, worker, make_person(world.site_a, f"Vorname{index:02}", "Müller"))
    client = login(worker)
    first_page = client.get(CASES)
    assert len(first_page.context["rows"]) == 25
    assert first_page.context["page"].paginator.count == 26
    ids = AccessLogEntry.objects.get().record_ids
    assert sorted(ids) == sorted(case.pk for case in first_page.context["rows"])
    second_page = client.get(CASES, {"page": 2, "q": "mueller"})
    assert len(second_page.context["rows"]) == 1
    assert "q=mueller&amp;page=1" in second_page.content.decode()


# +1: the "contested" badges of the listed persons (inka.privacy, one query for all rows).
CASE_LIST_QUERIES = 15


@pytest.mark.parametrize("rows", [1, 50])
def test_case_list_query_count_does_not_grow_with_rows(
    world, login, worker, rows, django_assert_max_num_queries
):
    for index in range(rows):
        case = make_case(world.site_a, worker, make_person(world.site_a, f"Vorname{index:02}", "Müller"))
        CaseNeed.objects.create(case=case, topic="housing")
        make_contact(world.site_a, worker, case=case)
        FollowUp.objects.create(case=case, due_on=today(), subject="x", assigned_to=worker, created_by=worker)
    client = login(worker)
    with django_assert_max_num_queries(CASE_LIST_QUERIES):
        response = client.get(CASES, {"status": "open"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(rows, 25)


@pytest.mark.parametrize("persona", ["steering", "coordinator", "admin", "dpo"])
def test_case_list_is_refused_to_roles_without_case_work(world, login, worker, persona):
    make_case(world.site_a, worker)
    response = login(world.user(persona)).get(CASES)
    assert response.status_code == 403
    assert "Müller" not in response.content.decode()


def test_case_list_sends_anonymous_users_to_the_login(world, login):
    response = login(None).get(CASES)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# Opening a case (C4, C1)


def test_open_a_case_for_a_new_person(world, login, worker):
    client = login(worker)
    response = client.get(CREATE)
    assert response.status_code == 200
    assert response.context["form"].initial["caseworker"] == worker.pk
    response = client.post(CREATE, {**person_fields(), **intake_fields(worker)})
    person = Person.objects.get()
    case = Case.objects.get()
    # Without a consent on record, the next step is recording it.
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:consent_create", args=[person.pk])
    assert (person.site, person.last_name, person.name_key) == (world.site_a, "Schulz", "schulz anna")
    assert (case.site, case.person, case.caseworker, case.status, case.opened_on) == (
        world.site_a,
        person,
        worker,
        "open",
        today(),
    )
    assert case.reference == f"NORD-{today().year}-0001"
    assert sorted(case.needs.values_list("topic", flat=True)) == ["housing", "money"]
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "inka.case.opened",
        "inka.person.created",
    ]


def test_open_a_case_for_a_known_person_with_consent(world, login, worker):
    person = make_person(world.site_a)
    services.consent_record(
        actor=worker, person=person, purpose="counselling", text_version="v1", given_on=date(2024, 1, 1)
    )
    client = login(worker)
    response = client.get(CREATE, {"person": person.pk})
    assert response.status_code == 200
    assert response.context["person_form"] is None
    response = client.post(f"{CREATE}?person={person.pk}", intake_fields(world.user("site_lead")))
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert (case.person, case.caseworker) == (person, world.user("site_lead"))
    assert Person.objects.count() == 1


def test_a_second_open_case_for_the_same_person_is_refused(world, login, worker, case):
    before = written()
    response = login(worker).post(f"{CREATE}?person={case.person.pk}", intake_fields(worker))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert written() == before


def test_open_a_case_for_a_person_of_another_site_is_404(world, login, worker):
    person = make_person(world.site_b)
    client = login(worker)
    assert client.get(CREATE, {"person": person.pk}).status_code == 404
    assert client.post(f"{CREATE}?person={person.pk}", intake_fields(worker)).status_code == 404
    assert client.get(CREATE, {"person": "abc"}).status_code == 404
    assert not Case.objects.exists()


def test_open_a_case_bad_input_writes_nothing(world, login, worker):
    client = login(worker)
    before = written()
    empty_person = person_fields(
        first_name="", last_name="", birth_date="", gender="", street="", postcode="", town=""
    )
    empty_intake = {"caseworker": "", "opened_on": "", "life_situation": "", "notes": ""}
    response = client.post(CREATE, {**empty_person, **empty_intake})
    assert_form_errors(response, "first_name", "last_name", form="person_form")
    assert_form_errors(response, "caseworker", "opened_on", "needs")
    response = client.post(
        CREATE,
        {
            **person_fields(postcode="123"),
            **intake_fields(world.user("other_caseworker"), opened_on="2999-01-01", needs=["lottery"]),
        },
    )
    assert_form_errors(response, "postcode", form="person_form")
    assert_form_errors(response, "caseworker", "needs")
    # Readers are not caseworkers either.
    response = client.post(CREATE, {**person_fields(), **intake_fields(world.user("reader"))})
    assert_form_errors(response, "caseworker")
    assert written() == before


def test_open_a_case_in_the_future_is_refused_at_the_date(world, login, worker):
    before = written()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = login(worker).post(CREATE, {**person_fields(), **intake_fields(worker, opened_on=tomorrow)})
    assert_form_errors(response, "opened_on")
    assert written() == before


def test_open_a_case_refuses_a_birth_date_in_the_future_at_the_person_field(world, login, worker):
    before = written()
    response = login(worker).post(CREATE, {**person_fields(birth_date="2999-01-01"), **intake_fields(worker)})
    assert_form_errors(response, "birth_date", form="person_form")
    assert written() == before


def test_turn_an_anonymous_contact_into_a_case(world, login, worker):
    contact = make_contact(world.site_a, worker, occurred_on=date(2024, 2, 1), gender="f")
    contact.topics.create(topic="housing")
    client = login(worker)
    response = client.get(CREATE, {"kontakt": contact.pk})
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["opened_on"] == date(2024, 2, 1)
    assert sorted(initial["needs"]) == ["housing", "money"]
    assert response.context["person_form"].initial["gender"] == "f"
    html = response.content.decode()
    assert f'name="kontakt" value="{contact.pk}"' in html
    assert 'value="2024-02-01"' in html
    response = client.post(
        f"{CREATE}?kontakt={contact.pk}",
        {**person_fields(), **intake_fields(worker, opened_on="2024-02-01", needs=initial["needs"])},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    contact.refresh_from_db()
    assert contact.case == case
    assert case.person.last_name == "Schulz"
    assert case.opened_on == date(2024, 2, 1)
    assert sorted(case.needs.values_list("topic", flat=True)) == ["housing", "money"]
    assert AuditEntry.objects.filter(action="inka.contact.attached", object_id=str(contact.pk)).count() == 1
    # The contact is no longer anonymous: it left the anonymous list.
    assert list(client.get(reverse("cases:anonymous_contact_list")).context["page"].object_list) == []


def test_the_contact_field_of_the_form_works_too(world, login, worker):
    contact = make_contact(world.site_a, worker)
    response = login(worker).post(
        CREATE,
        {**person_fields(), **intake_fields(worker, opened_on="2024-02-01"), "kontakt": str(contact.pk)},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.case == Case.objects.get()


def test_a_contact_of_another_site_cannot_be_turned_into_a_case(world, login, worker):
    contact = make_contact(world.site_b, world.user("other_caseworker"))
    client = login(worker)
    assert client.get(CREATE, {"kontakt": contact.pk}).status_code == 404
    before = written()
    response = client.post(f"{CREATE}?kontakt={contact.pk}", {**person_fields(), **intake_fields(worker)})
    assert response.status_code == 404
    assert written() == before
    contact.refresh_from_db()
    assert contact.case is None


def test_a_contact_already_on_a_case_cannot_be_turned_into_a_case_again(world, login, worker, case):
    contact = make_contact(world.site_a, worker, case=case)
    assert login(worker).get(CREATE, {"kontakt": contact.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator"])
def test_opening_a_case_is_for_writers(world, login, persona):
    client = login(world.user(persona))
    assert client.get(CREATE).status_code == 403
    response = client.post(CREATE, {**person_fields(), **intake_fields(world.user("caseworker"))})
    assert response.status_code == 403
    assert not Person.objects.exists()


# The case page


def test_case_page_shows_the_case_and_logs_one_access(world, login, worker, case):
    case.life_situation = "Wohnung gekündigt"
    case.save()
    response = login(world.user("reader")).get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wohnung gekündigt" in html
    assert case.reference in html
    entries = AccessLogEntry.objects.filter(action="case.view")
    assert entries.count() == 1
    assert (entries[0].record_ids, entries[0].actor_id) == ([case.pk], world.user("reader").pk)
    assert response["Cache-Control"] == "no-store, private"


def test_case_page_warns_without_counselling_consent(world, login, worker):
    case = make_case(world.site_a, worker, consent=False)
    response = login(worker).get(case.get_absolute_url())
    assert response.context["page"].counselling_consent is None
    assert reverse("cases:consent_create", args=[case.person.pk]) in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_caseworker", 404),
        ("coordinator", 404),
        ("admin", 404),
        ("steering", 403),
        ("dpo", 403),
    ],
)
def test_case_page_of_others(world, login, worker, case, persona, status):
    response = login(world.user(persona)).get(case.get_absolute_url())
    assert response.status_code == status
    assert "Müller" not in response.content.decode()
    assert not AccessLogEntry.objects.filter(action="case.view").exists()


# Editing the intake (C4)


def test_edit_intake(world, login, worker, case):
    url = reverse("cases:case_edit", args=[case.pk])
    client = login(worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == 1
    assert response.context["form"].initial["needs"] == ["money"]
    response = client.post(
        url,
        edit_fields(
            case, caseworker=str(world.user("site_lead").pk), needs=["crisis"], notes="Notiz\r\nzwei"
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert (case.caseworker, case.notes, case.version) == (world.user("site_lead"), "Notiz\nzwei", 2)
    assert list(case.needs.values_list("topic", flat=True)) == ["crisis"]
    entry = AuditEntry.objects.get(action="inka.case.updated")
    assert entry.changes["caseworker"] == [worker.pk, world.user("site_lead").pk]
    assert entry.changes["needs"] == [["money"], ["crisis"]]
    assert entry.changes["life_situation"] == ["", "Mietschulden"]


def test_edit_intake_bad_input_writes_nothing(world, login, worker, case):
    url = reverse("cases:case_edit", args=[case.pk])
    client = login(worker)
    before = written()
    response = client.post(url, {"caseworker": "", "opened_on": "", "life_situation": "", "version": "1"})
    assert_form_errors(response, "caseworker", "opened_on", "needs")
    assert_form_errors(client.post(url, edit_fields(case, opened_on="2999-01-01")), "opened_on")
    response = client.post(url, edit_fields(case, version=""))
    assert response.status_code == 400
    assert "version" in response.context["form"].errors
    assert written() == before
    case.refresh_from_db()
    assert (case.version, case.life_situation) == (1, "")


def test_edit_intake_of_a_closed_case_cannot_move_the_opening_after_the_closing(world, login, worker, case):
    services.case_close(actor=worker, case=case, version=1, closed_on=date(2024, 3, 1), close_reason="moved")
    case.refresh_from_db()
    response = login(worker).post(
        reverse("cases:case_edit", args=[case.pk]), edit_fields(case, opened_on="2024-04-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    case.refresh_from_db()
    assert case.opened_on == date(2024, 1, 10)


# Closing and reopening (C4)


def test_close_and_reopen(world, login, worker, case):
    follow_up = FollowUp.objects.create(
        case=case, due_on=today() + timedelta(days=5), subject="x", assigned_to=worker, created_by=worker
    )
    client = login(worker)
    url = reverse("cases:case_close", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == 1
    response = client.post(
        url,
        {
            "closed_on": today().isoformat(),
            "close_reason": "goals_achieved",
            "outcome": "Schulden geregelt",
            "version": "1",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    follow_up.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason, case.outcome) == (
        "closed",
        today(),
        "goals_achieved",
        "Schulden geregelt",
    )
    assert follow_up.done_on == today()
    # A closed case shows the reopen button, not the close link.
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:case_reopen", args=[case.pk]) in html
    assert url not in html
    # Closing again only sends back to the case.
    assert (
        client.post(
            url, {"closed_on": today().isoformat(), "close_reason": "other", "version": "2"}
        ).status_code
        == 302
    )
    assert AuditEntry.objects.filter(action="inka.case.closed").count() == 1
    response = client.post(reverse("cases:case_reopen", args=[case.pk]), {"version": str(case.version)})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason) == ("open", None, "")
    assert AuditEntry.objects.filter(action="inka.case.reopened").count() == 1


def test_closing_before_opening_is_refused_at_the_date(world, login, worker, case):
    before = written()
    response = login(worker).post(
        reverse("cases:case_close", args=[case.pk]),
        {"closed_on": "2024-01-09", "close_reason": "moved", "outcome": "", "version": "1"},
    )
    assert_form_errors(response, "closed_on")
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.version) == ("open", None, 1)
    assert written() == before


def test_close_bad_input_writes_nothing(world, login, worker, case):
    url = reverse("cases:case_close", args=[case.pk])
    client = login(worker)
    response = client.post(url, {"closed_on": "", "close_reason": "", "outcome": "", "version": "1"})
    assert_form_errors(response, "closed_on", "close_reason")
    response = client.post(url, {"closed_on": "2999-01-01", "close_reason": "moved", "version": "1"})
    assert_form_errors(response, "closed_on")
    response = client.post(url, {"closed_on": today().isoformat(), "close_reason": "bored", "version": "1"})
    assert_form_errors(response, "close_reason")
    case.refresh_from_db()
    assert case.status == "open"
    assert not AuditEntry.objects.exists()


def test_close_with_a_stale_version_changes_nothing(world, login, worker, case):
    services.case_update(actor=worker, case=case, version=1, needs=["money"], notes="dazwischen")
    response = login(worker).post(
        reverse("cases:case_close", args=[case.pk]),
        {"closed_on": today().isoformat(), "close_reason": "moved", "version": "1"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "open"
    assert not AuditEntry.objects.filter(action="inka.case.closed").exists()


def test_reopen_is_refused_with_a_stale_version_or_another_open_case(world, login, worker, case):
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    client = login(worker)
    url = reverse("cases:case_reopen", args=[case.pk])
    assert client.post(url, {"version": "1"}).status_code == 302
    assert client.post(url, {}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    services.case_open(actor=worker, person=case.person, caseworker=worker, opened_on=today())
    assert client.post(url, {"version": str(case.version)}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert not AuditEntry.objects.filter(action="inka.case.reopened").exists()
    assert client.get(url).status_code == 405


# History


def test_case_history_lists_changes_with_readable_values(world, login, worker, case):
    services.case_update(
        actor=worker, case=case, version=1, needs=["money", "housing"], caseworker=world.user("site_lead")
    )
    response = login(worker).get(reverse("cases:case_history", args=[case.pk]))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["entry"].action == "inka.case.updated"
    html = response.content.decode()
    assert world.user("site_lead").get_full_name() in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.record_ids) == ("case.history", [case.pk])


def test_case_history_of_another_site_is_404(world, login, worker, case):
    assert (
        login(world.user("other_caseworker")).get(reverse("cases:case_history", args=[case.pk])).status_code
        == 404
    )


# Help plan (C6)


def goal_fields(**changes):
    data = {
        "title": "Schulden ordnen",
        "topic": "money",
        "who_acts": "person",
        "due_on": "",
        "status": "open",
        "done_on": "",
    }
    return {**data, **changes}


def step_fields(**changes):
    data = {
        "title": "Unterlagen sammeln",
        "who_acts": "person",
        "due_on": "",
        "status": "open",
        "done_on": "",
    }
    return {**data, **changes}


def test_goal_create_and_achieve(world, login, worker, case):
    client = login(worker)
    url = reverse("cases:goal_create", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, goal_fields(who_acts="caseworker", due_on="2024-06-30"))
    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#hilfeplan"
    goal = Goal.objects.get()
    assert (goal.case, goal.title, goal.topic, goal.who_acts, goal.due_on, goal.done_on) == (
        case,
        "Schulden ordnen",
        "money",
        "caseworker",
        date(2024, 6, 30),
        None,
    )
    edit = reverse("cases:goal_edit", args=[case.pk, goal.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, goal_fields(status="achieved")).status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.done_on, goal.who_acts) == ("achieved", today(), "person")
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "inka.goal.added",
        "inka.goal.updated",
    ]
    assert "Schulden ordnen" in client.get(case.get_absolute_url()).content.decode()


def test_step_create_and_done(world, login, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Schulden ordnen")
    client = login(worker)
    url = reverse("cases:step_create", args=[case.pk, goal.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, step_fields(who_acts="partner")).status_code == 302
    step = GoalStep.objects.get()
    assert (step.goal, step.title, step.who_acts, step.status) == (
        goal,
        "Unterlagen sammeln",
        "partner",
        "open",
    )
    edit = reverse("cases:step_edit", args=[case.pk, step.pk])
    assert client.post(edit, step_fields(status="achieved")).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.done_on) == ("achieved", today())
    assert (
        AuditEntry.objects.filter(action__in=["inka.goal.step_added", "inka.goal.step_updated"]).count() == 2
    )


def test_help_plan_bad_input_writes_nothing(world, login, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Schulden ordnen")
    step = services.step_create(actor=worker, goal=goal, title="Unterlagen sammeln")
    client = login(worker)
    before = (Goal.objects.count(), GoalStep.objects.count(), AuditEntry.objects.count())
    empty = {"title": "", "due_on": "", "done_on": ""}
    for url in [
        reverse("cases:goal_create", args=[case.pk]),
        reverse("cases:goal_edit", args=[case.pk, goal.pk]),
        reverse("cases:step_create", args=[case.pk, goal.pk]),
        reverse("cases:step_edit", args=[case.pk, step.pk]),
    ]:
        assert_form_errors(client.post(url, empty), "title", "who_acts", "status")
    assert (Goal.objects.count(), GoalStep.objects.count(), AuditEntry.objects.count()) == before


def test_help_plan_refuses_a_done_date_in_the_future(world, login, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Schulden ordnen")
    response = login(worker).post(
        reverse("cases:goal_edit", args=[case.pk, goal.pk]),
        goal_fields(status="achieved", done_on="2999-01-01"),
    )
    assert_form_errors(response, "done_on")
    goal.refresh_from_db()
    assert (goal.status, goal.done_on) == ("open", None)
    assert not AuditEntry.objects.filter(action="inka.goal.updated").exists()


def test_help_plan_of_another_case_or_site_is_404(world, login, worker, case):
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    goal = services.goal_create(actor=worker, case=other, title="fremdes Ziel")
    step = services.step_create(actor=worker, goal=goal, title="fremder Schritt")
    client = login(worker)
    assert client.get(reverse("cases:goal_edit", args=[case.pk, goal.pk])).status_code == 404
    assert client.get(reverse("cases:step_create", args=[case.pk, goal.pk])).status_code == 404
    assert client.get(reverse("cases:step_edit", args=[case.pk, step.pk])).status_code == 404
    client = login(world.user("other_caseworker"))
    assert client.post(reverse("cases:goal_create", args=[other.pk]), goal_fields()).status_code == 404
    assert client.post(reverse("cases:goal_edit", args=[other.pk, goal.pk]), goal_fields()).status_code == 404
    assert Goal.objects.count() == 1
    goal.refresh_from_db()
    assert goal.title == "fremdes Ziel"


# Follow-ups and the work list (C7)


def test_follow_up_create_and_done(world, login, worker, case):
    client = login(worker)
    url = reverse("cases:follow_up_create", args=[case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["assigned_to"] == worker.pk
    due = (today() + timedelta(days=3)).isoformat()
    response = client.post(
        url, {"due_on": due, "subject": "Bescheid prüfen", "assigned_to": world.user("site_lead").pk}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.case, follow_up.subject, follow_up.assigned_to, follow_up.created_by) == (
        case,
        "Bescheid prüfen",
        world.user("site_lead"),
        worker,
    )
    done = reverse("cases:follow_up_done", args=[case.pk, follow_up.pk])
    assert client.get(done).status_code == 405
    response = client.post(done, {"next": "work_list"})
    assert response["Location"] == WORK_LIST
    follow_up.refresh_from_db()
    assert follow_up.done_on == today()
    # Twice changes nothing.
    response = client.post(done)
    assert response["Location"] == f"{case.get_absolute_url()}#wiedervorlagen"
    assert AuditEntry.objects.filter(action="inka.follow_up.done").count() == 1


def test_follow_up_bad_input_writes_nothing(world, login, worker, case):
    url = reverse("cases:follow_up_create", args=[case.pk])
    client = login(worker)
    response = client.post(url, {"due_on": "", "subject": "", "assigned_to": ""})
    assert_form_errors(response, "due_on", "subject", "assigned_to")
    response = client.post(
        url, {"due_on": today().isoformat(), "subject": "x", "assigned_to": world.user("reader").pk}
    )
    assert_form_errors(response, "assigned_to")
    response = client.post(
        url, {"due_on": today().isoformat(), "subject": "x", "assigned_to": world.user("other_caseworker").pk}
    )
    assert_form_errors(response, "assigned_to")
    assert not FollowUp.objects.exists()
    assert not AuditEntry.objects.exists()


def test_follow_up_on_a_closed_case_is_refused(world, login, worker, case):
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    response = login(worker).post(
        reverse("cases:follow_up_create", args=[case.pk]),
        {"due_on": today().isoformat(), "subject": "x", "assigned_to": worker.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not FollowUp.objects.exists()


def test_work_list_shows_overdue_upcoming_and_waiting_referrals_for_the_user_only(world, login, worker, case):
    lead = world.user("site_lead")

    def follow_up(days, user, subject):
        return FollowUp.objects.create(
            case=case,
            due_on=today() + timedelta(days=days),
            subject=subject,
            assigned_to=user,
            created_by=worker,
        )

    overdue = follow_up(-2, worker, "Rückruf überfällig")
    upcoming = follow_up(3, worker, "Termin Jobcenter")
    follow_up(30, worker, "viel später")
    follow_up(-1, lead, "Aufgabe der Leitung")
    partner = make_partner(world.site_a, "Schuldnerberatung Altenburg")
    make_sharing_consent(case.person, worker, partner)
    referral = services.referral_create(actor=worker, case=case, partner=partner, purpose="Beratung").referral

    response = login(worker).get(WORK_LIST)
    assert response.status_code == 200
    work = response.context["work"]
    assert (work.overdue, work.upcoming, work.waiting_referrals) == ([overdue], [upcoming], [referral])
    html = response.content.decode()
    assert "Rückruf überfällig" in html
    assert "Termin Jobcenter" in html
    assert "viel später" not in html
    assert "Aufgabe der Leitung" not in html
    assert "Schuldnerberatung Altenburg" in html
    entry = AccessLogEntry.objects.get(action="work_list.view")
    assert entry.record_ids == [case.pk]

    work = login(lead).get(WORK_LIST).context["work"]
    assert [item.subject for item in work.overdue] == ["Aufgabe der Leitung"]
    assert work.upcoming == []
    assert work.waiting_referrals == []


@pytest.mark.parametrize("persona", ["reader", "coordinator", "admin", "dpo"])
def test_work_list_is_for_writers(world, login, persona):
    assert login(world.user(persona)).get(WORK_LIST).status_code == 403


def test_steering_members_get_the_work_list_without_case_work(world, login):
    response = login(world.user("steering")).get(WORK_LIST)
    assert response.status_code == 200
    assert response.context["work"] is None
    assert [section.provider.key for section in response.context["extra_sections"]] == ["steuerungsgruppe"]


# Case work's own sections plus one query for each registered section (ESF, agreements, steering),
# and the second factor's device of the session.
WORK_LIST_QUERIES = 15


@pytest.mark.parametrize("rows", [1, 50])
def test_work_list_query_count_does_not_grow_with_rows(
    world, login, worker, rows, django_assert_max_num_queries
):
    partner = make_partner(world.site_a)
    for index in range(rows):
        case = make_case(world.site_a, worker, make_person(world.site_a, f"Vorname{index:02}", "Müller"))
        make_sharing_consent(case.person, worker, partner)
        services.referral_create(actor=worker, case=case, partner=partner, purpose="Beratung")
        for days in (-1, 1):
            FollowUp.objects.create(
                case=case,
                due_on=today() + timedelta(days=days),
                subject="x",
                assigned_to=worker,
                created_by=worker,
            )
    client = login(worker)
    with django_assert_max_num_queries(WORK_LIST_QUERIES):
        response = client.get(WORK_LIST)
    work = response.context["work"]
    assert (len(work.overdue), len(work.upcoming), len(work.waiting_referrals)) == (rows, rows, rows)
