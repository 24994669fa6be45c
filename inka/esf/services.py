"""Writes of ESF participation (ESF.md): start and re-entry, the entry questionnaire, the exit, the
results after leaving, "no answer possible" and the six-month follow-up. Each is validated, atomic
and audited.

The audit entries name the participation, not the case: the case's change history is open to
readers, and these entries can hold special categories (disability, minority).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from inka.cases.models import Case
from inka.cases.services import require_counselling_consent, require_open
from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf, not_in_future
from inka.employment.models import JobOutcome
from inka.esf.codes import ExitEventType, FollowUpStatus, LabourStatus
from inka.esf.models import SENSITIVE_ITEMS, EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.selectors import RESULT_WINDOW_DAYS, result_window_end

ENTRY_FIELDS = [
    "entry_date",
    "gender",
    "date_of_birth",
    "labour_status_at_entry",
    "self_employed",
    "unemployed_since",
    "in_education_or_training_at_entry",
    "school_certificate",
    "vocational_qualification",
    "isced_level",
    *SENSITIVE_ITEMS,
    "rural",
    "leaflet_acknowledged_on",
    "sensitive_asked_on",
]
FOLLOWUP_FIELDS = [
    "followup_6m_status",
    "followup_6m_improved",
    "followup_6m_improvement",
    "followup_6m_recorded_on",
]
# What a re-entry resets: it belongs to the earlier exit, and results follow the final exit (R9).
EXIT_STATE_FIELDS = ["exit_date", "case", "exit_no_answer_reason", *FOLLOWUP_FIELDS]
EMPLOYED_KINDS: dict[str, str] = {
    JobOutcome.Kind.EMPLOYMENT: ExitEventType.EMPLOYED,
    JobOutcome.Kind.MINI_JOB: ExitEventType.EMPLOYED,
    JobOutcome.Kind.APPRENTICESHIP: ExitEventType.EMPLOYED,
    JobOutcome.Kind.SELF_EMPLOYMENT: ExitEventType.SELF_EMPLOYED,
}
EDUCATION_KINDS: set[str] = {JobOutcome.Kind.TRAINING, JobOutcome.Kind.MEASURE}
GENDER_FROM_PERSON = {"f": "F", "m": "M", "x": "X"}


def _short(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _audit(actor: Any, action: str, obj: Model, participation: Participation, **data: Any) -> None:
    audit(
        actor=actor,
        action=action,
        obj=obj,
        site_id=participation.site_id,
        participation=participation.pk,
        **data,
    )


def _stays(participation: Participation) -> list[Stay]:
    return list(Stay.objects.filter(participation=participation).order_by("entry_date", "pk"))


# Start and re-entry


def _next_participation_id(site_code: str) -> str:
    prefix = f"{site_code}-TN-"
    taken = Participation.objects.filter(participation_id__startswith=prefix).values_list(
        "participation_id", flat=True
    )
    numbers = [int(value[len(prefix) :]) for value in taken if value[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"


@transaction.atomic
def participation_start(*, actor: Any, case: Case, entry_date: date) -> Participation:
    """Start the ESF participation of the case's person at the case's site; if the person has one
    there already, this is a re-entry into the same participation (rule R9)."""
    require_open(case)
    require_counselling_consent(case)
    not_in_future(entry_date, "entry_date")
    if entry_date < case.opened_on:
        raise ValidationError(
            {
                "entry_date": _("The entry cannot be before the case was opened (%(date)s).")
                % {"date": _short(case.opened_on)}
            }
        )
    existing = Participation.objects.filter(site_id=case.site_id, person_id=case.person_id).first()
    if existing is not None:
        return _reenter(actor=actor, participation=existing, case=case, entry_date=entry_date)
    person = case.person
    participation = Participation(
        site_id=case.site_id,
        person=person,
        case=case,
        participation_id=_next_participation_id(case.site.code),
        person_key=f"INKA-{person.pk}",
        entry_date=entry_date,
        gender=GENDER_FROM_PERSON.get(person.gender, ""),
        date_of_birth=person.birth_date,
    )
    participation.full_clean()
    participation.save()
    Stay.objects.create(participation=participation, entry_date=entry_date)
    _audit(
        actor,
        "inka.esf.participation.started",
        participation,
        participation,
        changes=diff({}, snapshot(participation, ["participation_id", *ENTRY_FIELDS])),
    )
    return participation


def _reenter(*, actor: Any, participation: Participation, case: Case, entry_date: date) -> Participation:
    stays = _stays(participation)
    last = stays[-1] if stays else None
    if last is None or last.exit_date is None or participation.exit_date is None:
        raise ValidationError(
            {
                "entry_date": _(
                    "The person already takes part at this site (entry %(date)s). "
                    "Record the exit first; a later entry is then a re-entry."
                )
                % {"date": _short(last.entry_date if last else participation.entry_date)}
            }
        )
    if entry_date <= last.exit_date:
        raise ValidationError(
            {
                "entry_date": _("A re-entry must be after the last exit (%(date)s).")
                % {"date": _short(last.exit_date)}
            }
        )
    before = snapshot(participation, EXIT_STATE_FIELDS)
    participation.exit_date = None
    participation.case = case
    participation.exit_no_answer_reason = ""
    participation.followup_6m_status = ""
    participation.followup_6m_improved = None
    participation.followup_6m_improvement = ""
    participation.followup_6m_recorded_on = None
    participation.full_clean()
    participation.save()
    stay = Stay.objects.create(participation=participation, entry_date=entry_date)
    _audit(
        actor,
        "inka.esf.participation.reentered",
        participation,
        participation,
        changes=diff(before, snapshot(participation, EXIT_STATE_FIELDS)),
        entry_date=stay.entry_date,
    )
    return participation


# The entry questionnaire


def _earliest_result(participation: Participation) -> date | None:
    days = [
        *ExitEvent.objects.filter(participation=participation).values_list("occurred_on", flat=True),
        *EducationStart.objects.filter(participation=participation).values_list("started_on", flat=True),
        *Qualification.objects.filter(participation=participation).values_list("awarded_on", flat=True),
    ]
    return min(days, default=None)


def _check_entry(participation: Participation, first_stay: Stay | None) -> None:
    p = participation
    errors: dict[str, str] = {}
    status = p.labour_status_at_entry
    if p.unemployed_since is not None and status != LabourStatus.UNEMPLOYED:
        errors["unemployed_since"] = _("Only for participants who were unemployed at entry; leave it empty.")
    if p.in_education_or_training_at_entry is not None and status != LabourStatus.INACTIVE:
        errors["in_education_or_training_at_entry"] = _(
            "Only for participants who were inactive at entry; choose “not stated”."
        )
    if p.self_employed and status != LabourStatus.EMPLOYED:
        errors["self_employed"] = _("Only for participants who were employed at entry; untick it.")
    if p.unemployed_since is not None and p.unemployed_since > p.entry_date:
        errors["unemployed_since"] = _("The registered unemployment must have begun by the entry.")
    if p.date_of_birth is not None and p.date_of_birth >= p.entry_date:
        errors["date_of_birth"] = _("The date of birth must be before the entry.")
    if p.sensitive_asked_on is None and any(getattr(p, item) for item in SENSITIVE_ITEMS):
        errors["sensitive_asked_on"] = _(
            "Give the date the voluntary questions were asked: at least one of them has an answer."
        )
    if first_stay is not None and first_stay.exit_date is not None and p.entry_date > first_stay.exit_date:
        errors["entry_date"] = _("The first entry cannot be after the first exit (%(date)s).") % {
            "date": _short(first_stay.exit_date)
        }
    earliest = _earliest_result(p)
    if earliest is not None and p.entry_date > earliest:
        errors["entry_date"] = _("A result is recorded on %(date)s; the entry cannot be after it.") % {
            "date": _short(earliest)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participation_update_entry(*, actor: Any, participation: Participation, **fields: Any) -> Participation:
    """Fill in or correct the entry questionnaire ("Stammblatt"). Fields not given stay as they are
    (a form without the special categories leaves them untouched)."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"not fields of the entry questionnaire: {sorted(unknown)}")
    before = snapshot(Participation.objects.get(pk=participation.pk), ENTRY_FIELDS)
    for name, value in fields.items():
        setattr(participation, name, value)
    for name in (
        "entry_date",
        "date_of_birth",
        "unemployed_since",
        "leaflet_acknowledged_on",
        "sensitive_asked_on",
    ):
        not_in_future(getattr(participation, name), name)
    participation.full_clean()
    stays = _stays(participation)
    first = stays[0] if stays else None
    _check_entry(participation, first)
    participation.save()
    if first is not None and first.entry_date != participation.entry_date:
        first.entry_date = participation.entry_date
        first.save(update_fields=["entry_date"])
    changes = diff(before, snapshot(participation, ENTRY_FIELDS))
    if changes:
        _audit(actor, "inka.esf.entry.updated", participation, participation, changes=changes)
    return participation


