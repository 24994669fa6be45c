"""Services and selectors of volunteers and their hours, against the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inka.cases.tests.factories import make_person
from inka.community import selectors, services
from inka.community.models import Project, ProjectKind, Session, Volunteer, VolunteerHours
from inka.core.models import AuditEntry


def make_project(site, actor, title="Nachbarschaftscafé"):
    return Project.objects.create(
        site=site, title=title, kind=ProjectKind.MEETING_PLACE, starts_on=date(2024, 1, 1), created_by=actor
    )


def make_session(project, held_on=date(2024, 6, 8), title=""):
    return Session.objects.create(project=project, held_on=held_on, title=title)


def make_volunteer(site, first_name="Renate", last_name="Vogel", **fields):
    fields.setdefault("since", date(2024, 1, 1))
    return Volunteer.objects.create(site=site, first_name=first_name, last_name=last_name, **fields)


@pytest.fixture
def actor(world):
    return world.user("caseworker")


# Volunteers


def test_volunteer_create_writes_an_audit_entry(world, actor):
    volunteer = services.volunteer_create(
        actor=actor,
        site=world.site_a,
        first_name="Renate",
        last_name="Vogel",
        skills="Backen\r\nRussisch",
        since=date(2024, 3, 1),
    )
    assert volunteer.skills == "Backen\nRussisch"
    entry = AuditEntry.objects.get(action="inka.volunteer.created")
    assert entry.site_id == world.site_a.pk
    assert entry.changes["last_name"] == [None, "Vogel"]


def test_a_volunteer_can_be_a_client_of_the_same_site_only_and_only_once(world, actor):
    here = make_person(world.site_a)
    elsewhere = make_person(world.site_b, "Sabine", "Kurz")
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(
            actor=actor,
            site=world.site_a,
            person=elsewhere,
            first_name="S",
            last_name="K",
            since=date(2024, 1, 1),
        )
    assert "person" in error.value.message_dict
    services.volunteer_create(
        actor=actor, site=world.site_a, person=here, first_name="J", last_name="M", since=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.volunteer_create(
            actor=actor, site=world.site_a, person=here, first_name="J", last_name="M", since=date(2024, 1, 1)
        )
    assert "person" in error.value.message_dict
    assert Volunteer.objects.count() == 1


def test_ending_the_engagement_before_it_began_is_refused(world, actor):
    volunteer = make_volunteer(world.site_a)
    with pytest.raises(ValidationError) as error:
        services.volunteer_update(actor=actor, volunteer=volunteer, until=date(2023, 12, 31))
    assert "until" in error.value.message_dict
    volunteer.refresh_from_db()
    assert volunteer.until is None
    services.volunteer_update(actor=actor, volunteer=volunteer, until=date(2024, 12, 31))
    entry = AuditEntry.objects.get(action="inka.volunteer.updated")
    assert entry.changes == {"until": [None, "2024-12-31"]}


# Hours


def test_hours_at_a_session_belong_to_its_project(world, actor):
    volunteer = make_volunteer(world.site_a)
    session = make_session(make_project(world.site_a, actor))
    entry = services.volunteer_hours_add(
        actor=actor, volunteer=volunteer, session=session, hours=Decimal("3.5")
    )
    assert entry.project == session.project
    assert entry.month is None
    assert AuditEntry.objects.filter(
        action="inka.volunteer.hours_added", object_id=str(volunteer.pk)
    ).exists()


@pytest.mark.parametrize(
    ("hours", "field"), [(Decimal(0), "hours"), (Decimal("-1"), "hours"), (Decimal("24.25"), "hours")]
)
def test_hours_at_a_session_are_more_than_0_and_at_most_24(world, actor, hours, field):
    volunteer = make_volunteer(world.site_a)
    session = make_session(make_project(world.site_a, actor))
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(actor=actor, volunteer=volunteer, session=session, hours=hours)
    assert field in error.value.message_dict
    assert not VolunteerHours.objects.exists()


def test_hours_of_a_month_are_at_most_744_and_not_in_the_future(world, actor):
    volunteer = make_volunteer(world.site_a)
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(
            actor=actor, volunteer=volunteer, month=date(2024, 5, 1), hours=Decimal(745)
        )
    assert "hours" in error.value.message_dict
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(actor=actor, volunteer=volunteer, month=next_month, hours=Decimal(2))
    assert "month" in error.value.message_dict
    entry = services.volunteer_hours_add(
        actor=actor, volunteer=volunteer, month=date(2024, 5, 17), hours=Decimal(744)
    )
    assert entry.month == date(2024, 5, 1)


def test_a_session_or_project_of_another_site_is_refused(world, actor):
    volunteer = make_volunteer(world.site_a)
    other_project = make_project(world.site_b, world.user("other_caseworker"))
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(
            actor=actor, volunteer=volunteer, session=make_session(other_project), hours=Decimal(2)
        )
    assert "session" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(
            actor=actor, volunteer=volunteer, month=date(2024, 5, 1), project=other_project, hours=Decimal(2)
        )
    assert "project" in error.value.message_dict
    assert not VolunteerHours.objects.exists()


def test_a_session_that_has_not_taken_place_or_was_counted_already_is_refused(world, actor):
    volunteer = make_volunteer(world.site_a)
    project = make_project(world.site_a, actor)
    later = make_session(project, held_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(actor=actor, volunteer=volunteer, session=later, hours=Decimal(2))
    assert "session" in error.value.message_dict
    session = make_session(project)
    services.volunteer_hours_add(actor=actor, volunteer=volunteer, session=session, hours=Decimal(2))
    with pytest.raises(ValidationError) as error:
        services.volunteer_hours_add(actor=actor, volunteer=volunteer, session=session, hours=Decimal(1))
    assert "session" in error.value.message_dict
    assert VolunteerHours.objects.count() == 1


def test_removing_hours_keeps_them_in_the_history(world, actor):
    volunteer = make_volunteer(world.site_a)
    entry = services.volunteer_hours_add(
        actor=actor, volunteer=volunteer, month=date(2024, 5, 1), hours=Decimal(6)
    )
    services.volunteer_hours_remove(actor=actor, entry=entry)
    assert not VolunteerHours.objects.exists()
    removed = AuditEntry.objects.get(action="inka.volunteer.hours_removed")
    assert removed.changes["hours"] == ["6.00", None]


def test_session_hours_set_replaces_the_hours_of_the_session(world, actor):
    session = make_session(make_project(world.site_a, actor))
    anna, bernd, clara = (make_volunteer(world.site_a, name, "Test") for name in ["Anna", "Bernd", "Clara"])
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, session=session, hours=Decimal(2), activity="Aufbau"
    )
    services.session_hours_set(
        actor=actor, session=session, hours={anna: Decimal(3), bernd: Decimal("1.5"), clara: None}
    )
    hours = dict(VolunteerHours.objects.filter(session=session).values_list("volunteer__first_name", "hours"))
    assert hours == {"Anna": Decimal(3), "Bernd": Decimal("1.5")}
    # What was done stays unless it is said anew.
    assert VolunteerHours.objects.get(volunteer=anna).activity == "Aufbau"
    entry = AuditEntry.objects.get(action="inka.volunteer.session_hours_set")
    assert entry.changes == {str(anna.pk): ["2.00", "3.00"], str(bernd.pk): [None, "1.50"]}
    services.session_hours_set(
        actor=actor, session=session, hours={anna: None, bernd: Decimal(2)}, activity="Kuchen"
    )
    assert list(VolunteerHours.objects.values_list("volunteer__first_name", "hours", "activity")) == [
        ("Bernd", Decimal(2), "Kuchen")
    ]


def test_session_hours_set_writes_nothing_when_one_value_is_wrong(world, actor):
    session = make_session(make_project(world.site_a, actor))
    anna, bernd = make_volunteer(world.site_a, "Anna"), make_volunteer(world.site_a, "Bernd")
    with pytest.raises(ValidationError) as error:
        services.session_hours_set(actor=actor, session=session, hours={anna: Decimal(3), bernd: Decimal(25)})
    assert list(error.value.message_dict) == [f"volunteer_{bernd.pk}"]
    assert not VolunteerHours.objects.exists()


# Selectors


def test_volunteer_list_totals_hours_in_all_and_in_the_year(world, actor):
    this_year = timezone.localdate().year
    project = make_project(world.site_a, actor)
    anna = make_volunteer(world.site_a, "Anna", "Adler")
    bernd = make_volunteer(world.site_a, "Bernd", "Berg", until=date(2024, 3, 1))
    make_volunteer(world.site_b, "Carl", "Cramer")
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, session=make_session(project, date(this_year, 1, 2)), hours=Decimal(2)
    )
    services.volunteer_hours_add(actor=actor, volunteer=anna, month=date(2024, 2, 1), hours=Decimal(10))
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, month=date(this_year, 1, 1), hours=Decimal("0.5")
    )
    services.volunteer_hours_add(actor=actor, volunteer=bernd, month=date(2024, 2, 1), hours=Decimal(4))
    rows = {v.first_name: v for v in selectors.volunteer_list(site_id=world.site_a.pk, active=None)}
    assert set(rows) == {"Anna", "Bernd"}
    assert rows["Anna"].total_hours == Decimal("12.5")
    assert rows["Anna"].year_hours == Decimal("2.5") + (Decimal(10) if this_year == 2024 else 0)
    assert rows["Bernd"].total_hours == Decimal(4)
    assert [v.first_name for v in selectors.volunteer_list(site_id=world.site_a.pk)] == ["Anna"]
    assert [v.first_name for v in selectors.volunteer_list(site_id=world.site_a.pk, active=False)] == [
        "Bernd"
    ]
    assert [
        v.first_name for v in selectors.volunteer_list(site_id=world.site_a.pk, active=None, q="ber")
    ] == ["Bernd"]


def test_volunteer_summary_totals_per_year_and_project(world, actor):
    cafe = make_project(world.site_a, actor, "Café")
    festival = make_project(world.site_a, actor, "Stadtteilfest")
    anna = make_volunteer(world.site_a, since=date(2023, 1, 1))
    services.volunteer_hours_add(
        actor=actor,
        volunteer=anna,
        session=make_session(festival, date(2024, 6, 8), "Sommerfest"),
        hours=Decimal(5),
    )
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, month=date(2023, 11, 1), project=cafe, hours=Decimal(8)
    )
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, month=date(2024, 1, 1), hours=Decimal(3), activity="Begleitung"
    )
    summary = selectors.volunteer_get_summary(volunteer=anna)
    assert summary.total == Decimal(16)
    assert summary.years == [(2024, Decimal(8)), (2023, Decimal(8))]
    assert [(line.project, line.hours, line.activities) for line in summary.projects] == [
        (cafe, Decimal(8), []),
        (festival, Decimal(5), ["Sommerfest"]),
        (None, Decimal(3), ["Begleitung"]),
    ]
    assert [entry.hours for entry in summary.entries] == [Decimal(5), Decimal(3), Decimal(8)]


def test_certificate_counts_the_hours_of_the_period(world, actor):
    festival = make_project(world.site_a, actor, "Stadtteilfest")
    anna = make_volunteer(world.site_a, since=date(2023, 1, 1))
    services.volunteer_hours_add(
        actor=actor, volunteer=anna, session=make_session(festival, date(2024, 6, 8)), hours=Decimal(5)
    )
    services.volunteer_hours_add(actor=actor, volunteer=anna, month=date(2024, 3, 1), hours=Decimal(7))
    services.volunteer_hours_add(actor=actor, volunteer=anna, month=date(2023, 3, 1), hours=Decimal(100))
    summary = selectors.volunteer_get_certificate(
        volunteer=anna, period_from=date(2024, 3, 15), period_to=date(2024, 6, 8)
    )
    assert summary.total == Decimal(12)
    assert (summary.first_day, summary.last_day) == (date(2024, 3, 1), date(2024, 6, 8))


def test_session_hours_offers_the_volunteers_engaged_that_day_and_those_with_hours(world, actor):
    session = make_session(make_project(world.site_a, actor), date(2024, 6, 8))
    engaged = make_volunteer(world.site_a, "Anna")
    ended = make_volunteer(world.site_a, "Bernd", until=date(2024, 5, 1))
    make_volunteer(world.site_a, "Clara", since=date(2024, 7, 1))
    make_volunteer(world.site_b, "Dora")
    late = make_volunteer(world.site_a, "Emil", since=date(2024, 7, 1))
    VolunteerHours.objects.create(volunteer=late, session=session, hours=Decimal(1), recorded_by=actor)
    volunteers, recorded = selectors.session_hours_volunteers(session=session)
    assert {v.first_name for v in volunteers} == {"Anna", "Emil"}
    assert ended not in volunteers
    assert engaged in volunteers
    assert list(recorded) == [late.pk]
