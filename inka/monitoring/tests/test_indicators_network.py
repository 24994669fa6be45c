"""The network and steering indicators, counted on a small fixed data set with hand-computed values.

"Today" is 15 August 2025: the periods are the years 2021–2025, the quarters of 2024 and of 2025 up
to Q3 (which ends today) and the comparison of 2025-Q1-Q2 with 2024-Q1-Q2.
"""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inka.monitoring.figures import Figures, exact_figures
from inka.network.models import (
    ActivityKind,
    Agreement,
    AgreementKind,
    NetworkActivity,
    Partner,
    PartnerKind,
    SitePartner,
    SurveyAnswer,
    SurveyResponse,
    SurveyWave,
)
from inka.network.tests.survey_fixtures import items_of, small_instrument
from inka.programme.models import Site
from inka.steering.models import ActionItem, ActionStatus, Meeting, MeetingStatus, Member, SteeringGroup

TODAY = date(2025, 8, 15)
CODES = [
    "partners.active",
    "partners.new",
    "agreements.active",
    "network.activities",
    "steering.meetings",
    "steering.actions_done",
    "survey.index",
]
YEARS = ["2023", "2024", "2025"]
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
SPANS = ["2024-Q1-Q2", "2025-Q1-Q2"]


def link(site: Any, name: str, kind: str, since: date | None, *, active: bool = True) -> Partner:
    partner = Partner.objects.create(name=name, kind=kind, town="Altenburg", is_active=active)
    SitePartner.objects.create(site=site, partner=partner, since=since)
    return partner


def agreement(
    site: Any, partner: Partner, starts_on: date, ends_on: date | None = None, **fields: Any
) -> Agreement:
    return Agreement.objects.create(
        site=site,
        partner=partner,
        kind=AgreementKind.COOPERATION,
        title="Kooperation",
        signed_on=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )


def activity(site: Any, day: date, kind: str) -> None:
    NetworkActivity.objects.create(site=site, kind=kind, title="Netzwerktreffen", held_on=day)


def meeting(group: SteeringGroup, day: date, status: str = MeetingStatus.HELD) -> Meeting:
    return Meeting.objects.create(group=group, held_on=day, status=status, minutes="Protokoll")


def item(of: Meeting, owner: Member, status: str, done_on: date | None = None) -> None:
    ActionItem.objects.create(
        meeting=of, title="Aufgabe", owner=owner, due_on=of.held_on, status=status, done_on=done_on
    )


def steering(site: Any) -> tuple[SteeringGroup, Member]:
    group = SteeringGroup.objects.create(site=site, name=f"Steuerungsgruppe {site.code}")
    return group, Member.objects.create(
        group=group, name="Petra Schubert", organisation="Stadt", role="municipality"
    )


def wave(site: Any, year: int, instrument: Any, opens_on: date, closes_on: date, *responses: tuple) -> None:
    """A survey wave with responses, each (a1, a2, b1) of the small questionnaire (None: no answer)."""
    held = SurveyWave.objects.create(
        site=site, instrument=instrument, year=year, opens_on=opens_on, closes_on=closes_on
    )
    for values in responses:
        response = SurveyResponse.objects.create(wave=held)
        for question, value in zip(items_of(instrument), values, strict=True):
            SurveyAnswer.objects.create(response=response, item=question, value=value)