# Exit


@transaction.atomic
def participation_exit(*, actor: Any, participation: Participation, exit_date: date) -> Participation:
    """Record the exit: it closes the open stay; without one it corrects the final exit."""
    not_in_future(exit_date, "exit_date")
    stays = _stays(participation)
    if not stays:
        stays = [Stay.objects.create(participation=participation, entry_date=participation.entry_date)]
    last = stays[-1]
    if exit_date < last.entry_date:
        raise ValidationError(
            {
                "exit_date": _("The exit cannot be before the entry (%(date)s).")
                % {"date": _short(last.entry_date)}
            }
        )
    recorded_on = participation.followup_6m_recorded_on
    if recorded_on is not None and exit_date > recorded_on:
        raise ValidationError(
            {
                "exit_date": _("The follow-up was recorded on %(date)s; the exit cannot be after it.")
                % {"date": _short(recorded_on)}
            }
        )
    action = "inka.esf.exit.recorded" if last.exit_date is None else "inka.esf.exit.corrected"
    before = snapshot(participation, ["exit_date"])
    last.exit_date = exit_date
    last.full_clean()
    last.save(update_fields=["exit_date"])
    participation.exit_date = exit_date
    participation.full_clean()
    participation.save()
    changes = diff(before, snapshot(participation, ["exit_date"]))
    if changes:
        _audit(actor, action, participation, participation, changes=changes)
    return participation


