"""The neighbourhood-work indicators, counted on a small fixed data set with hand-computed values.

"Today" is 15 August 2025: the periods are the years 2021–2025, the quarters of 2024 and of 2025 up
to Q3 (which ends today) and the comparison of 2025-Q1-Q2 with 2024-Q1-Q2.
"""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inka.cases.tests.factories import make_person
from inka.community.models import (
    Activation,
    ActivationKind,
    Attendance,
    Headcount,
    OutreachRound,
    Project,
    ProjectKind,
    ProjectStatus,
    Session,
    Volunteer,
    VolunteerHours,
)
from inka.monitoring.figures import Figures, exact_figures
from inka.programme.models import Site

TODAY = date(2025, 8, 15)
CODES = [
    "community.projects",
    "community.sessions",
    "community.attendance",
    "community.volunteers",
    "community.volunteer_hours",
    "community.activations",
    "outreach.rounds",
    "outreach.conversations",
]


def project(site: Any, user: Any, starts_on: date, ends_on: date | None = None, **fields: Any) -> Project:
    fields.setdefault("status", ProjectStatus.RUNNING)
    return Project.objects.create(
        site=site,
        title=f"Projekt ab {starts_on}",
        kind=ProjectKind.MEETING_PLACE,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        **fields,
    )


def session(of: Project, held_on: date, *cells: tuple[str, str, int], named: Any = ()) -> Session:
    """A session with headcount cells (age band, gender, people) and named participants."""
    held = Session.objects.create(project=of, held_on=held_on)
    for band, gender, people in cells:
        Headcount.objects.create(session=held, age_band=band, gender=gender, count=people)
    for person in named:
        Attendance.objects.create(session=held, person=person)
    return held


def hours(volunteer: Volunteer, amount: str, user: Any, **when: Any) -> None:
    VolunteerHours.objects.create(volunteer=volunteer, hours=Decimal(amount), recorded_by=user, **when)


def volunteer(site: Any, name: str) -> Volunteer:
    return Volunteer.objects.create(site=site, first_name=name, last_name="Helfer", since=date(2023, 1, 1))


def activation(site: Any, day: date, kind: str, user: Any) -> None:
    Activation.objects.create(site=site, occurred_on=day, kind=kind, description="…", recorded_by=user)


def outreach(site: Any, day: date, conversations: int, user: Any) -> None:
    OutreachRound.objects.create(
        site=site, held_on=day, area="Marktplatz", conversations=conversations, recorded_by=user
    )


@pytest.fixture
def data(world):
    a, b, user = world.site_a, world.site_b, world.user("caseworker")
    # Projects: one ending on the last day of 2024-Q2, one beginning on the first day of Q3.
    first = project(a, user, date(2024, 1, 10), date(2024, 6, 30), status=ProjectStatus.COMPLETED)
    second = project(a, user, date(2024, 7, 1))
    project(a, user, date(2024, 2, 1), status=ProjectStatus.CANCELLED)
    project(a, user, date(2025, 9, 1), status=ProjectStatus.PLANNED)  # begins after today
    other = project(b, user, date(2023, 3, 1), date(2025, 1, 15))

    # Attendance. Anna turns 30 on the day of the second session, Bernd is 29 on it; Chris has neither
    # a birth date nor a gender recorded.
    anna = make_person(a, "Anna", "Albrecht", gender="f", birth_date=date(1994, 6, 30))
    bernd = make_person(a, "Bernd", "Bauer", gender="m", birth_date=date(1994, 7, 1))
    chris = make_person(a, "Chris", "Claus", gender="", birth_date=None)
    s1 = session(first, date(2024, 3, 5), ("18-29", "f", 4), ("", "", 2))
    s2 = session(first, date(2024, 6, 30), ("65+", "m", 1), named=[anna, bernd, chris])
    s3 = session(second, date(2025, 8, 20), ("0-17", "f", 10))  # after today: not held yet
    session(second, date(2025, 2, 10), ("0-17", "m", 3), named=[anna])
    session(other, date(2024, 4, 1), ("45-54", "x", 5))

    # Volunteer hours: for a session (dated by the session) or for a month (dated by its first day).
    v1, v2, v3 = volunteer(a, "Vera"), volunteer(a, "Volker"), volunteer(b, "Viktor")
    hours(v1, "2.5", user, session=s1)
    hours(v1, "10", user, month=date(2024, 6, 1))
    hours(v2, "1.25", user, session=s2)
    hours(v2, "4", user, month=date(2024, 7, 1))
    hours(v1, "3", user, session=s3)  # the session is still to come
    hours(v2, "6", user, month=date(2025, 8, 1))  # this month: counts already
    hours(v3, "5", user, month=date(2025, 1, 1))

    activation(a, date(2024, 5, 5), ActivationKind.TOOK_OVER_TASK, user)
    activation(a, date(2024, 5, 20), ActivationKind.FOUNDED_GROUP, user)
    activation(a, date(2025, 3, 1), ActivationKind.TOOK_OVER_TASK, user)
    activation(b, date(2024, 12, 31), ActivationKind.ORGANISED_EVENT, user)

    outreach(a, date(2024, 3, 31), 7, user)
    outreach(a, date(2024, 4, 1), 3, user)
    outreach(a, TODAY, 2, user)
    outreach(b, date(2024, 9, 10), 4, user)
    figures = exact_figures(site_ids=[a.pk, b.pk], today=TODAY, codes=CODES)
    return SimpleNamespace(a=a.pk, b=b.pk, figures=figures)


