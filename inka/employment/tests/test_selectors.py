from datetime import date, timedelta

import pytest

from inka.cases.tests.factories import make_case, make_person
from inka.employment.models import (
    Application,
    Barrier,
    BarrierAssessment,
    BarrierRating,
    JobOutcome,
    Severity,
)
from inka.employment.selectors import Change, case_employment, job_outcomes_for_cases

INTAKE, REVIEW = BarrierAssessment.Kind.INTAKE, BarrierAssessment.Kind.REVIEW


@pytest.fixture
def case(world):
    return make_case(world.site_a, world.user("caseworker"))


def assess(case, day, kind, **ratings):
    assessment = BarrierAssessment.objects.create(
        case=case, assessed_on=day, kind=kind, assessed_by=case.caseworker
    )
    BarrierRating.objects.bulk_create(
        BarrierRating(assessment=assessment, barrier=barrier, severity=severity)
        for barrier, severity in ratings.items()
    )
    return assessment


def test_barrier_table_shows_each_barrier_over_time_and_its_change(case):
    review = assess(case, date(2024, 6, 1), REVIEW, debts=1, language=2, housing=1)
    intake = assess(case, date(2024, 1, 15), INTAKE, debts=3, language=2, mobility=1)
    employment = case_employment(case=case, can_see_special=True)
    assert employment.assessments == [intake, review]
    rows = {row.barrier: row for row in employment.barrier_rows}
    assert list(rows) == [Barrier.DEBTS, Barrier.LANGUAGE, Barrier.MOBILITY, Barrier.HOUSING]
    assert rows[Barrier.DEBTS].cells == [Severity.SEVERE, Severity.SLIGHT]
    assert rows[Barrier.DEBTS].change == Change.REDUCED
    assert rows[Barrier.LANGUAGE].change == Change.UNCHANGED
    assert rows[Barrier.MOBILITY].cells == [Severity.SLIGHT, None]
    assert rows[Barrier.MOBILITY].change == ""
    assert rows[Barrier.HOUSING].cells == [None, Severity.SLIGHT]
    assert employment.has_intake
    assert employment.next_assessment_kind == REVIEW


def test_a_rising_barrier_is_shown_as_increased(case):
    assess(case, date(2024, 1, 15), INTAKE, motivation=1)
    assess(case, date(2024, 3, 1), REVIEW, motivation=2)
    assess(case, date(2024, 5, 1), REVIEW, motivation=3)
    (row,) = case_employment(case=case, can_see_special=True).barrier_rows
    assert (row.first, row.latest, row.change) == (Severity.SLIGHT, Severity.SEVERE, Change.INCREASED)


def test_special_barriers_are_left_out_entirely_for_who_may_not_see_them(case):
    assess(case, date(2024, 1, 15), INTAKE, debts=1, health=2, addiction=3, criminal_record=1)
    hidden = case_employment(case=case, can_see_special=False)
    assert [row.barrier for row in hidden.barrier_rows] == [Barrier.DEBTS]
    # Not even loaded: the ratings on the assessment hold no special category.
    assert [rating.barrier for rating in hidden.assessments[0].ratings.all()] == ["debts"]
    shown = case_employment(case=case, can_see_special=True)
    assert [row.barrier for row in shown.barrier_rows] == [
        Barrier.DEBTS,
        Barrier.HEALTH,
        Barrier.ADDICTION,
        Barrier.CRIMINAL_RECORD,
    ]


def test_only_special_ratings_give_an_empty_table_to_readers(case):
    assess(case, date(2024, 1, 15), INTAKE, addiction=3)
    assert case_employment(case=case, can_see_special=False).barrier_rows == []


def test_lists_are_newest_first_and_belong_to_the_case(world, case):
    other = make_case(world.site_a, case.caseworker, make_person(world.site_a, "Anna", "Schmidt"))
    Application.objects.create(case=case, employer="A", position="Lager", applied_on=date(2024, 2, 1))
    Application.objects.create(case=case, employer="B", position="Küche", applied_on=date(2024, 3, 1))
    Application.objects.create(case=other, employer="C", position="Büro", applied_on=date(2024, 3, 1))
    JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.MEASURE, starts_on=date(2024, 2, 1))
    JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=date(2024, 5, 1))
    employment = case_employment(case=case, can_see_special=False)
    assert [application.employer for application in employment.applications] == ["B", "A"]
    assert [outcome.kind for outcome in employment.job_outcomes] == ["employment", "measure"]
    assert employment.career_plan is None
    assert not employment.has_intake


@pytest.mark.parametrize("rows", [1, 20])
def test_query_count_does_not_grow_with_the_rows(case, rows, django_assert_num_queries):
    for index in range(rows):
        day = date(2024, 1, 15) + timedelta(days=index)
        Application.objects.create(case=case, employer=f"Firma {index}", position="Lager", applied_on=day)
        JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.MINI_JOB, starts_on=day)
        assess(case, day, INTAKE if index == 0 else REVIEW, debts=3, language=index % 4)
    with django_assert_num_queries(5):
        employment = case_employment(case=case, can_see_special=True)
        assert len(employment.applications) == rows
        assert len(employment.barrier_rows) == 2


def test_job_outcomes_for_cases_gives_every_case_its_outcomes_in_order(world, case):
    other = make_case(world.site_a, case.caseworker, make_person(world.site_a, "Anna", "Schmidt"))
    late = JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=date(2024, 5, 1))
    early = JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.TRAINING, starts_on=date(2024, 2, 1))
    assert job_outcomes_for_cases([case.pk, other.pk]) == {case.pk: [early, late], other.pk: []}