@transaction.atomic
def exit_no_answer_set(
    *, actor: Any, participation: Participation, no_answer: bool, reason: str = ""
) -> Participation:
    """Document that the situation after leaving could not be found out ("Keine Angabe möglich"),
    which needs a written reason; or take that back."""
    reason = lf(reason).strip() if no_answer else ""
    if no_answer:
        if participation.exit_date is None:
            raise ValidationError({"no_answer": _("Record the exit first.")})
        if not reason:
            raise ValidationError(
                {
                    "exit_no_answer_reason": _(
                        "Write down why the situation after leaving could not be found out."
                    )
                }
            )
        window_end = result_window_end(participation.exit_date)
        if ExitEvent.objects.filter(
            participation=participation, occurred_on__range=(participation.exit_date, window_end)
        ).exists():
            raise ValidationError(
                {
                    "no_answer": _(
                        "A situation within %(days)s days after leaving is recorded already. "
                        "Remove it first if it is wrong."
                    )
                    % {"days": RESULT_WINDOW_DAYS}
                }
            )
    before = snapshot(participation, ["exit_no_answer_reason"])
    participation.exit_no_answer_reason = reason
    participation.full_clean()
    participation.save()
    changes = diff(before, snapshot(participation, ["exit_no_answer_reason"]))
    if changes:
        _audit(actor, "inka.esf.exit.no_answer", participation, participation, changes=changes)
    return participation


# Results after leaving


def _check_result_date(participation: Participation, day: date, field: str) -> None:
    not_in_future(day, field)
    if day < participation.entry_date:
        raise ValidationError(
            {
                field: _("The date cannot be before the entry (%(date)s).")
                % {"date": _short(participation.entry_date)}
            }
        )


def _new_exit_event(
    participation: Participation, occurred_on: date, type: str, job_outcome: JobOutcome | None
) -> ExitEvent:
    _check_result_date(participation, occurred_on, "occurred_on")
    exit_date = participation.exit_date
    if (
        participation.exit_no_answer_reason
        and exit_date is not None
        and exit_date <= occurred_on <= result_window_end(exit_date)
    ):
        raise ValidationError(
            {
                "occurred_on": _(
                    "“No answer possible” is documented for the situation after leaving. "
                    "Take it back first if the situation is known now."
                )
            }
        )
    event = ExitEvent(
        participation=participation, occurred_on=occurred_on, type=type, job_outcome=job_outcome
    )
    event.full_clean()
    event.save()
    return event