def numbers(figures: Figures, code: str, site: int | None, periods: list[str], **by: Any) -> list[Any]:
    return [figures.number(code, site, period, **by) for period in periods]


YEARS = ["2023", "2024", "2025"]
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
SPANS = ["2024-Q1-Q2", "2025-Q1-Q2"]


def test_projects_overlapping_each_period(data):
    f = data.figures
    # The first project ends on 30 June 2024, the second begins on 1 July: each quarter has one;
    # the cancelled one never counts, the planned one begins after today.
    assert numbers(f, "community.projects", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "community.projects", data.a, QUARTERS) == [1, 1, 1, 1, 1, 1, 1]
    assert numbers(f, "community.projects", data.a, SPANS) == [1, 1]
    assert numbers(f, "community.projects", data.b, ["2022", *YEARS, "2025-Q1", "2025-Q2"]) == [
        0,
        1,
        1,
        1,
        1,
        0,
    ]
    assert f.number("community.projects", None, "2024") == 3


def test_sessions_held_up_to_today(data):
    f = data.figures
    assert numbers(f, "community.sessions", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "community.sessions", data.a, QUARTERS) == [1, 1, 0, 0, 1, 0, 0]
    assert numbers(f, "community.sessions", data.a, SPANS) == [2, 1]
    assert numbers(f, "community.sessions", data.b, YEARS) == [0, 1, 0]


def test_attendance_counted_and_named(data):
    f = data.figures
    # 2024: 4 + 2 counted at the first session, 1 counted and 3 named at the second.
    assert numbers(f, "community.attendance", data.a, YEARS) == [0, 10, 4]
    assert numbers(f, "community.attendance", data.a, QUARTERS) == [6, 4, 0, 0, 4, 0, 0]
    assert numbers(f, "community.attendance", data.a, SPANS) == [10, 4]
    assert f.number("community.attendance", None, "2024") == 15


@pytest.mark.parametrize(
    ("by", "site", "period", "expected"),
    [
        ("gender", "a", "2024", {"f": 5, "m": 2, "x": 0, "": 3}),
        ("gender", "a", "2025", {"f": 1, "m": 3, "x": 0, "": 0}),
        ("gender", "b", "2024", {"f": 0, "m": 0, "x": 5, "": 0}),
        # Anna is 30 on the day of the session (her birthday), Bernd still 29.
        ("age_band", "a", "2024", {"0-17": 0, "18-29": 5, "30-44": 1, "65+": 1, "": 3}),
        ("age_band", "a", "2025", {"0-17": 3, "18-29": 0, "30-44": 1, "65+": 0, "": 0}),
        ("age_band", "b", "2024-Q2", {"45-54": 5, "": 0}),
    ],
)
def test_attendance_by_gender_and_age_band(data, by, site, period, expected):
    site_id = getattr(data, site)
    found = {
        value: data.figures.number("community.attendance", site_id, period, by=by, value=value)
        for value in expected
    }
    assert found == expected


