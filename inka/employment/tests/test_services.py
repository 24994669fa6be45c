import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases.tests.factories import make_case
from inka.core.models import AuditEntry
from inka.employment import services
from inka.employment.models import Application, BarrierAssessment, BarrierRating, CareerPlan, JobOutcome

INTAKE, REVIEW = BarrierAssessment.Kind.INTAKE, BarrierAssessment.Kind.REVIEW


@pytest.fixture
def caseworker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, caseworker):
    return make_case(world.site_a, caseworker)


def record(case, actor, *, kind=INTAKE, assessed_on=date(2024, 1, 15), **ratings):
    return services.barrier_assessment_record(
        actor=actor, case=case, assessed_on=assessed_on, kind=kind, ratings=ratings or {"debts": 3}
    )


def test_intake_assessment_is_recorded_with_its_ratings_and_audited_on_the_case(case, caseworker):
    assessment = services.barrier_assessment_record(
        actor=caseworker,
        case=case,
        assessed_on=date(2024, 1, 15),
        kind=INTAKE,
        ratings={"debts": 3, "language": 2},
        note="Erstgespräch\r\nmit Dolmetscherin",
    )
    assert dict(assessment.ratings.values_list("barrier", "severity")) == {"debts": 3, "language": 2}
    assert assessment.assessed_by == caseworker
    assert assessment.note == "Erstgespräch\nmit Dolmetscherin"
    entry = AuditEntry.objects.get(action="inka.barriers.assessed")
    assert entry.site_id == case.site_id
    assert entry.data == {"case": case.pk}
    assert entry.actor_id == caseworker.pk
    assert entry.changes["ratings.debts"] == [None, 3]
    assert entry.changes["kind"] == [None, "intake"]


def test_a_case_has_one_intake_assessment_and_reviews_follow_it(case, caseworker):
    with pytest.raises(ValidationError) as error:
        record(case, caseworker, kind=REVIEW)
    assert "kind" in error.value.message_dict
    record(case, caseworker, assessed_on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as error:
        record(case, caseworker, kind=INTAKE)
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(case, caseworker, kind=REVIEW, assessed_on=date(2024, 1, 20))
    assert "assessed_on" in error.value.message_dict
    record(case, caseworker, kind=REVIEW, assessed_on=date(2024, 3, 1))
    assert list(case.barrier_assessments.order_by("assessed_on").values_list("kind", flat=True)) == [
        INTAKE,
        REVIEW,
    ]


def test_an_assessment_needs_a_rating_and_valid_severities(case, caseworker):
    for ratings in ({}, {"debts": 4}, {"luck": 1}):
        with pytest.raises(ValidationError) as error:
            services.barrier_assessment_record(
                actor=caseworker, case=case, assessed_on=date(2024, 1, 15), kind=INTAKE, ratings=ratings
            )
        assert "ratings" in error.value.message_dict
    assert not BarrierAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_update_changes_ratings_and_the_history_shows_each_change(case, caseworker):
    assessment = record(case, caseworker, debts=3, housing=1)
    services.barrier_assessment_update(
        actor=caseworker,
        assessment=assessment,
        assessed_on=date(2024, 1, 16),
        ratings={"debts": 2, "language": 1},
        can_see_special=True,
    )
    assert dict(assessment.ratings.values_list("barrier", "severity")) == {"debts": 2, "language": 1}
    entry = AuditEntry.objects.get(action="inka.barriers.updated")
    assert entry.changes == {
        "assessed_on": ["2024-01-15", "2024-01-16"],
        "ratings.debts": [3, 2],
        "ratings.housing": [1, None],
        "ratings.language": [None, 1],
    }
    assert entry.data == {"case": case.pk}


def test_update_by_someone_who_may_not_see_special_categories_keeps_those_ratings(case, caseworker):
    assessment = record(case, caseworker, debts=3, addiction=2, health=1)
    services.barrier_assessment_update(
        actor=caseworker,
        assessment=assessment,
        assessed_on=date(2024, 1, 15),
        ratings={"debts": 1, "addiction": 0},
        can_see_special=False,
    )
    assert dict(assessment.ratings.values_list("barrier", "severity")) == {
        "debts": 1,
        "addiction": 2,
        "health": 1,
    }


def test_unchanged_update_writes_no_history(case, caseworker):
    assessment = record(case, caseworker, debts=3)
    services.barrier_assessment_update(
        actor=caseworker,
        assessment=assessment,
        assessed_on=date(2024, 1, 15),
        ratings={"debts": 3},
        can_see_special=True,
    )
    assert not AuditEntry.objects.filter(action="inka.barriers.updated").exists()


def all_writes(case, actor):
    """Every service of the app once, with valid data (the rules of the case aside)."""
    day = date(2024, 2, 1)
    assessment = BarrierAssessment.objects.create(case=case, assessed_on=day, kind=INTAKE, assessed_by=actor)
    application = Application.objects.create(
        case=case, employer="Edeka", position="Kassierer", applied_on=day
    )
    outcome = JobOutcome.objects.create(case=case, kind=JobOutcome.Kind.MINI_JOB, starts_on=day)
    return {
        "barrier_assessment_record": lambda: record(case, actor, kind=REVIEW, assessed_on=day),
        "barrier_assessment_update": lambda: services.barrier_assessment_update(
            actor=actor, assessment=assessment, assessed_on=day, ratings={"debts": 1}, can_see_special=True
        ),
        "career_plan_save": lambda: services.career_plan_save(actor=actor, case=case, perspective="Lager"),
        "application_add": lambda: services.application_add(
            actor=actor, case=case, employer="Netto", position="Verkäuferin", applied_on=day
        ),
        "application_update": lambda: services.application_update(
            actor=actor, application=application, outcome=Application.Outcome.REJECTED
        ),
        "job_outcome_add": lambda: services.job_outcome_add(
            actor=actor, case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=day
        ),
        "job_outcome_update": lambda: services.job_outcome_update(
            actor=actor, job_outcome=outcome, ends_on=date(2024, 3, 1)
        ),
    }


WRITES = [
    "barrier_assessment_record",
    "barrier_assessment_update",
    "career_plan_save",
    "application_add",
    "application_update",
    "job_outcome_add",
    "job_outcome_update",
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_works_on_an_open_case_with_consent(world, caseworker, write):
    case = make_case(world.site_a, caseworker)
    all_writes(case, caseworker)[write]()
    assert AuditEntry.objects.filter(data__case=case.pk).count() == 1


@pytest.mark.parametrize("write", WRITES)
def test_every_write_is_refused_on_a_closed_case(world, caseworker, write):
    case = make_case(world.site_a, caseworker, status="closed", closed_on=date(2024, 6, 30))
    with pytest.raises(
        ValidationError, match=re.escape(_("The case is closed. Reopen it to add something."))
    ):
        all_writes(case, caseworker)[write]()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("write", WRITES)
def test_every_write_is_refused_without_consent_to_counselling(world, caseworker, write):
    case = make_case(world.site_a, caseworker, consent=False)
    with pytest.raises(
        ValidationError,
        match=re.escape(
            _(
                "There is no valid consent to counselling and documentation for this person. "
                "Record the consent first."
            )
        ),
    ):
        all_writes(case, caseworker)[write]()
    assert not AuditEntry.objects.exists()


def test_dates_in_the_future_are_refused(case, caseworker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        record(case, caseworker, assessed_on=tomorrow)
    assert "assessed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.application_add(
            actor=caseworker, case=case, employer="Netto", position="Verkäuferin", applied_on=tomorrow
        )
    assert "applied_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.job_outcome_add(
            actor=caseworker, case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=tomorrow
        )
    assert "starts_on" in error.value.message_dict
    assert not BarrierAssessment.objects.exists()
    assert not Application.objects.exists()
    assert not JobOutcome.objects.exists()


def test_dates_before_the_case_was_opened_are_refused(case, caseworker):
    with pytest.raises(ValidationError) as error:
        record(case, caseworker, assessed_on=case.opened_on - timedelta(days=1))
    assert "assessed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.job_outcome_add(
            actor=caseworker, case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=date(2023, 12, 1)
        )
    assert "starts_on" in error.value.message_dict


