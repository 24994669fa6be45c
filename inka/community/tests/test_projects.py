"""Services and selectors of community projects, against the database; the figures of a project are
checked against a small fixture computed by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from inka.cases.models import Consent
from inka.cases.tests.factories import make_consent, make_partner, make_person
from inka.community import selectors, services
from inka.community.models import (
    Activation,
    ActivationKind,
    Attendance,
    AttendanceMode,
    Headcount,
    Project,
    ProjectKind,
    ProjectStatus,
    Session,
    Volunteer,
    VolunteerHours,
)
from inka.core.models import AuditEntry
from inka.core.scoping import SITE, SOCIAL

START = date(2024, 1, 1)


def make_project(site, actor, title="Nachbarschaftscafé Nordviertel", **fields):
    fields.setdefault("kind", ProjectKind.MEETING_PLACE)
    fields.setdefault("starts_on", START)
    return Project.objects.create(site=site, title=title, created_by=actor, **fields)


def make_session(project, held_on=date(2024, 3, 1), mode=AttendanceMode.HEADCOUNT, **fields):
    return Session.objects.create(project=project, held_on=held_on, attendance_mode=mode, **fields)


def make_community_consent(person, actor, **fields):
    return make_consent(person, actor, Consent.Purpose.COMMUNITY, **fields)


def headcount(session, cells):
    for (band, gender), count in cells.items():
        Headcount.objects.create(session=session, age_band=band, gender=gender, count=count)


@pytest.fixture
def actor(world):
    return world.user("caseworker")


# project_create / project_update


def test_project_create_saves_partners_and_writes_an_audit_entry(world, actor):
    partner = make_partner(world.site_a)
    project = services.project_create(
        actor=actor,
        site=world.site_a,
        partners=[partner],
        title="  Stadtteilfest 2024 ",
        kind=ProjectKind.FESTIVAL,
        goals="Nachbarn\r\nkennenlernen",
        starts_on=date(2024, 6, 15),
        ends_on=date(2024, 6, 15),
        budget=Decimal("5000"),
    )
    assert project.title == "Stadtteilfest 2024"
    assert project.goals == "Nachbarn\nkennenlernen"
    assert project.created_by == actor
    assert list(project.partners.all()) == [partner]
    entry = AuditEntry.objects.get(action="inka.community.project.created")
    assert entry.site_id == world.site_a.pk
    assert entry.changes["partners"] == [None, [partner.pk]]
    assert entry.changes["budget"] == [None, "5000"]


def test_project_create_refuses_partners_of_another_sites_list(world, actor):
    elsewhere = make_partner(world.site_b, "Tafel Gera", kind="association")
    with pytest.raises(ValidationError) as error:
        services.project_create(
            actor=actor,
            site=world.site_a,
            partners=[elsewhere],
            title="Tafelfest",
            kind=ProjectKind.FESTIVAL,
            starts_on=START,
        )
    assert "partners" in error.value.message_dict
    assert not Project.objects.exists()


def test_project_create_refuses_an_end_before_the_start(world, actor):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            actor=actor,
            site=world.site_a,
            title="Frühjahrsputz",
            kind=ProjectKind.CLEAN_UP,
            starts_on=date(2024, 4, 6),
            ends_on=date(2024, 4, 5),
        )
    assert "ends_on" in error.value.message_dict
    assert not Project.objects.exists()


def test_project_create_refuses_unknown_fields(world, actor):
    with pytest.raises(TypeError):
        services.project_create(actor=actor, site=world.site_a, title="X", starts_on=START, site_id=2)


def test_project_update_records_what_changed_and_replaces_the_partners(world, actor):
    first = make_partner(world.site_a, "Wohnungsgesellschaft Altenburg", kind="housing")
    second = make_partner(world.site_a, "Tafel Altenburg", kind="association")
    project = make_project(world.site_a, actor)
    project.partners.set([first])
    services.project_update(
        actor=actor, project=project, partners=[second], status=ProjectStatus.RUNNING, title=project.title
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.RUNNING
    assert list(project.partners.all()) == [second]
    entry = AuditEntry.objects.get(action="inka.community.project.updated")
    assert entry.changes == {"partners": [[first.pk], [second.pk]], "status": ["planned", "running"]}
    services.project_update(actor=actor, project=project, title=project.title)
    assert AuditEntry.objects.filter(action="inka.community.project.updated").count() == 1


def test_the_period_cannot_shrink_below_a_session(world, actor):
    project = make_project(world.site_a, actor)
    make_session(project, held_on=date(2024, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.project_update(actor=actor, project=project, starts_on=date(2024, 3, 2))
    assert "01.03.2024" in error.value.message_dict["starts_on"][0]
    with pytest.raises(ValidationError) as error:
        services.project_update(actor=actor, project=project, starts_on=START, ends_on=date(2024, 2, 29))
    assert "ends_on" in error.value.message_dict
    assert Project.objects.get().ends_on is None


# project_list


def test_project_list_counts_sessions_and_attendance_without_multiplying(world, actor):
    project = make_project(world.site_a, actor)
    first = make_session(project)
    headcount(first, {("18-29", "f"): 4, ("65+", "m"): 3, ("", ""): 10})
    second = make_session(project, held_on=date(2024, 3, 8), mode=AttendanceMode.NAMED)
    for name in ["Anna", "Bernd"]:
        Attendance.objects.create(session=second, person=make_person(world.site_a, name, "Kühn"))
    make_session(project, held_on=date(2024, 3, 15))
    make_project(world.site_b, world.user("other_caseworker"), title="Fest in Gera")
    [row] = selectors.project_list(site_ids=[world.site_a.pk])
    assert (row.session_count, row.headcount_total, row.named_total, row.attendance_total) == (3, 17, 2, 19)


def test_project_list_filters(world, actor):
    cafe = make_project(world.site_a, actor, status=ProjectStatus.RUNNING, goals="Begegnung im Viertel")
    festival = make_project(
        world.site_a,
        actor,
        title="Stadtteilfest 2025",
        kind=ProjectKind.FESTIVAL,
        starts_on=date(2025, 6, 14),
        ends_on=date(2025, 6, 14),
    )
    old = make_project(
        world.site_a, actor, title="Frühjahrsputz 2023", starts_on=date(2023, 4, 1), ends_on=date(2023, 4, 1)
    )

    def titles(**filters):
        return {p.title for p in selectors.project_list(site_ids=[world.site_a.pk], **filters)}

    assert titles() == {cafe.title, festival.title, old.title}
    assert titles(status=ProjectStatus.RUNNING) == {cafe.title}
    assert titles(kind=ProjectKind.FESTIVAL) == {festival.title}
    # A year shows the projects that ran in it; an ongoing project runs in every year since its start.
    assert titles(year=2025) == {cafe.title, festival.title}
    assert titles(year=2023) == {old.title}
    assert titles(q="begegnung") == {cafe.title}
    assert titles(q="fest 2025") == {festival.title}


# project_get_figures, computed by hand


@pytest.fixture
def figures_fixture(world, actor):
    """A project with a headcount session, a named session, a planned session, volunteering and an
    activation; the expected figures are written out in the tests."""
    today = timezone.localdate()
    project = make_project(world.site_a, actor, budget=Decimal("1000"), spent=Decimal("250"))
    counted = make_session(project, held_on=date(2024, 3, 1))
    headcount(counted, {("18-29", "f"): 4, ("18-29", "m"): 2, ("65+", "f"): 5, ("", ""): 10})
    named = make_session(project, held_on=date(2024, 4, 1), mode=AttendanceMode.NAMED)
    people = [
        make_person(world.site_a, "Olga", "Iwanowa", birth_date=date(1990, 4, 2), gender="f"),  # 33: 30-44
        make_person(world.site_a, "Jonas", "Beck", birth_date=date(2006, 4, 1), gender="m"),  # 18 today
        make_person(world.site_a, "Mika", "Graf", birth_date=date(2006, 4, 2), gender="x"),  # still 17
        make_person(world.site_a, "Kim", "Roth", birth_date=None, gender=""),  # unknown, unknown
    ]
    for person in people:
        Attendance.objects.create(session=named, person=person)
    make_session(project, held_on=today + timedelta(days=7))
    other = make_project(world.site_a, actor, title="Anderes Projekt")
    helper = Volunteer.objects.create(site=world.site_a, first_name="Renate", last_name="Vogel", since=START)
    second = Volunteer.objects.create(site=world.site_a, first_name="Uwe", last_name="Lenz", since=START)
    VolunteerHours.objects.create(
        volunteer=helper, session=counted, project=project, hours=Decimal("3.5"), recorded_by=actor
    )
    VolunteerHours.objects.create(
        volunteer=second, project=project, month=date(2024, 3, 1), hours=Decimal("2"), recorded_by=actor
    )
    VolunteerHours.objects.create(
        volunteer=second, project=other, month=date(2024, 4, 1), hours=Decimal("9"), recorded_by=actor
    )
    Activation.objects.create(
        site=world.site_a,
        occurred_on=date(2024, 5, 1),
        kind=ActivationKind.TOOK_OVER_TASK,
        residents=3,
        description="Drei Bewohnerinnen bereiten das Café jetzt selbst vor.",
        project=project,
        recorded_by=actor,
    )
    return project


UNKNOWN = ""
EXPECTED_ROWS = {  # age band: [female, male, diverse, unknown], total
    "0-17": ([0, 0, 1, 0], 1),
    "18-29": ([4, 3, 0, 0], 7),
    "30-44": ([1, 0, 0, 0], 1),
    "45-54": ([0, 0, 0, 0], 0),
    "55-64": ([0, 0, 0, 0], 0),
    "65+": ([5, 0, 0, 0], 5),
    UNKNOWN: ([0, 0, 0, 11], 11),
}


def test_project_figures_by_hand(figures_fixture):
    figures = selectors.project_get_figures(project=figures_fixture)
    assert (figures.sessions_held, figures.sessions_planned) == (2, 1)
    assert figures.attendance_total == 21 + 4
    rows = dict(zip(selectors.AGE_BAND_ROWS, figures.table.rows, strict=True))
    for band, (cells, total) in EXPECTED_ROWS.items():
        assert (rows[band][1], rows[band][2]) == (cells, total), band
    assert figures.table.column_totals == [10, 3, 1, 11]
    assert figures.table.grand_total == 25
    # The latest session first; the planned one has nothing recorded.
    assert [(row.recorded, row.attendance) for row in figures.sessions] == [
        (False, None),
        (True, 4),
        (True, 21),
    ]
    assert (figures.volunteer_hours, figures.volunteers) == (Decimal("5.5"), 2)
    assert [a.residents for a in figures.activations] == [3]
    assert figures.activation_residents == 3
    assert figures.budget_share == 25


def test_project_figures_take_a_few_queries(figures_fixture):
    with CaptureQueriesContext(connection) as queries:
        selectors.project_get_figures(project=figures_fixture)
    assert len(queries) <= 5


def test_suppressed_figures_hide_small_counts_and_what_would_reveal_them(figures_fixture):
    plain = selectors.project_get_figures(project=figures_fixture)
    hidden = selectors.project_get_figures(project=figures_fixture, suppress_below=3)
    shown = hidden_count = 0
    for (_, true_cells, true_total), (_, cells, total) in zip(
        plain.table.rows, hidden.table.rows, strict=True
    ):
        for true, cell in zip([*true_cells, true_total], [*cells, total], strict=True):
            if cell is None:
                hidden_count += 1
            else:
                shown += 1
                # An age band nobody was in is shown as zeros: its total 0 gives them away anyway.
                assert cell == true and (cell >= 3 or total == 0)
    assert shown and hidden_count
    assert [hidden.table.rows[band][1:] for band in (3, 4)] == [([0, 0, 0, 0], 0)] * 2  # 45-54, 55-64
    # One hidden cell in a row would be the row total minus the others: never exactly one.
    for _, cells, total in hidden.table.rows:
        assert [*cells, total].count(None) != 1
    # Per-session figures share the grand total with the table and are suppressed with it.
    assert [row.attendance for row in hidden.sessions if row.recorded] == [4, 21]
    assert hidden.attendance_total == 25
    # Two volunteers: their hours are theirs.
    assert (hidden.volunteer_hours, hidden.volunteers) == (None, None)


def test_named_participants_count_for_viewers_without_access_to_persons(figures_fixture, world):
    """The coordination's scope holds no person-level data; the figures still count the named."""
    with scope(**{SITE: [world.site_a.pk], SOCIAL: []}):
        project = Project.objects.get(pk=figures_fixture.pk)
        figures = selectors.project_get_figures(project=project, suppress_below=3)
        assert figures.attendance_total == 25
        row = selectors.project_list(site_ids=[world.site_a.pk]).get(pk=project.pk)
        assert row.attendance_total == 25


def test_project_participants_count_their_sessions(figures_fixture, world, actor):
    person = figures_fixture.sessions.get(attendance_mode=AttendanceMode.NAMED).attendances.first().person
    later = make_session(figures_fixture, held_on=date(2024, 4, 8), mode=AttendanceMode.NAMED)
    Attendance.objects.create(session=later, person=person)
    elsewhere = make_session(make_project(world.site_a, actor, title="Anders"), mode=AttendanceMode.NAMED)
    Attendance.objects.create(session=elsewhere, person=person)
    counts = {p.pk: p.sessions_attended for p in selectors.project_participants(project=figures_fixture)}
    assert len(counts) == 4
    assert counts[person.pk] == 2


def test_hide_below():
    assert selectors.hide_below(2, 3) is None
    assert selectors.hide_below(3, 3) == 3
    assert selectors.hide_below(0, None) == 0
