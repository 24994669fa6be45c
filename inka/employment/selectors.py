"""Reads of job integration: the case's barriers over time, plan, applications and outcomes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from inka.cases.models import Case
from inka.core.aggregates import Counts, per_month
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


class Change:
    REDUCED = "reduced"
    UNCHANGED = "unchanged"
    INCREASED = "increased"


@dataclass(frozen=True)
class BarrierRow:
    """One barrier across the assessments: a severity per assessment (None: not rated then)."""

    barrier: Barrier
    cells: list[Severity | None]

    @property
    def rated(self) -> list[Severity]:
        return [cell for cell in self.cells if cell is not None]

    @property
    def first(self) -> Severity | None:
        return self.rated[0] if self.rated else None

    @property
    def latest(self) -> Severity | None:
        return self.rated[-1] if self.rated else None

    @property
    def change(self) -> str:
        """From the first rating to the latest; empty while there is only one."""
        rated = self.rated
        if len(rated) < 2:
            return ""
        if rated[-1] < rated[0]:
            return Change.REDUCED
        if rated[-1] > rated[0]:
            return Change.INCREASED
        return Change.UNCHANGED


@dataclass(frozen=True)
class CaseEmployment:
    assessments: list[BarrierAssessment]  # in date order, the intake first
    barrier_rows: list[BarrierRow]  # in the order of `Barrier`; special ones only if allowed
    career_plan: CareerPlan | None
    applications: list[Application]  # newest first
    job_outcomes: list[JobOutcome]  # newest first

    @property
    def has_intake(self) -> bool:
        return any(item.kind == BarrierAssessment.Kind.INTAKE for item in self.assessments)

    @property
    def next_assessment_kind(self) -> str:
        return BarrierAssessment.Kind.REVIEW if self.has_intake else BarrierAssessment.Kind.INTAKE


def case_employment(*, case: Case, can_see_special: bool) -> CaseEmployment:
    """Everything of job integration on one case, in five queries whatever the number of rows.
    Without `can_see_special` the ratings of special categories are not even loaded."""
    ratings = BarrierRating.objects.all()
    if not can_see_special:
        ratings = ratings.exclude(barrier__in=SPECIAL_BARRIERS)
    assessments = list(
        BarrierAssessment.objects.filter(case=case)
        .order_by("assessed_on", "pk")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
    )
    return CaseEmployment(
        assessments=assessments,
        barrier_rows=_barrier_rows(assessments),
        career_plan=CareerPlan.objects.filter(case=case).first(),
        applications=list(Application.objects.filter(case=case).order_by("-applied_on", "-pk")),
        job_outcomes=list(JobOutcome.objects.filter(case=case).order_by("-starts_on", "-pk")),
    )


def _barrier_rows(assessments: list[BarrierAssessment]) -> list[BarrierRow]:
    severities = [
        {rating.barrier: Severity(rating.severity) for rating in assessment.ratings.all()}
        for assessment in assessments
    ]
    rated = set().union(*severities) if severities else set()
    return [
        BarrierRow(barrier, [by_barrier.get(barrier) for by_barrier in severities])
        for barrier in Barrier
        if barrier in rated
    ]


def job_outcomes_for_cases(case_ids: Iterable[int]) -> dict[int, list[JobOutcome]]:
    """The job outcomes of these cases by case id, each list in order of start (for the ESF results)."""
    ids = list(case_ids)
    outcomes: dict[int, list[JobOutcome]] = {case_id: [] for case_id in ids}
    for outcome in JobOutcome.objects.filter(case_id__in=ids).order_by("case_id", "starts_on", "pk"):
        outcomes[outcome.case_id].append(outcome)
    return outcomes


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------


def barrier_reduction_counts(
    *, site_ids: Sequence[int], start: date, end: date, by: str | None = None
) -> Counts:
    """Placement barriers reduced, by site and the month of the re-assessment that shows it.

    A barrier counts as reduced at an assessment that rates it lower than the latest earlier
    assessment of the same case that rated it (ordered by date, then by recording); rated "none"
    after being present counts too. A barrier left "not assessed" at a re-assessment does not
    count: the form means that nobody looked, not that it went away. `by`: "barrier".
    """
    earlier = (
        BarrierRating.objects.filter(
            assessment__case=OuterRef("assessment__case"),
            barrier=OuterRef("barrier"),
        )
        .filter(
            Q(assessment__assessed_on__lt=OuterRef("assessment__assessed_on"))
            | Q(
                assessment__assessed_on=OuterRef("assessment__assessed_on"),
                assessment__pk__lt=OuterRef("assessment__pk"),
            )
        )
        .order_by("-assessment__assessed_on", "-assessment__pk")
        .values("severity")[:1]
    )
    reduced = BarrierRating.objects.annotate(before=Subquery(earlier)).filter(before__gt=F("severity"))
    if by not in (None, "barrier"):
        raise ValueError(f"Unknown breakdown {by!r}.")
    return per_month(
        reduced,
        site_ids=site_ids,
        start=start,
        end=end,
        day="assessment__assessed_on",
        site="assessment__case__site_id",
        by=by,
    )


def job_outcome_counts(*, site_ids: Sequence[int], start: date, end: date, by: str | None = None) -> Counts:
    """Job outcomes by site and the month they began (their start date); `by`: "job_kind"."""
    if by not in (None, "job_kind"):
        raise ValueError(f"Unknown breakdown {by!r}.")
    return per_month(
        JobOutcome.objects.all(),
        site_ids=site_ids,
        start=start,
        end=end,
        day="starts_on",
        site="case__site_id",
        by="kind" if by else None,
    )