@pytest.fixture
def data(world):
    a, b = world.site_a, world.site_b
    # Partners of site A: cooperation beginning on the last day of 2024-Q1 and on the first of Q2;
    # one without a start, put on the list on 5 November 2024; one that no longer exists; one to come.
    jobcenter = link(a, "Jobcenter Altenburger Land", PartnerKind.JOBCENTER, date(2024, 3, 31))
    housing = link(a, "Wohnungsgesellschaft Nord", PartnerKind.HOUSING, date(2024, 4, 1))
    link(a, "Schuldnerberatung", PartnerKind.DEBT_COUNSELLING, None)
    SitePartner.objects.filter(partner__name="Schuldnerberatung").update(
        created_at=datetime(2024, 11, 5, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    )
    link(a, "Alter Verein", PartnerKind.OTHER, date(2023, 1, 1), active=False)
    link(a, "Neues Jobcenter", PartnerKind.JOBCENTER, date(2025, 9, 1))
    SitePartner.objects.create(site=b, partner=jobcenter, since=date(2022, 6, 15))

    # Agreements of site A: one for 2024 renewed from 1 January 2025; one ending on the last day of
    # 2024-Q3; an open-ended one renewed by one that runs from 1 July 2024 to 30 June 2025.
    renewal = agreement(a, jobcenter, date(2025, 1, 1))
    agreement(a, jobcenter, date(2024, 1, 1), date(2024, 12, 31), renewed_by=renewal)
    agreement(a, housing, date(2024, 2, 1), date(2024, 9, 30))
    follow_up = agreement(a, housing, date(2024, 7, 1), date(2025, 6, 30))
    agreement(a, housing, date(2023, 5, 1), renewed_by=follow_up)
    agreement(b, jobcenter, date(2024, 5, 1))

    activity(a, date(2024, 1, 15), ActivityKind.MEETING)
    activity(a, date(2024, 3, 31), ActivityKind.WORKING_GROUP)
    activity(a, date(2024, 4, 1), ActivityKind.MEETING)
    activity(a, TODAY, ActivityKind.EVENT)
    activity(b, date(2025, 2, 2), ActivityKind.JOINT_PROJECT)

    group_a, member_a = steering(a)
    group_b, member_b = steering(b)
    first = meeting(group_a, date(2024, 3, 31))
    meeting(group_a, date(2024, 6, 10), MeetingStatus.PLANNED)
    meeting(group_a, date(2024, 9, 1), MeetingStatus.CANCELLED)
    latest = meeting(group_a, date(2025, 2, 1))
    other = meeting(group_b, date(2024, 11, 11))
    item(first, member_a, ActionStatus.DONE, date(2024, 6, 30))
    item(first, member_a, ActionStatus.DONE, date(2024, 7, 1))
    item(first, member_a, ActionStatus.DROPPED)
    item(first, member_a, ActionStatus.OPEN)
    item(latest, member_a, ActionStatus.DONE, TODAY)
    item(other, member_b, ActionStatus.DONE, date(2024, 12, 1))

    # Survey: 2024 the worked example of index.py (58.75, shown 58.8); 2025 still open with one
    # response; 2023 without any answer. Site B: only a1 answered with 2 → dimension A 25, B none.
    instrument = small_instrument()
    wave(a, 2023, instrument, date(2023, 10, 1), date(2023, 10, 31))
    wave(a, 2024, instrument, date(2024, 10, 1), date(2024, 10, 31), (5, 3, 2), (4, None, 3))
    wave(a, 2025, instrument, date(2025, 8, 1), date(2025, 9, 30), (5, 5, 5))
    wave(b, 2024, instrument, date(2024, 11, 1), date(2025, 1, 31), (2, None, None))

    figures = exact_figures(site_ids=[a.pk, b.pk], today=TODAY, codes=CODES)
    return SimpleNamespace(a=a.pk, b=b.pk, figures=figures)


def numbers(figures: Figures, code: str, site: int | None, periods: list[str], **by: Any) -> list[Any]:
    return [figures.number(code, site, period, **by) for period in periods]


def test_active_partners_on_the_last_day(data):
    f = data.figures
    # The inactive partner never counts, the one from September 2025 not yet; the link without a
    # start counts from the day it was put on the list.
    assert numbers(f, "partners.active", data.a, YEARS) == [0, 3, 3]
    assert numbers(f, "partners.active", data.a, QUARTERS) == [1, 2, 2, 3, 3, 3, 3]
    assert numbers(f, "partners.active", data.a, SPANS) == [2, 3]
    assert numbers(f, "partners.active", data.b, ["2021", "2022", "2025"]) == [0, 1, 1]
    assert f.number("partners.active", None, "2024") == 4


def test_active_partners_by_kind(data):
    f, by = data.figures, {"by": "partner_kind"}
    assert f.number("partners.active", data.a, "2024-Q2", **by, value=PartnerKind.JOBCENTER) == 1
    assert f.number("partners.active", data.a, "2024-Q2", **by, value=PartnerKind.HOUSING) == 1
    assert f.number("partners.active", data.a, "2024-Q2", **by, value=PartnerKind.DEBT_COUNSELLING) == 0
    assert f.number("partners.active", data.a, "2024", **by, value=PartnerKind.DEBT_COUNSELLING) == 1
    assert f.number("partners.active", data.a, "2025", **by, value=PartnerKind.JOBCENTER) == 1
    assert f.number("partners.active", data.a, "2025", **by, value=PartnerKind.OTHER) == 0
    assert f.number("partners.active", None, "2024", **by, value=PartnerKind.JOBCENTER) == 2


def test_new_partners_by_the_day_cooperation_began(data):
    f, by = data.figures, {"by": "partner_kind"}
    assert numbers(f, "partners.new", data.a, YEARS) == [1, 3, 0]
    assert numbers(f, "partners.new", data.a, QUARTERS) == [1, 1, 0, 1, 0, 0, 0]
    assert numbers(f, "partners.new", data.b, ["2022", "2023"]) == [1, 0]
    # Breakdowns are counted for this year and last year only.
    assert f.number("partners.new", data.a, "2023", **by, value=PartnerKind.OTHER) == 0
    assert f.number("partners.new", data.a, "2024-Q1", **by, value=PartnerKind.JOBCENTER) == 1
    assert f.number("partners.new", data.a, "2024-Q2", **by, value=PartnerKind.HOUSING) == 1
    assert f.number("partners.new", data.a, "2024-Q4", **by, value=PartnerKind.DEBT_COUNSELLING) == 1
    assert f.number("partners.new", data.a, "2024", **by, value=PartnerKind.HOUSING) == 1


def test_agreements_in_force_on_the_last_day(data):
    f = data.figures
    # One ending on the period's last day still counts; a renewed one gives way on the day its
    # follow-up begins (the open-ended one on 1 July 2024, the one for 2024 on 1 January 2025).
    assert numbers(f, "agreements.active", data.a, YEARS) == [1, 2, 1]
    assert numbers(f, "agreements.active", data.a, QUARTERS) == [3, 3, 3, 2, 2, 2, 1]
    assert numbers(f, "agreements.active", data.a, SPANS) == [3, 2]
    assert numbers(f, "agreements.active", data.b, YEARS) == [0, 1, 1]


def test_network_activities_by_kind(data):
    f, by = data.figures, {"by": "activity_kind"}
    assert numbers(f, "network.activities", data.a, YEARS) == [0, 3, 1]
    assert numbers(f, "network.activities", data.a, QUARTERS) == [2, 1, 0, 0, 0, 0, 1]
    assert numbers(f, "network.activities", data.b, ["2025-Q1"]) == [1]
    assert f.number("network.activities", data.a, "2024", **by, value=ActivityKind.MEETING) == 2
    assert f.number("network.activities", data.a, "2024", **by, value=ActivityKind.WORKING_GROUP) == 1
    assert f.number("network.activities", data.a, "2025", **by, value=ActivityKind.EVENT) == 1
    assert f.number("network.activities", data.b, "2025", **by, value=ActivityKind.JOINT_PROJECT) == 1


def test_steering_meetings_with_minutes(data):
    f = data.figures
    # The planned and the cancelled meeting do not count.
    assert numbers(f, "steering.meetings", data.a, YEARS) == [0, 1, 1]
    assert numbers(f, "steering.meetings", data.a, QUARTERS) == [1, 0, 0, 0, 1, 0, 0]
    assert numbers(f, "steering.meetings", data.b, ["2024-Q4"]) == [1]


def test_action_items_done_by_their_done_date(data):
    f = data.figures
    # Done on the last day of 2024-Q2, the first of Q3 and today; dropped and open ones do not count.
    assert numbers(f, "steering.actions_done", data.a, YEARS) == [0, 2, 1]
    assert numbers(f, "steering.actions_done", data.a, QUARTERS) == [0, 1, 1, 0, 0, 0, 1]
    assert numbers(f, "steering.actions_done", data.a, SPANS) == [1, 0]
    assert numbers(f, "steering.actions_done", data.b, YEARS) == [0, 1, 0]


def test_survey_index_of_the_wave_of_each_year(data):
    f = data.figures
    # 2023 has a wave without answers; 2025's wave is still open and counts with its answer so far.
    assert numbers(f, "survey.index", data.a, ["2022", *YEARS]) == [0, 0, Decimal("58.8"), Decimal("100.0")]
    assert f.number("survey.index", data.b, "2024") == Decimal("25.0")
    # Only for years: quarters and the comparison span have none.
    assert numbers(f, "survey.index", data.a, [*QUARTERS, *SPANS]) == [0] * 9


def _network_rows(site: Any, rows: int, instrument: Any) -> None:
    """`rows` of each kind of record at `site`, and a survey wave."""
    group, member = steering(site)
    for index in range(rows):
        day = date(2024, 1 + index % 12, 1 + index % 28)
        partner = link(site, f"Partner {site.code} {index}", PartnerKind.OTHER, day)
        agreement(site, partner, day)
        activity(site, day, ActivityKind.MEETING)
        item(meeting(group, day), member, ActionStatus.DONE, day)
    wave(site, 2024, instrument, date(2024, 10, 1), date(2024, 10, 31), *[(4, 4, 4)] * rows)


def _queries(site_ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        exact_figures(site_ids=site_ids, today=TODAY, codes=CODES)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_sites_and_records(world, site_count):
    instrument = small_instrument()
    for site in Site.objects.all():
        _network_rows(site, 1, instrument)
    two = _queries(list(Site.objects.values_list("pk", flat=True)))
    site_count(5)
    for site in Site.objects.exclude(pk__in=[world.site_a.pk, world.site_b.pk]):
        _network_rows(site, 4, instrument)
    five = _queries(list(Site.objects.values_list("pk", flat=True)))
    assert five == two
    # One query per indicator and breakdown (partners: 2, activities: 1); the survey index is
    # computed from the waves, answers and questionnaires of all sites at once.
    assert two == (6 + 2 + 1) + 7