def _new_education_start(
    participation: Participation, started_on: date, title: str, job_outcome: JobOutcome | None
) -> EducationStart:
    _check_result_date(participation, started_on, "started_on")
    start = EducationStart(
        participation=participation, started_on=started_on, title=title, job_outcome=job_outcome
    )
    start.full_clean()
    start.save()
    return start


def _new_qualification(
    participation: Participation,
    awarded_on: date,
    title: str,
    recognised: bool,
    job_outcome: JobOutcome | None,
) -> Qualification:
    _check_result_date(participation, awarded_on, "awarded_on")
    qualification = Qualification(
        participation=participation,
        awarded_on=awarded_on,
        title=title,
        recognised=recognised,
        job_outcome=job_outcome,
    )
    qualification.full_clean()
    qualification.save()
    return qualification


EVENT_FIELDS = ["occurred_on", "type", "job_outcome"]
START_FIELDS = ["started_on", "title", "job_outcome"]
QUALIFICATION_FIELDS = ["awarded_on", "title", "recognised", "job_outcome"]


@transaction.atomic
def exit_event_add(*, actor: Any, participation: Participation, occurred_on: date, type: str) -> ExitEvent:
    """Record the situation after leaving on a date (job searching, employed, self-employed, inactive)."""
    event = _new_exit_event(participation, occurred_on, type, None)
    _audit(
        actor,
        "inka.esf.exit_event.added",
        event,
        participation,
        changes=diff({}, snapshot(event, EVENT_FIELDS)),
    )
    return event


@transaction.atomic
def exit_event_remove(*, actor: Any, exit_event: ExitEvent) -> None:
    """Remove a wrongly recorded situation after leaving."""
    participation = exit_event.participation
    _audit(
        actor, "inka.esf.exit_event.removed", exit_event, participation,
        changes=diff(snapshot(exit_event, EVENT_FIELDS), {}),
    )  # fmt: skip
    exit_event.delete()


@transaction.atomic
def education_start_add(
    *, actor: Any, participation: Participation, started_on: date, title: str = ""
) -> EducationStart:
    """Record the start of school or vocational education or training after the ESF operation."""
    start = _new_education_start(participation, started_on, lf(title).strip(), None)
    _audit(
        actor,
        "inka.esf.education_start.added",
        start,
        participation,
        changes=diff({}, snapshot(start, START_FIELDS)),
    )
    return start


@transaction.atomic
def education_start_remove(*, actor: Any, education_start: EducationStart) -> None:
    participation = education_start.participation
    _audit(
        actor, "inka.esf.education_start.removed", education_start, participation,
        changes=diff(snapshot(education_start, START_FIELDS), {}),
    )  # fmt: skip
    education_start.delete()


@transaction.atomic
def qualification_add(
    *, actor: Any, participation: Participation, awarded_on: date, title: str, recognised: bool
) -> Qualification:
    """Record a qualification gained."""
    qualification = _new_qualification(participation, awarded_on, lf(title).strip(), recognised, None)
    _audit(
        actor, "inka.esf.qualification.added", qualification, participation,
        changes=diff({}, snapshot(qualification, QUALIFICATION_FIELDS)),
    )  # fmt: skip
    return qualification


@transaction.atomic
def qualification_remove(*, actor: Any, qualification: Qualification) -> None:
    participation = qualification.participation
    _audit(
        actor, "inka.esf.qualification.removed", qualification, participation,
        changes=diff(snapshot(qualification, QUALIFICATION_FIELDS), {}),
    )  # fmt: skip
    qualification.delete()


def job_outcome_is_adopted(job_outcome: JobOutcome) -> bool:
    return any(
        model.objects.filter(job_outcome=job_outcome).exists()
        for model in (ExitEvent, EducationStart, Qualification)
    )