def test_volunteers_with_hours_in_the_period(data):
    f = data.figures
    # Vera's hours for the session of 20 August 2025 do not count yet; Volker's for August do.
    assert numbers(f, "community.volunteers", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "community.volunteers", data.a, QUARTERS) == [1, 2, 1, 0, 0, 0, 1]
    assert numbers(f, "community.volunteers", data.a, SPANS) == [2, 0]
    assert numbers(f, "community.volunteers", data.b, YEARS) == [0, 0, 1]


def test_volunteer_hours_of_sessions_and_months(data):
    f = data.figures
    assert numbers(f, "community.volunteer_hours", data.a, YEARS) == [0, Decimal("17.75"), Decimal("6")]
    assert numbers(f, "community.volunteer_hours", data.a, QUARTERS) == [
        Decimal("2.5"),  # the session of 5 March
        Decimal("11.25"),  # June's 10 hours and the session of 30 June
        Decimal("4"),  # July
        0,
        0,
        0,
        Decimal("6"),  # August 2025 (this month)
    ]
    assert numbers(f, "community.volunteer_hours", data.a, SPANS) == [Decimal("13.75"), 0]
    assert f.number("community.volunteer_hours", None, "2025") == Decimal("11")


def test_activations_by_kind(data):
    f = data.figures
    assert numbers(f, "community.activations", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "community.activations", data.b, ["2024-Q4", "2025-Q1"]) == [1, 0]
    by = {"by": "activation_kind"}
    assert f.number("community.activations", data.a, "2024", **by, value=ActivationKind.TOOK_OVER_TASK) == 1
    assert f.number("community.activations", data.a, "2024", **by, value=ActivationKind.FOUNDED_GROUP) == 1
    assert f.number("community.activations", data.a, "2025", **by, value=ActivationKind.TOOK_OVER_TASK) == 1
    assert f.number("community.activations", data.b, "2024", **by, value=ActivationKind.ORGANISED_EVENT) == 1
    assert f.number("community.activations", data.a, "2025", **by, value=ActivationKind.FOUNDED_GROUP) == 0


def test_outreach_rounds_and_conversations(data):
    f = data.figures
    # The rounds of 31 March and 1 April 2024 fall on both sides of a quarter's end; today's counts.
    assert numbers(f, "outreach.rounds", data.a, QUARTERS) == [1, 1, 0, 0, 0, 0, 1]
    assert numbers(f, "outreach.conversations", data.a, QUARTERS) == [7, 3, 0, 0, 0, 0, 2]
    assert numbers(f, "outreach.rounds", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "outreach.conversations", data.a, YEARS) == [0, 10, 2]
    assert numbers(f, "outreach.conversations", data.b, YEARS) == [0, 4, 0]


def _community_rows(site: Any, user: Any, rows: int) -> None:
    """`rows` of each kind of record at `site`, in different months."""
    for index in range(rows):
        day = date(2024, 1 + index % 12, 1 + index % 28)
        running = project(site, user, day)
        held = session(
            running, day, ("18-29", "f", 2), named=[make_person(site, f"P{index}", "Q", gender="m")]
        )
        hours(volunteer(site, f"V{index}"), "1", user, session=held)
        hours(volunteer(site, f"W{index}"), "2", user, month=day.replace(day=1))
        activation(site, day, ActivationKind.OTHER, user)
        outreach(site, day, 3, user)


def _queries(site_ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        exact_figures(site_ids=site_ids, today=TODAY, codes=CODES)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_sites_and_records(world, site_count):
    user = world.user("caseworker")
    for site in Site.objects.all():
        _community_rows(site, user, 1)
    two = _queries(list(Site.objects.values_list("pk", flat=True)))
    site_count(5)
    for site in Site.objects.all():
        _community_rows(site, user, 4)
    five = _queries(list(Site.objects.values_list("pk", flat=True)))
    assert five == two
    # One query per indicator and breakdown (attendance: 2, activations: 1), and attendance asks
    # for counted and named guests apart.
    assert two == (8 + 2 + 1) + (1 + 2)
