"""Demo part of job integration: barriers over time, plans, applications and outcomes on the demo cases.

Reads the cases the case-work demo put on the context (`ctx.cases`); writes in bulk, no audit rows.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from inka.core.demo import DemoContext
from inka.employment.models import (
    Application,
    Barrier,
    BarrierAssessment,
    BarrierRating,
    CareerPlan,
    JobOutcome,
)

ASSESSED_SHARE = 0.4
OUTCOME_SHARE = 0.15

PLANS = [
    ("Verkäuferin / Verkäufer", "Zurück in den Einzelhandel, zunächst in Teilzeit, später Vollzeit."),
    ("Fachkraft für Lagerlogistik", "Arbeit im Lager; der Staplerschein soll die Chancen verbessern."),
    ("Pflegehilfskraft", "Einstieg in die Altenpflege über einen Pflegebasiskurs."),
    ("Koch / Köchin", "Arbeit in einer Großküche mit festen Arbeitszeiten."),
    ("Bürokaufleute", "Ausbildung im Büro, vorher Deutsch auf B2 bringen."),
    ("Reinigungskraft", "Schneller Wiedereinstieg, Arbeitszeiten passend zur Kinderbetreuung."),
    ("Berufskraftfahrer/in", "Führerschein Klasse C über das Jobcenter finanzieren lassen."),
    ("", "Erst die Schulden ordnen und die Wohnung sichern, dann eine Arbeit suchen."),
]
ACTION_STEPS = [
    "Lebenslauf gemeinsam aktualisieren",
    "Termin bei der Schuldnerberatung vereinbaren",
    "Kita-Platz beantragen",
    "Bildungsgutschein beim Jobcenter ansprechen",
    "Zeugnisse anerkennen lassen",
    "Deutschkurs anmelden",
    "Bewerbungsfotos machen lassen",
    "Zwei Bewerbungen pro Woche schreiben",
    "Monatsticket für den Nahverkehr beantragen",
]
POSITIONS = [
    "Verkäufer/in", "Lagerhelfer/in", "Reinigungskraft", "Küchenhilfe", "Pflegehilfskraft",
    "Produktionshelfer/in", "Fahrer/in", "Bürohilfe", "Hausmeister/in", "Kassierer/in",
]  # fmt: skip
PROVIDERS = ["Jobcenter Altenburger Land", "Bildungswerk Thüringen", "Volkshochschule", "IHK Ostthüringen"]
QUALIFICATIONS = ["Staplerschein", "Pflegebasiskurs", "Hygieneschulung", "Deutschkurs B1", "Computerkurs"]
OUTCOME_KINDS = [
    (JobOutcome.Kind.EMPLOYMENT, 30),
    (JobOutcome.Kind.MINI_JOB, 20),
    (JobOutcome.Kind.APPRENTICESHIP, 8),
    (JobOutcome.Kind.TRAINING, 20),
    (JobOutcome.Kind.MEASURE, 17),
    (JobOutcome.Kind.SELF_EMPLOYMENT, 5),
]


def generate(ctx: DemoContext) -> None:
    cases = list(getattr(ctx, "cases", []))
    if not cases:
        return
    rng, today = ctx.rng, timezone.localdate()
    assessments: list[tuple[BarrierAssessment, dict[str, int]]] = []
    plans: list[CareerPlan] = []
    applications: list[Application] = []
    outcomes: list[JobOutcome] = []
    for case in cases:
        end = min(case.closed_on or today, today)
        if end < case.opened_on:
            continue
        if rng.random() < ASSESSED_SHARE:
            assessments.extend(_assessments(rng, case, end))
            if rng.random() < 0.6:
                plans.append(_plan(rng, case))
            applications.extend(
                Application(
                    case=case,
                    employer=ctx.faker.company(),
                    position=rng.choice(POSITIONS),
                    applied_on=_day_between(rng, case.opened_on, end),
                    outcome=rng.choices(
                        [choice for choice, _ in Application.Outcome.choices], [3, 2, 6, 1, 1, 1]
                    )[0],
                )
                for _ in range(rng.randint(0, 6))
            )
        if rng.random() < OUTCOME_SHARE:
            outcomes.append(_outcome(rng, ctx, case, end, today))
    BarrierAssessment.objects.bulk_create([assessment for assessment, _ in assessments])
    BarrierRating.objects.bulk_create(
        BarrierRating(assessment=assessment, barrier=barrier, severity=severity)
        for assessment, ratings in assessments
        for barrier, severity in ratings.items()
    )
    CareerPlan.objects.bulk_create(plans)
    Application.objects.bulk_create(applications)
    JobOutcome.objects.bulk_create(outcomes)


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _assessments(rng: random.Random, case: Any, end: date) -> list[tuple[BarrierAssessment, dict[str, int]]]:
    """The intake with 2–5 barriers; for half of the cases 1–2 reviews, mostly with less severity."""
    day = _day_between(rng, case.opened_on, min(end, case.opened_on + timedelta(days=14)))
    ratings = {barrier: rng.randint(1, 3) for barrier in rng.sample(list(Barrier.values), rng.randint(2, 5))}
    kind = BarrierAssessment.Kind.INTAKE
    result = [(_assessment(case, day, kind), ratings)]
    reviews = rng.randint(1, 2) if rng.random() < 0.5 else 0
    for _ in range(reviews):
        if (end - day).days < 30:
            break
        day = _day_between(rng, day + timedelta(days=30), min(end, day + timedelta(days=180)))
        ratings = {barrier: _reviewed(rng, severity) for barrier, severity in ratings.items()}
        result.append((_assessment(case, day, BarrierAssessment.Kind.REVIEW), ratings))
    return result


def _assessment(case: Any, day: date, kind: str) -> BarrierAssessment:
    return BarrierAssessment(case=case, assessed_on=day, kind=kind, assessed_by=case.caseworker)


def _reviewed(rng: random.Random, severity: int) -> int:
    draw = rng.random()
    if draw < 0.65:
        return max(severity - rng.choice([1, 1, 2]), 0)
    if draw < 0.9:
        return severity
    return min(severity + 1, 3)


def _plan(rng: random.Random, case: Any) -> CareerPlan:
    occupation, perspective = rng.choice(PLANS)
    steps = rng.sample(ACTION_STEPS, rng.randint(2, 4))
    return CareerPlan(
        case=case,
        target_occupation=occupation,
        perspective=perspective,
        action_plan="\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1)),
    )


def _outcome(rng: random.Random, ctx: DemoContext, case: Any, end: date, today: date) -> JobOutcome:
    kind = rng.choices([kind for kind, _ in OUTCOME_KINDS], [weight for _, weight in OUTCOME_KINDS])[0]
    starts_on = _day_between(rng, min(case.opened_on + timedelta(days=14), end), end)
    ends_on = None
    qualification = ""
    if kind in (JobOutcome.Kind.TRAINING, JobOutcome.Kind.MEASURE):
        planned_end = starts_on + timedelta(days=rng.randint(60, 270))
        # Only ends that have happened: the demo holds no dates in the future.
        if planned_end <= today:
            ends_on = planned_end
            if kind == JobOutcome.Kind.TRAINING:
                qualification = rng.choice(QUALIFICATIONS)
    in_company = kind in (
        JobOutcome.Kind.EMPLOYMENT,
        JobOutcome.Kind.MINI_JOB,
        JobOutcome.Kind.APPRENTICESHIP,
    )
    provider = ctx.faker.company() if in_company else rng.choice(PROVIDERS)
    return JobOutcome(
        case=case,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        employer_or_provider="" if kind == JobOutcome.Kind.SELF_EMPLOYMENT else provider,
        qualification=qualification,
    )