@transaction.atomic
def job_outcome_adopt(*, actor: Any, participation: Participation, job_outcome: JobOutcome) -> list[Model]:
    """Take a job outcome of the person's case at this site over as ESF result, in one step:
    a job or apprenticeship as "employed", self-employment as "self-employed", a training or a
    measure as a start of education or training (and a qualification gained, if it names one)."""
    case = job_outcome.case
    if case.person_id != participation.person_id or case.site_id != participation.site_id:
        raise ValidationError(_("This outcome belongs to another person or site."))
    if job_outcome_is_adopted(job_outcome):
        raise ValidationError(_("This outcome has been adopted as a result already."))
    created: list[Model] = []
    kind = job_outcome.kind
    if kind in EMPLOYED_KINDS:
        created.append(
            _new_exit_event(
                participation, _situation_date(participation, job_outcome), EMPLOYED_KINDS[kind], job_outcome
            )
        )
    elif kind in EDUCATION_KINDS:
        title = job_outcome.employer_or_provider or str(job_outcome.get_kind_display())
        created.append(_new_education_start(participation, job_outcome.starts_on, title, job_outcome))
        if job_outcome.qualification:
            awarded_on = job_outcome.ends_on or job_outcome.starts_on
            if awarded_on > timezone.localdate():
                raise ValidationError(
                    _("The training ends on %(date)s. Adopt it once the qualification has been gained.")
                    % {"date": _short(awarded_on)}
                )
            created.append(
                _new_qualification(participation, awarded_on, job_outcome.qualification, True, job_outcome)
            )
    else:
        raise ValidationError(_("This kind of outcome cannot be adopted as an ESF result."))
    _audit(
        actor,
        "inka.esf.job_outcome.adopted",
        participation,
        participation,
        job_outcome=job_outcome.pk,
        results=[f"{obj._meta.model_name}:{obj.pk}" for obj in created],
    )
    return created


def _situation_date(participation: Participation, job_outcome: JobOutcome) -> date:
    """A job that began during the participation and still runs at the exit is the situation upon
    leaving: it is dated on the exit day, so it falls into the 28-day window."""
    exit_date = participation.exit_date
    ends_on = job_outcome.ends_on
    if exit_date and job_outcome.starts_on < exit_date and (ends_on is None or ends_on >= exit_date):
        return exit_date
    return job_outcome.starts_on


# The six-month follow-up


@transaction.atomic
def followup_record(
    *,
    actor: Any,
    participation: Participation,
    status: str,
    recorded_on: date | None,
    improved: bool | None = None,
    improvement: str = "",
) -> Participation:
    """Record the situation six months after leaving; an empty status takes the follow-up back."""
    p = participation
    if p.exit_date is None:
        raise ValidationError({"followup_6m_status": _("The follow-up is possible only after the exit.")})
    before = snapshot(p, FOLLOWUP_FIELDS)
    if not status:
        improved, improvement, recorded_on = None, "", None
    else:
        errors: dict[str, str] = {}
        if recorded_on is None:
            errors["followup_6m_recorded_on"] = _("Give the date the follow-up was recorded.")
        elif recorded_on < p.exit_date:
            errors["followup_6m_recorded_on"] = _("The follow-up cannot be before the exit (%(date)s).") % {
                "date": _short(p.exit_date)
            }
        if improved is not None and p.labour_status_at_entry != LabourStatus.EMPLOYED:
            errors["followup_6m_improved"] = _("Only for participants who were employed at entry.")
        elif improved and status not in (FollowUpStatus.EMPLOYED, FollowUpStatus.SELF_EMPLOYED):
            errors["followup_6m_improved"] = _("A better situation needs employment or self-employment.")
        if improvement and not improved:
            errors["followup_6m_improvement"] = _("Only when the situation has improved.")
        if errors:
            raise ValidationError(errors)
        not_in_future(recorded_on, "followup_6m_recorded_on")
    p.followup_6m_status = status
    p.followup_6m_improved = improved
    p.followup_6m_improvement = improvement
    p.followup_6m_recorded_on = recorded_on
    p.full_clean()
    p.save()
    changes = diff(before, snapshot(p, FOLLOWUP_FIELDS))
    if changes:
        _audit(actor, "inka.esf.followup.recorded", p, p, changes=changes)
    return p
