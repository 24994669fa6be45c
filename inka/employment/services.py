"""Writes of job integration: validated, atomic, each with an audit entry on the case's history.

Like every write on a case, they are refused unless the case is open and the person has a valid
consent to counselling and documentation (`require_open`, `require_counselling_consent`).
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inka.cases.models import Case
from inka.cases.services import require_counselling_consent, require_open
from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf, lf_fields, not_in_future
from inka.employment.models import (
    SPECIAL_BARRIERS,
    Application,
    Barrier,
    BarrierAssessment,
    BarrierRating,
    CareerPlan,
    JobOutcome,
    Severity,
)

ASSESSMENT_FIELDS = ["assessed_on", "kind", "note"]
CAREER_PLAN_FIELDS = ["perspective", "target_occupation", "action_plan"]
APPLICATION_FIELDS = ["employer", "position", "applied_on", "outcome", "note"]
JOB_OUTCOME_FIELDS = ["kind", "starts_on", "ends_on", "employer_or_provider", "qualification", "note"]


def _require_writable(case: Case) -> None:
    require_open(case)
    require_counselling_consent(case)


def _audit_case_part(actor: Any, action: str, obj: Any, case: Case, changes: dict[str, list[Any]]) -> None:
    # `case` in the data lets the case's history find the entries of its parts.
    audit(actor=actor, action=action, obj=obj, site_id=case.site_id, case=case.pk, changes=changes)


# Placement barriers


def _check_ratings(ratings: Mapping[str, int]) -> dict[str, int]:
    if not ratings:
        raise ValidationError({"ratings": _("Rate at least one placement barrier.")})
    checked = {}
    for barrier, severity in ratings.items():
        if barrier not in Barrier.values or severity not in Severity.values:
            raise ValidationError({"ratings": _("Choose a severity from the list.")})
        checked[str(barrier)] = int(severity)
    return checked


def _check_dates(assessment: BarrierAssessment) -> None:
    """The intake comes first: no review before it, and none before the case was opened."""
    not_in_future(assessment.assessed_on, "assessed_on")
    case = assessment.case
    if assessment.assessed_on < case.opened_on:
        raise ValidationError({"assessed_on": _("The assessment cannot be before the case was opened.")})
    others = BarrierAssessment.objects.filter(case=case).exclude(pk=assessment.pk)
    if assessment.kind == BarrierAssessment.Kind.INTAKE:
        if others.filter(kind=BarrierAssessment.Kind.INTAKE).exists():
            raise ValidationError(
                {"kind": _("This case already has an intake assessment. Record a review instead.")}
            )
        if others.filter(assessed_on__lt=assessment.assessed_on).exists():
            raise ValidationError({"assessed_on": _("The intake assessment cannot be after a review.")})
    else:
        intake = others.filter(kind=BarrierAssessment.Kind.INTAKE).first()
        if intake is None:
            raise ValidationError({"kind": _("Record the intake assessment first.")})
        if assessment.assessed_on < intake.assessed_on:
            raise ValidationError({"assessed_on": _("A review cannot be before the intake assessment.")})


def _ratings_of(assessment: BarrierAssessment) -> dict[str, int]:
    return dict(assessment.ratings.values_list("barrier", "severity"))


def _assessment_state(assessment: BarrierAssessment, ratings: Mapping[str, int]) -> dict[str, Any]:
    # One entry per barrier, so the history shows which rating changed from what to what.
    return {
        **snapshot(assessment, ASSESSMENT_FIELDS),
        **{f"ratings.{barrier}": severity for barrier, severity in sorted(ratings.items())},
    }


@transaction.atomic
def barrier_assessment_record(
    *,
    actor: Any,
    case: Case,
    assessed_on: date,
    kind: str,
    ratings: Mapping[str, int],
    note: str = "",
) -> BarrierAssessment:
    """Record an assessment of the placement barriers: the intake once per case, later reviews."""
    _require_writable(case)
    checked = _check_ratings(ratings)
    assessment = BarrierAssessment(
        case=case, assessed_on=assessed_on, kind=kind, assessed_by=actor, note=lf(note)
    )
    assessment.full_clean(validate_constraints=False)
    _check_dates(assessment)
    assessment.save()
    BarrierRating.objects.bulk_create(
        BarrierRating(assessment=assessment, barrier=barrier, severity=severity)
        for barrier, severity in sorted(checked.items())
    )
    _audit_case_part(
        actor,
        "inka.barriers.assessed",
        assessment,
        case,
        diff({}, _assessment_state(assessment, checked)),
    )
    return assessment


@transaction.atomic
def barrier_assessment_update(
    *,
    actor: Any,
    assessment: BarrierAssessment,
    assessed_on: date,
    ratings: Mapping[str, int],
    note: str = "",
    can_see_special: bool,
) -> BarrierAssessment:
    """Correct an assessment. Ratings of special categories stay as they are unless the editing
    user may see them (`can_see_special`)."""
    case = assessment.case
    _require_writable(case)
    stored_ratings = _ratings_of(assessment)
    stored = _assessment_state(BarrierAssessment.objects.get(pk=assessment.pk), stored_ratings)
    if can_see_special:
        new_ratings = dict(ratings)
    else:
        new_ratings = {key: value for key, value in ratings.items() if key not in SPECIAL_BARRIERS}
        new_ratings.update({key: value for key, value in stored_ratings.items() if key in SPECIAL_BARRIERS})
    checked = _check_ratings(new_ratings)
    assessment.assessed_on = assessed_on
    assessment.note = lf(note)
    assessment.full_clean(validate_constraints=False)
    _check_dates(assessment)
    assessment.save()
    assessment.ratings.exclude(barrier__in=list(checked)).delete()
    for barrier, severity in sorted(checked.items()):
        if stored_ratings.get(barrier) != severity:
            BarrierRating.objects.update_or_create(
                assessment=assessment, barrier=barrier, defaults={"severity": severity}
            )
    changes = diff(stored, _assessment_state(assessment, checked))
    if changes:
        _audit_case_part(actor, "inka.barriers.updated", assessment, case, changes)
    return assessment


# Career perspective


@transaction.atomic
def career_plan_save(*, actor: Any, case: Case, **fields: Any) -> CareerPlan:
    """Write down or change the career perspective and the action plan of a case."""
    _require_writable(case)
    plan = CareerPlan.objects.filter(case=case).first()
    stored = snapshot(plan, CAREER_PLAN_FIELDS) if plan is not None else {}
    if plan is None:
        plan = CareerPlan(case=case)
    for name, value in lf_fields(fields).items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    changes = diff(stored, snapshot(plan, CAREER_PLAN_FIELDS))
    if changes:
        _audit_case_part(actor, "inka.career_plan.updated", plan, case, changes)
    return plan


# Applications


def _validate_application(application: Application) -> None:
    not_in_future(application.applied_on, "applied_on")
    application.full_clean()


@transaction.atomic
def application_add(*, actor: Any, case: Case, **fields: Any) -> Application:
    """Add an application to the job-search log."""
    _require_writable(case)
    application = Application(case=case, **lf_fields(fields))
    _validate_application(application)
    application.save()
    _audit_case_part(
        actor,
        "inka.application.added",
        application,
        case,
        diff({}, snapshot(application, APPLICATION_FIELDS)),
    )
    return application


@transaction.atomic
def application_update(*, actor: Any, application: Application, **fields: Any) -> Application:
    """Change an application, for example record the employer's answer."""
    case = application.case
    _require_writable(case)
    stored = snapshot(Application.objects.get(pk=application.pk), APPLICATION_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(application, name, value)
    _validate_application(application)
    application.save()
    changes = diff(stored, snapshot(application, APPLICATION_FIELDS))
    if changes:
        _audit_case_part(actor, "inka.application.updated", application, case, changes)
    return application


# Job outcomes


def _validate_job_outcome(outcome: JobOutcome) -> None:
    # An outcome is a fact once it has begun; until then the job offer sits on the application.
    not_in_future(outcome.starts_on, "starts_on")
    if outcome.starts_on is not None and outcome.starts_on < outcome.case.opened_on:
        raise ValidationError({"starts_on": _("The outcome cannot start before the case was opened.")})
    if outcome.starts_on is not None and outcome.ends_on is not None and outcome.ends_on < outcome.starts_on:
        raise ValidationError({"ends_on": _("The end must not be before the start.")})
    outcome.full_clean()


@transaction.atomic
def job_outcome_add(*, actor: Any, case: Case, **fields: Any) -> JobOutcome:
    """Record an outcome: a job, an apprenticeship, a training, a measure or self-employment."""
    _require_writable(case)
    outcome = JobOutcome(case=case, **lf_fields(fields))
    _validate_job_outcome(outcome)
    outcome.save()
    _audit_case_part(
        actor, "inka.job_outcome.added", outcome, case, diff({}, snapshot(outcome, JOB_OUTCOME_FIELDS))
    )
    return outcome


@transaction.atomic
def job_outcome_update(*, actor: Any, job_outcome: JobOutcome, **fields: Any) -> JobOutcome:
    """Change an outcome, for example add its end date."""
    case = job_outcome.case
    _require_writable(case)
    stored = snapshot(JobOutcome.objects.get(pk=job_outcome.pk), JOB_OUTCOME_FIELDS)
    for name, value in lf_fields(fields).items():
        setattr(job_outcome, name, value)
    _validate_job_outcome(job_outcome)
    job_outcome.save()
    changes = diff(stored, snapshot(job_outcome, JOB_OUTCOME_FIELDS))
    if changes:
        _audit_case_part(actor, "inka.job_outcome.updated", job_outcome, case, changes)
    return job_outcome
