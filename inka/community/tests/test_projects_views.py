"""The project pages: list, create, detail with its figures, edit; who sees what."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from inka.cases.tests.factories import assert_form_errors, make_partner, make_person
from inka.community.models import Attendance, AttendanceMode, Project, ProjectKind
from inka.community.tests.test_projects import headcount, make_project, make_session
from inka.core.models import AccessLogEntry, AuditEntry

LIST = reverse("community:project_list")
CREATE = reverse("community:project_create")
VALID = {
    "title": "Stadtteilfest Nordviertel 2024",
    "kind": "festival",
    "status": "planned",
    "goals": "Nachbarn lernen sich kennen.",
    "starts_on": "2024-06-15",
    "ends_on": "2024-06-15",
    "budget": "4.500,50",
    "spent": "",
    "public_description": "Mit Hüpfburg und Kuchenbasar.",
}


def detail_url(project):
    return reverse("community:project_detail", args=[project.pk])


def edit_url(project):
    return reverse("community:project_edit", args=[project.pk])


@pytest.fixture
def project(world):
    return make_project(world.site_a, world.user("caseworker"))


@pytest.fixture
def attended(world, project):
    """Two sessions of the project: a headcount of 600 and one named participant."""
    festival = make_session(project, held_on=date(2024, 6, 15), title="Sommerfest")
    headcount(festival, {("", ""): 600})
    named = make_session(project, held_on=date(2024, 6, 20), mode=AttendanceMode.NAMED)
    person = make_person(world.site_a, "Hedda", "Adler", birth_date=date(1955, 3, 1), gender="f")
    Attendance.objects.create(session=named, person=person)
    return person


# List


def test_members_see_their_sites_projects(world, login, project):
    make_project(world.site_b, world.user("other_caseworker"), title="Lusaner Kulturgarten")
    for persona in ["caseworker", "reader", "steering"]:
        html = login(world.user(persona)).get(LIST).content.decode()
        assert project.title in html
        assert "Lusaner Kulturgarten" not in html
    html = login(world.user("other_caseworker")).get(LIST).content.decode()
    assert "Lusaner Kulturgarten" in html and project.title not in html


def test_the_list_shows_sessions_and_attendance(world, login, project, attended):
    response = login(world.user("caseworker")).get(LIST)
    [(row, attendance)] = response.context["rows"]
    assert (row.session_count, attendance) == (2, 601)
    assert "601" in response.content.decode()


def test_the_steering_group_sees_small_totals_hidden(world, login, project):
    small = make_session(project)
    headcount(small, {("", ""): 2})
    response = login(world.user("steering")).get(LIST)
    [(_, attendance)] = response.context["rows"]
    assert attendance is None
    assert "&lt;3" in response.content.decode()


def test_the_coordination_sees_every_site_and_can_filter_by_site(world, login, project):
    other = make_project(world.site_b, world.user("other_caseworker"), title="Lusaner Kulturgarten")
    client = login(world.user("coordinator"))
    response = client.get(LIST)
    assert {row.title for row, _ in response.context["rows"]} == {project.title, other.title}
    assert "SUED" in response.content.decode()
    assert CREATE not in response.content.decode()
    response = client.get(LIST, {"site": world.site_b.pk})
    assert [row.title for row, _ in response.context["rows"]] == [other.title]


def test_filters_and_a_bad_filter(world, login, project):
    make_project(world.site_a, world.user("caseworker"), title="Frühjahrsputz", kind=ProjectKind.CLEAN_UP)
    client = login(world.user("caseworker"))
    rows = client.get(LIST, {"kind": "clean_up"}).context["rows"]
    assert [row.title for row, _ in rows] == ["Frühjahrsputz"]
    response = client.get(LIST, {"kind": "castle"})
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["dpo", "admin"])
def test_the_data_protection_officer_and_the_administration_get_403(world, login, persona):
    assert login(world.user(persona)).get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("persona", "rows"), [(p, n) for p in ["caseworker", "steering", "coordinator"] for n in (1, 50)]
)
def test_list_query_count_does_not_grow_with_rows(world, login, persona, rows, django_assert_max_num_queries):
    actor = world.user("caseworker")
    partner = make_partner(world.site_a)
    for index in range(rows):
        project = make_project(world.site_a, actor, title=f"Projekt {index:02}")
        project.partners.add(partner)
        headcount(make_session(project), {("", ""): 5, ("65+", "f"): 2})
    client = login(world.user(persona))
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows


def test_navigation_entry_for_community_readers_only(world, login):
    for persona in ["caseworker", "steering", "coordinator"]:
        response = login(world.user(persona)).get(reverse("start"))
        assert LIST in [item["url"] for item in response.context["nav_items"]], persona
    for persona in ["dpo", "admin"]:
        response = login(world.user(persona)).get(reverse("start"))
        assert LIST not in [item["url"] for item in response.context["nav_items"]], persona


# Create


def test_caseworker_creates_a_project(world, login):
    partner = make_partner(world.site_a)
    response = login(world.user("caseworker")).post(CREATE, {**VALID, "partners": [partner.pk]})
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(project)
    assert project.site == world.site_a
    assert project.budget == Decimal("4500.50")
    assert project.spent is None
    assert list(project.partners.all()) == [partner]
    assert AuditEntry.objects.filter(action="inka.community.project.created").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "2024-06-14"}, "ends_on"),
        ({"budget": "-5"}, "budget"),
        ({"kind": ""}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_written(world, login, changes, field):
    response = login(world.user("caseworker")).post(CREATE, {**VALID, **changes})
    assert_form_errors(response, field)
    assert not Project.objects.exists()


def test_a_partner_of_another_site_is_refused(world, login):
    elsewhere = make_partner(world.site_b, "Tafel Gera", kind="association")
    response = login(world.user("caseworker")).post(CREATE, {**VALID, "partners": [elsewhere.pk]})
    assert_form_errors(response, "partners")
    assert not Project.objects.exists()


def test_the_form_offers_the_sites_partners(world, login):
    here = make_partner(world.site_a)
    elsewhere = make_partner(world.site_b, "Tafel Gera", kind="association")
    html = login(world.user("caseworker")).get(CREATE).content.decode()
    assert here.name in html and elsewhere.name not in html


# Detail


def test_the_team_sees_figures_and_named_participants_and_the_read_is_logged(world, login, project, attended):
    for persona in ["caseworker", "reader"]:
        response = login(world.user(persona)).get(detail_url(project))
        html = response.content.decode()
        assert response.context["figures"].attendance_total == 601
        assert "Adler, Hedda" in html
        assert "&lt;3" not in html
    entries = AccessLogEntry.objects.filter(action="community.attendance.view")
    assert entries.count() == 2
    assert entries.first().record_ids == [attended.pk]


@pytest.mark.parametrize("persona", ["steering", "coordinator"])
def test_outside_the_team_the_figures_are_suppressed_and_no_person_is_named(
    world, login, project, attended, persona
):
    response = login(world.user(persona)).get(detail_url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Adler" not in html
    assert response.context["participants"] == []
    assert response.context["figures"].attendance_total == 601
    assert "&lt;3" in html  # the single named participant is a small cell
    assert reverse("community:session_attendance", args=[project.sessions.first().pk]) not in html
    assert not AccessLogEntry.objects.exists()


def test_writers_get_the_session_and_hours_links(world, login, project, attended):
    session = project.sessions.first()
    html = login(world.user("caseworker")).get(detail_url(project)).content.decode()
    assert reverse("community:session_create", args=[project.pk]) in html
    assert reverse("community:session_edit", args=[session.pk]) in html
    assert reverse("community:session_hours", args=[session.pk]) in html
    html = login(world.user("reader")).get(detail_url(project)).content.decode()
    assert reverse("community:session_edit", args=[session.pk]) not in html
    assert reverse("community:session_hours", args=[session.pk]) not in html


def test_detail_query_count_does_not_grow_with_sessions(world, login, project, django_assert_max_num_queries):
    person = make_person(world.site_a, "Hedda", "Adler")
    for day in range(1, 29):
        session = make_session(project, held_on=date(2024, 2, day))
        headcount(session, {("", ""): 5, ("18-29", "m"): 1})
        named = make_session(project, held_on=date(2024, 3, day), mode=AttendanceMode.NAMED)
        Attendance.objects.create(session=named, person=person)
    client = login(world.user("caseworker"))
    with django_assert_max_num_queries(20):
        response = client.get(detail_url(project))
    assert len(response.context["sessions"].object_list) == 20


def test_other_site_404_and_programme_roles_without_community_access_403(world, login, project):
    assert login(world.user("other_caseworker")).get(detail_url(project)).status_code == 404
    assert login(world.user("dpo")).get(detail_url(project)).status_code == 403


# Edit


def test_caseworker_edits_a_project(world, login, project):
    response = login(world.user("site_lead")).post(
        edit_url(project), {**VALID, "title": "Nachbarschaftscafé", "starts_on": "2024-01-01", "ends_on": ""}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.kind, project.ends_on) == ("Nachbarschaftscafé", "festival", None)


def test_the_period_cannot_end_before_a_session(world, login, project):
    make_session(project, held_on=date(2024, 3, 1))
    data = {**VALID, "starts_on": "2024-01-01", "ends_on": "2024-02-01"}
    response = login(world.user("caseworker")).post(edit_url(project), data)
    assert_form_errors(response, "ends_on")
    project.refresh_from_db()
    assert project.ends_on is None


def test_readers_cannot_edit(world, login, project):
    client = login(world.user("reader"))
    assert client.get(edit_url(project)).status_code == 403
    assert client.post(edit_url(project), VALID).status_code == 403