def test_an_outcome_cannot_end_before_it_starts(case, caseworker):
    with pytest.raises(ValidationError) as error:
        services.job_outcome_add(
            actor=caseworker,
            case=case,
            kind=JobOutcome.Kind.TRAINING,
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 2, 28),
        )
    assert "ends_on" in error.value.message_dict
    outcome = services.job_outcome_add(
        actor=caseworker, case=case, kind=JobOutcome.Kind.TRAINING, starts_on=date(2024, 3, 1)
    )
    with pytest.raises(ValidationError):
        services.job_outcome_update(actor=caseworker, job_outcome=outcome, ends_on=date(2024, 2, 1))
    outcome.refresh_from_db()
    assert outcome.ends_on is None


def test_career_plan_is_written_once_per_case_and_changes_are_audited(case, caseworker):
    plan = services.career_plan_save(
        actor=caseworker, case=case, perspective="Lager", target_occupation="Fachkraft für Lagerlogistik"
    )
    again = services.career_plan_save(actor=caseworker, case=case, perspective="Lager mit Staplerschein")
    assert again.pk == plan.pk
    assert CareerPlan.objects.get().target_occupation == "Fachkraft für Lagerlogistik"
    entries = list(AuditEntry.objects.filter(action="inka.career_plan.updated").order_by("pk"))
    assert entries[0].changes["perspective"] == [None, "Lager"]
    assert entries[1].changes == {"perspective": ["Lager", "Lager mit Staplerschein"]}
    assert all(entry.data == {"case": case.pk} for entry in entries)


def test_application_and_outcome_changes_are_audited_with_old_and_new_values(case, caseworker):
    application = services.application_add(
        actor=caseworker, case=case, employer="Netto", position="Verkäuferin", applied_on=date(2024, 2, 1)
    )
    services.application_update(actor=caseworker, application=application, outcome=Application.Outcome.OFFER)
    entry = AuditEntry.objects.get(action="inka.application.updated")
    assert entry.changes == {"outcome": ["pending", "offer"]}
    assert entry.site_id == case.site_id
    outcome = services.job_outcome_add(
        actor=caseworker, case=case, kind=JobOutcome.Kind.EMPLOYMENT, starts_on=date(2024, 3, 1)
    )
    services.job_outcome_update(actor=caseworker, job_outcome=outcome, employer_or_provider="Netto")
    assert AuditEntry.objects.get(action="inka.job_outcome.added").data == {"case": case.pk}
    assert AuditEntry.objects.get(action="inka.job_outcome.updated").changes == {
        "employer_or_provider": ["", "Netto"]
    }


def test_ratings_are_removed_with_nothing_left_behind(case, caseworker):
    assessment = record(case, caseworker, debts=3, housing=2)
    services.barrier_assessment_update(
        actor=caseworker,
        assessment=assessment,
        assessed_on=date(2024, 1, 15),
        ratings={"debts": 3},
        can_see_special=True,
    )
    assert list(BarrierRating.objects.values_list("barrier", flat=True)) == ["debts"]
