import random
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from faker import Faker

from inka.cases.models import Case
from inka.cases.tests.factories import make_case, make_person
from inka.core.demo import DemoContext
from inka.core.models import AuditEntry
from inka.employment import demo
from inka.employment.models import Application, BarrierAssessment, BarrierRating, CareerPlan, JobOutcome


def demo_cases(world, count=60):
    """Cases over the last two years, every third one closed."""
    today = timezone.localdate()
    cases = []
    for index in range(count):
        opened_on = today - timedelta(days=30 + index * 11)
        closed = index % 3 == 0
        cases.append(
            make_case(
                world.site_a,
                world.user("caseworker"),
                make_person(world.site_a, f"Person{index}", "Demo"),
                opened_on=opened_on,
                status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                closed_on=opened_on + timedelta(days=20) if closed else None,
            )
        )
    return cases


def context(seed, cases):
    faker = Faker("de_DE")
    faker.seed_instance(seed)
    return DemoContext(seed=seed, rng=random.Random(seed), faker=faker, cases=cases)


def snapshot():
    return (
        sorted(BarrierAssessment.objects.values_list("case_id", "assessed_on", "kind")),
        sorted(BarrierRating.objects.values_list("assessment__case_id", "barrier", "severity")),
        sorted(Application.objects.values_list("case_id", "employer", "position", "applied_on", "outcome")),
        sorted(JobOutcome.objects.values_list("case_id", "kind", "starts_on", "ends_on")),
    )


def test_demo_fills_job_integration_plausibly_in_a_few_inserts(world, django_assert_max_num_queries):
    cases = demo_cases(world)
    with django_assert_max_num_queries(5):
        demo.generate(context(2013, cases))
    today = timezone.localdate()
    by_pk = {case.pk: case for case in cases}
    assessed = set(BarrierAssessment.objects.values_list("case_id", flat=True))
    assert 0.2 * len(cases) <= len(assessed) <= 0.6 * len(cases)
    intakes = BarrierAssessment.objects.filter(kind=BarrierAssessment.Kind.INTAKE)
    assert intakes.count() == len(assessed)  # one intake per assessed case
    assert BarrierAssessment.objects.filter(kind=BarrierAssessment.Kind.REVIEW).exists()
    for assessment in BarrierAssessment.objects.annotate(rated=Count("ratings")):
        case = by_pk[assessment.case_id]
        assert case.opened_on <= assessment.assessed_on <= (case.closed_on or today)
        assert 2 <= assessment.rated <= 5
    for rating in BarrierRating.objects.filter(assessment__kind=BarrierAssessment.Kind.INTAKE):
        assert 1 <= rating.severity <= 3
    assert CareerPlan.objects.exists()
    assert set(CareerPlan.objects.values_list("case_id", flat=True)) <= assessed
    for application in Application.objects.all():
        case = by_pk[application.case_id]
        assert case.opened_on <= application.applied_on <= (case.closed_on or today)
    assert JobOutcome.objects.exists()
    for outcome in JobOutcome.objects.all():
        case = by_pk[outcome.case_id]
        assert case.opened_on <= outcome.starts_on <= (case.closed_on or today)
        assert outcome.ends_on is None or outcome.starts_on <= outcome.ends_on <= today
    assert not AuditEntry.objects.exists()


def test_reviews_mostly_reduce_the_barriers(world):
    demo.generate(context(2013, demo_cases(world, count=120)))
    first, latest = {}, {}
    for rating in BarrierRating.objects.select_related("assessment").order_by("assessment__assessed_on"):
        key = (rating.assessment.case_id, rating.barrier)
        first.setdefault(key, rating.severity)
        latest[key] = rating.severity
    changed = [key for key in first if latest[key] != first[key]]
    reduced = [key for key in changed if latest[key] < first[key]]
    assert changed
    assert len(reduced) > len(changed) / 2


def test_demo_is_deterministic(world):
    cases = demo_cases(world)
    demo.generate(context(7, cases))
    first = snapshot()
    for model in (BarrierRating, BarrierAssessment, CareerPlan, Application, JobOutcome):
        model.objects.all().delete()
    demo.generate(context(7, cases))
    assert snapshot() == first


def test_demo_without_cases_does_nothing(world):
    demo.generate(context(1, []))
    assert not BarrierAssessment.objects.exists()
    assert not JobOutcome.objects.exists()
