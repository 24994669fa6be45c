"""Sessions of a project and their attendance: services against the database, then the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inka.cases.tests.factories import assert_form_errors, make_consent, make_person
from inka.community import services
from inka.community.forms import headcount_field_name
from inka.community.models import Attendance, AttendanceMode, Headcount, Session
from inka.community.tests.test_projects import headcount, make_community_consent, make_project, make_session
from inka.core.models import AccessLogEntry, AuditEntry


@pytest.fixture
def actor(world):
    return world.user("caseworker")


@pytest.fixture
def project(world, actor):
    return make_project(world.site_a, actor, ends_on=date(2024, 12, 31))


@pytest.fixture
def named(project):
    return make_session(project, held_on=date(2024, 3, 5), mode=AttendanceMode.NAMED)


@pytest.fixture
def consenting(world, actor):
    person = make_person(world.site_a, "Hedda", "Adler", birth_date=date(1955, 3, 1))
    make_community_consent(person, actor, given_on=date(2024, 2, 1))
    return person


def cells(session):
    return {(c.age_band, c.gender): c.count for c in Headcount.objects.filter(session=session)}


# session_create / session_update


def test_session_create_writes_an_audit_entry(project, actor):
    session = services.session_create(
        actor=actor, project=project, held_on=date(2024, 3, 5), title=" Auftakt ", place="Treff"
    )
    assert session.title == "Auftakt"
    entry = AuditEntry.objects.get(action="inka.community.session.created")
    assert entry.site_id == project.site_id
    assert entry.changes["held_on"] == [None, "2024-03-05"]


@pytest.mark.parametrize(
    ("day", "shown"), [(date(2023, 12, 31), "01.01.2024"), (date(2025, 1, 1), "31.12.2024")]
)
def test_a_session_lies_within_the_project_period(project, actor, day, shown):
    with pytest.raises(ValidationError) as error:
        services.session_create(actor=actor, project=project, held_on=day)
    [message] = error.value.message_dict["held_on"]
    assert shown in message
    assert not Session.objects.exists()


def test_the_way_of_recording_attendance_cannot_change_while_attendance_is_recorded(
    project, named, consenting, actor
):
    services.session_attendance_add(actor=actor, session=named, person=consenting)
    with pytest.raises(ValidationError) as error:
        services.session_update(actor=actor, session=named, attendance_mode=AttendanceMode.HEADCOUNT)
    assert "attendance_mode" in error.value.message_dict
    counted = make_session(project)
    headcount(counted, {("", ""): 5})
    with pytest.raises(ValidationError) as error:
        services.session_update(actor=actor, session=counted, attendance_mode=AttendanceMode.NAMED)
    assert "attendance_mode" in error.value.message_dict
    counted.refresh_from_db()
    services.session_headcount_set(actor=actor, session=counted, counts={})
    services.session_update(actor=actor, session=counted, attendance_mode=AttendanceMode.NAMED)
    assert Session.objects.get(pk=counted.pk).attendance_mode == AttendanceMode.NAMED


# session_headcount_set


def test_headcount_replaces_the_cells_and_stores_no_zeros(project, actor):
    session = make_session(project)
    headcount(session, {("18-29", "f"): 4, ("65+", "m"): 2})
    total = services.session_headcount_set(
        actor=actor, session=session, counts={("18-29", "f"): 5, ("65+", "m"): 0, ("", ""): 600}
    )
    assert total == 605
    assert cells(session) == {("18-29", "f"): 5, ("", ""): 600}
    entry = AuditEntry.objects.get(action="inka.community.headcount.set")
    assert entry.changes == {"18-29/f": [4, 5], "65+/m": [2, None], "?/?": [None, 600]}
    assert entry.data["total"] == 605


@pytest.mark.parametrize("count", [-1, 100_001])
def test_absurd_headcounts_are_refused_and_nothing_changes(project, actor, count):
    session = make_session(project)
    headcount(session, {("", ""): 30})
    with pytest.raises(ValidationError):
        services.session_headcount_set(
            actor=actor, session=session, counts={("", ""): 10, ("65+", "f"): count}
        )
    assert cells(session) == {("", ""): 30}


def test_headcount_needs_a_headcount_session_that_has_taken_place(project, named, actor):
    with pytest.raises(ValidationError):
        services.session_headcount_set(actor=actor, session=named, counts={("", ""): 3})
    planned = make_session(project, held_on=timezone.localdate() + timedelta(days=1))
    project.ends_on = None
    with pytest.raises(ValidationError):
        services.session_headcount_set(actor=actor, session=planned, counts={("", ""): 3})
    assert not Headcount.objects.exists()


# session_attendance_add / remove


def test_a_consenting_person_is_named_and_removed_with_audit(named, consenting, actor):
    attendance = services.session_attendance_add(actor=actor, session=named, person=consenting)
    assert AuditEntry.objects.get(action="inka.community.attendance.added").changes == {
        "person": [None, consenting.pk]
    }
    with pytest.raises(ValidationError) as error:
        services.session_attendance_add(actor=actor, session=named, person=consenting)
    assert "person" in error.value.message_dict
    services.session_attendance_remove(actor=actor, attendance=attendance)
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.get(action="inka.community.attendance.removed").changes == {
        "person": [consenting.pk, None]
    }


@pytest.mark.parametrize(
    "consent",
    [
        None,
        {"given_on": date(2024, 3, 6)},  # given after the session
        {"given_on": date(2024, 1, 1), "expires_on": date(2024, 3, 4)},
        {"given_on": date(2024, 1, 1), "withdrawn_on": date(2024, 3, 5)},
        {"given_on": date(2024, 1, 1), "purpose": "photos"},
    ],
)
def test_without_a_valid_consent_on_the_day_nobody_is_named(world, named, actor, consent):
    person = make_person(world.site_a, "Ole", "Adolph")
    if consent is not None:
        purpose = consent.pop("purpose", "community")
        make_consent(person, actor, purpose, **consent)
    with pytest.raises(ValidationError) as error:
        services.session_attendance_add(actor=actor, session=named, person=person)
    [problem] = error.value.error_dict["person"]
    assert problem.code == "no_consent"
    assert not Attendance.objects.exists()


def test_a_person_of_another_site_is_refused(world, named, actor):
    elsewhere = make_person(world.site_b, "Sabine", "Kurz")
    make_community_consent(elsewhere, world.user("other_caseworker"))
    with pytest.raises(ValidationError) as error:
        services.session_attendance_add(actor=actor, session=named, person=elsewhere)
    assert "person" in error.value.message_dict


def test_a_headcount_session_takes_no_names(project, consenting, actor):
    with pytest.raises(ValidationError):
        services.session_attendance_add(actor=actor, session=make_session(project), person=consenting)


# Pages: create and edit


def create_url(project):
    return reverse("community:session_create", args=[project.pk])


def attendance_url(session):
    return reverse("community:session_attendance", args=[session.pk])


def test_adding_a_past_session_leads_to_recording_attendance(world, login, project):
    response = login(world.user("caseworker")).post(
        create_url(project), {"held_on": "2024-06-15", "title": "Sommerfest", "attendance_mode": "headcount"}
    )
    session = Session.objects.get()
    assert response["Location"] == attendance_url(session)
    assert AuditEntry.objects.filter(action="inka.community.session.created").exists()


def test_adding_a_planned_session_returns_to_the_project(world, login, actor):
    ongoing = make_project(world.site_a, actor)
    day = timezone.localdate() + timedelta(days=7)
    response = login(world.user("site_lead")).post(
        create_url(ongoing), {"held_on": day.isoformat(), "attendance_mode": "named"}
    )
    assert response["Location"] == ongoing.get_absolute_url()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"held_on": "2023-12-31", "attendance_mode": "headcount"}, "held_on"),
        ({"held_on": "", "attendance_mode": "headcount"}, "held_on"),
        ({"held_on": "2024-03-01", "attendance_mode": "guessed"}, "attendance_mode"),
        (
            {"held_on": "2024-03-01", "attendance_mode": "headcount", "duration_minutes": "-30"},
            "duration_minutes",
        ),
    ],
)
def test_bad_session_input_is_refused_at_the_field(world, login, project, data, field):
    response = login(world.user("caseworker")).post(create_url(project), data)
    assert_form_errors(response, field)
    assert not Session.objects.exists()


def test_editing_a_session(world, login, project, named):
    url = reverse("community:session_edit", args=[named.pk])
    client = login(world.user("caseworker"))
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"held_on": "2024-03-06", "place": "Gemeindesaal", "attendance_mode": "named"}
    )
    assert response["Location"] == project.get_absolute_url()
    named.refresh_from_db()
    assert (named.held_on, named.place) == (date(2024, 3, 6), "Gemeindesaal")
    response = client.post(url, {"held_on": "2025-01-01", "attendance_mode": "named"})
    assert_form_errors(response, "held_on")


def test_session_pages_of_another_site_are_404_and_readers_cannot_write(world, login, project, named):
    url = reverse("community:session_edit", args=[named.pk])
    assert login(world.user("other_caseworker")).get(url).status_code == 404
    assert login(world.user("other_caseworker")).get(create_url(project)).status_code == 404
    assert login(world.user("reader")).get(url).status_code == 403
    assert login(world.user("steering")).get(create_url(project)).status_code == 403


# Pages: headcount


def test_600_guests_in_one_field(world, login, project):
    session = make_session(project, held_on=date(2024, 6, 15))
    client = login(world.user("caseworker"))
    assert 'name="guests"' in client.get(attendance_url(session)).content.decode()
    response = client.post(attendance_url(session), {"guests": "600"})
    assert response["Location"] == attendance_url(session)
    assert cells(session) == {("", ""): 600}
    page = client.get(attendance_url(session))
    assert page.context["total"] == 600
    assert "600" in page.content.decode()


def test_the_grid_replaces_the_headcount(world, login, project):
    session = make_session(project)
    headcount(session, {("", ""): 600})
    data = {headcount_field_name("18-29", "f"): "3", headcount_field_name("65+", ""): "2", "guests": ""}
    response = login(world.user("caseworker")).post(attendance_url(session), data)
    assert response.status_code == 302
    assert cells(session) == {("18-29", "f"): 3, ("65+", ""): 2}


@pytest.mark.parametrize("value", ["-1", "1000000", "viele"])
def test_bad_numbers_are_refused_at_their_field_and_nothing_is_written(world, login, project, value):
    session = make_session(project)
    headcount(session, {("", ""): 30})
    field = headcount_field_name("0-17", "x")
    response = login(world.user("caseworker")).post(attendance_url(session), {"guests": "20", field: value})
    assert_form_errors(response, field)
    assert cells(session) == {("", ""): 30}


def test_readers_see_the_headcount_but_cannot_change_it(world, login, project):
    session = make_session(project)
    headcount(session, {("", ""): 30})
    client = login(world.user("reader"))
    response = client.get(attendance_url(session))
    assert response.status_code == 200
    assert 'name="guests"' not in response.content.decode()
    assert client.post(attendance_url(session), {"guests": "5"}).status_code == 403
    assert cells(session) == {("", ""): 30}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("steering", 403), ("coordinator", 403), ("dpo", 403), ("admin", 403), ("other_caseworker", 404)],
)
def test_attendance_pages_are_for_the_sites_team_only(world, login, project, named, persona, status):
    client = login(world.user(persona))
    assert client.get(attendance_url(named)).status_code == status
    assert client.get(attendance_url(make_session(project))).status_code == status


def test_anonymous_users_are_sent_to_the_login(world, login, named):
    response = login(None).get(attendance_url(named))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Pages: named participants


def test_search_marks_who_may_be_named_and_is_logged(world, login, named, consenting):
    make_person(world.site_a, "Rochus", "Adler")
    make_person(world.site_b, "Gerda", "Adler")
    response = login(world.user("caseworker")).get(attendance_url(named), {"q": "adler"})
    found = {person.first_name: person.consented for person in response.context["candidates"]}
    assert found == {"Hedda": True, "Rochus": False}
    html = response.content.decode()
    rochus = next(p for p in response.context["candidates"] if p.first_name == "Rochus")
    assert reverse("cases:consent_create", args=[rochus.pk]) in html
    entry = AccessLogEntry.objects.get(action="community.attendance.search")
    assert sorted(entry.record_ids) == sorted(p.pk for p in response.context["candidates"])


def test_adding_and_removing_a_named_participant(world, login, named, consenting):
    client = login(world.user("caseworker"))
    response = client.post(attendance_url(named), {"person": consenting.pk, "q": "adler"})
    assert response["Location"] == f"{attendance_url(named)}?q=adler"
    attendance = Attendance.objects.get()
    page = client.get(attendance_url(named))
    assert "Adler, Hedda" in page.content.decode()
    assert AccessLogEntry.objects.get(action="community.attendance.view").record_ids == [consenting.pk]
    response = client.post(attendance_url(named), {"remove": attendance.pk})
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_a_person_without_consent_is_refused_with_a_link_to_the_consent_form(world, login, named):
    person = make_person(world.site_a, "Rochus", "Adler")
    response = login(world.user("caseworker")).post(attendance_url(named), {"person": person.pk})
    assert_form_errors(response, "person", form="add_form")
    assert reverse("cases:consent_create", args=[person.pk]) in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_person_of_another_site_cannot_be_added(world, login, named):
    elsewhere = make_person(world.site_b, "Sabine", "Kurz")
    make_community_consent(elsewhere, world.user("other_caseworker"))
    response = login(world.user("caseworker")).post(attendance_url(named), {"person": elsewhere.pk})
    assert_form_errors(response, "person", form="add_form")
    assert not Attendance.objects.exists()


def test_readers_see_the_participants_but_cannot_add(world, login, named, consenting, actor):
    services.session_attendance_add(actor=actor, session=named, person=consenting)
    client = login(world.user("reader"))
    response = client.get(attendance_url(named), {"q": "adler"})
    assert "Adler, Hedda" in response.content.decode()
    assert response.context["candidates"] == []
    assert client.post(attendance_url(named), {"person": consenting.pk}).status_code == 403


@pytest.mark.parametrize("rows", [1, 50])
def test_participant_list_query_count_does_not_grow(
    world, login, named, actor, rows, django_assert_max_num_queries
):
    for index in range(rows):
        person = make_person(world.site_a, f"Person{index:02}", "Adler")
        make_community_consent(person, actor)
        Attendance.objects.create(session=named, person=person)
    client = login(world.user("caseworker"))
    with django_assert_max_num_queries(16):
        response = client.get(attendance_url(named), {"q": "adler"})
    assert len(response.context["participants"]) == rows
