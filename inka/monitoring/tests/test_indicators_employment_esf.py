"""The job-integration and ESF indicators on a small fixed data set, every figure computed by hand;
and the case-work, job-integration and ESF figures cost the same queries for 2 sites as for 5.

Barrier assessments (severity 0 none … 3 severe; "–" not assessed) at site A:

case  assessment              debts  language  mobility  health  childcare  qualification
EC1   intake   2025-10-01     3      2         1         2       –          –
EC1   review   2026-01-15     2 ↓    2         –         0 ↓     1          –
EC1   review   2026-03-31     2      1 ↓       0 ↓ (vs 1 at intake)  –     2 ↑        –
EC1   review   2026-04-01     1 ↓    –         –         –       –          –
EC2   intake   2026-02-10     –      –         –         –       –          3
EC2   review   2026-02-10     –      –         –         –       –          2 ↓ (recorded later)

Site B: EC3 intake 2026-01-05 debts 2, review 2026-02-05 debts 1 ↓.

ESF participations at site A (complete unless said; "result" = immediate result on leaving):

id  gender  entry       exit        what happened after leaving                          result
E1  F       2026-01-10  2026-03-31  employed on 2026-04-28 (the 28th day)                yes
E2  M       2025-12-31  2026-02-15  employed 02-20, then job searching 03-01 (last);      no
                                    a qualification that is not recognised
E3  X       2026-02-01  2026-02-28  education begun on 03-28 (the 28th day)              yes
E10 M       2026-02-02  2026-02-28  employed on 03-29 (the 29th day: too late)           no
E4  F       2026-01-05  2026-03-01  recognised qualification 2026-02-01 (during)         yes
E5  F       2026-01-02  2026-01-31  employed 02-01, but no date of birth (incomplete)    no
E6  –       2026-03-15  –           (no gender: incomplete; still taking part)
E7  M       2025-06-01  2026-01-20  job searching, then self-employed, both on 01-20     yes
E8  F       2026-04-01  –
Site B: E9 F 2026-02-01 – 2026-02-10, employed on 02-11: yes.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inka.cases.tests.factories import make_case, make_person
from inka.employment import selectors as employment
from inka.employment.models import BarrierAssessment, BarrierRating, JobOutcome
from inka.esf import selectors as esf
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.monitoring.catalogue import Section, indicators
from inka.monitoring.figures import exact_figures
from inka.programme.models import Site

TODAY = date(2026, 5, 20)
SPAN = {"start": date(2022, 1, 1), "end": TODAY}
INTAKE, REVIEW = BarrierAssessment.Kind.INTAKE, BarrierAssessment.Kind.REVIEW


def assess(case, day, kind, **ratings):
    assessment = BarrierAssessment.objects.create(
        case=case, assessed_on=day, kind=kind, assessed_by=case.caseworker
    )
    for barrier, severity in ratings.items():
        BarrierRating.objects.create(assessment=assessment, barrier=barrier, severity=severity)
    return assessment


def outcome(case, kind, starts_on, **fields):
    return JobOutcome.objects.create(case=case, kind=kind, starts_on=starts_on, **fields)


def participation(site, number, gender, entry, exit_date=None, **fields):
    complete = {
        "date_of_birth": date(1985, 5, 5),
        "labour_status_at_entry": "EMPLOYED",
        "isced_level": 3,
    }
    made = Participation.objects.create(
        site=site,
        participation_id=f"{site.code}-{number}",
        person_key=f"{site.code}-P{number}",
        gender=gender,
        entry_date=entry,
        exit_date=exit_date,
        **{**complete, **fields},
    )
    Stay.objects.create(participation=made, entry_date=entry, exit_date=exit_date)
    return made


def event(made, day, kind):
    ExitEvent.objects.create(participation=made, occurred_on=day, type=kind)


@pytest.fixture
def data(world):
    a, b = world.site_a, world.site_b
    worker, other = world.user("caseworker"), world.user("other_caseworker")
    ec1 = make_case(a, worker, make_person(a, "Anna", "Arnold"))
    ec2 = make_case(a, worker, make_person(a, "Bernd", "Berger"))
    ec3 = make_case(b, other, make_person(b, "Dora", "Dietz"))
    # Recorded out of date order on purpose: the order of assessment counts, not of recording.
    assess(ec1, date(2026, 3, 31), REVIEW, debts=2, language=1, mobility=0, childcare=2)
    assess(ec1, date(2025, 10, 1), INTAKE, debts=3, language=2, mobility=1, health=2)
    assess(ec1, date(2026, 1, 15), REVIEW, debts=2, language=2, health=0, childcare=1)
    assess(ec1, date(2026, 4, 1), REVIEW, debts=1)
    assess(ec2, date(2026, 2, 10), INTAKE, qualification=3)
    assess(ec2, date(2026, 2, 10), REVIEW, qualification=2)
    assess(ec3, date(2026, 1, 5), INTAKE, debts=2)
    assess(ec3, date(2026, 2, 5), REVIEW, debts=1)

    outcome(ec1, "employment", date(2026, 3, 31))
    outcome(ec1, "mini_job", date(2026, 4, 1))
    outcome(ec2, "training", date(2026, 1, 1))
    outcome(ec2, "employment", date(2025, 12, 31), ends_on=date(2026, 6, 30))
    outcome(ec3, "self_employment", date(2026, 2, 15))

    e1 = participation(a, 1, "F", date(2026, 1, 10), date(2026, 3, 31))
    event(e1, date(2026, 4, 28), "EMPLOYED")
    e2 = participation(a, 2, "M", date(2025, 12, 31), date(2026, 2, 15))
    event(e2, date(2026, 2, 20), "EMPLOYED")
    event(e2, date(2026, 3, 1), "JOB_SEARCHING")
    Qualification.objects.create(
        participation=e2, awarded_on=date(2026, 1, 20), title="Kurs", recognised=False
    )
    e3 = participation(a, 3, "X", date(2026, 2, 1), date(2026, 2, 28))
    EducationStart.objects.create(participation=e3, started_on=date(2026, 3, 28), title="Umschulung")
    e10 = participation(a, 10, "M", date(2026, 2, 2), date(2026, 2, 28))
    event(e10, date(2026, 3, 29), "EMPLOYED")
    e4 = participation(a, 4, "F", date(2026, 1, 5), date(2026, 3, 1))
    Qualification.objects.create(participation=e4, awarded_on=date(2026, 2, 1), title="Staplerschein")
    e5 = participation(a, 5, "F", date(2026, 1, 2), date(2026, 1, 31), date_of_birth=None)
    event(e5, date(2026, 2, 1), "EMPLOYED")
    participation(a, 6, "", date(2026, 3, 15))
    e7 = participation(a, 7, "M", date(2025, 6, 1), date(2026, 1, 20))
    event(e7, date(2026, 1, 20), "JOB_SEARCHING")
    event(e7, date(2026, 1, 20), "SELF_EMPLOYED")
    participation(a, 8, "F", date(2026, 4, 1))
    e9 = participation(b, 9, "F", date(2026, 2, 1), date(2026, 2, 10))
    event(e9, date(2026, 2, 11), "EMPLOYED")
    return world


def monthly(selector, data, **arguments):
    return selector(site_ids=[data.site_a.pk, data.site_b.pk], **SPAN, **arguments)


def only(counts, site):
    return {key[1:]: number for key, number in counts.items() if key[0] == site.pk}


# --- Job integration -----------------------------------------------------------------------------


def test_barriers_reduced_by_the_month_of_the_assessment(data):
    counts = monthly(employment.barrier_reduction_counts, data)
    assert only(counts, data.site_a) == {
        ("2026-01", None): 2,  # debts 3 → 2, health 2 → 0
        ("2026-02", None): 1,  # qualification 3 → 2 on the same day, recorded later
        ("2026-03", None): 2,  # language 2 → 1, mobility 1 → 0 (not assessed in January)
        ("2026-04", None): 1,  # debts 2 → 1
    }
    assert only(counts, data.site_b) == {("2026-02", None): 1}


def test_barriers_reduced_by_barrier(data):
    counts = monthly(employment.barrier_reduction_counts, data, by="barrier")
    assert only(counts, data.site_a) == {
        ("2026-01", "debts"): 1,
        ("2026-01", "health"): 1,
        ("2026-02", "qualification"): 1,
        ("2026-03", "language"): 1,
        ("2026-03", "mobility"): 1,
        ("2026-04", "debts"): 1,
    }
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk], today=TODAY, codes=["barriers.reduced"]
    )
    assert figures.number("barriers.reduced", data.site_a.pk, "2026-Q1") == 5
    assert figures.number("barriers.reduced", data.site_a.pk, "2026-Q2") == 1
    assert figures.number("barriers.reduced", None, "2026-Q1", by="barrier", value="debts") == 2


def test_job_outcomes_by_the_month_they_began(data):
    counts = monthly(employment.job_outcome_counts, data, by="job_kind")
    assert only(counts, data.site_a) == {
        ("2025-12", "employment"): 1,
        ("2026-01", "training"): 1,
        ("2026-03", "employment"): 1,
        ("2026-04", "mini_job"): 1,
    }
    assert only(counts, data.site_b) == {("2026-02", "self_employment"): 1}
    figures = exact_figures(site_ids=[data.site_a.pk, data.site_b.pk], today=TODAY, codes=["jobs.outcomes"])
    assert figures.number("jobs.outcomes", data.site_a.pk, "2026-Q1") == 2
    assert figures.number("jobs.outcomes", data.site_a.pk, "2025-Q4") == 1
    assert figures.number("jobs.outcomes", None, "2026") == 4
    with pytest.raises(ValueError):
        monthly(employment.job_outcome_counts, data, by="barrier")


# --- ESF -----------------------------------------------------------------------------------------


def test_esf_entries_count_every_participation_by_its_first_entry(data):
    counts = monthly(esf.participation_counts, data, event="entered", by="gender")
    assert only(counts, data.site_a) == {
        ("2025-06", "m"): 1,
        ("2025-12", "m"): 1,
        ("2026-01", "f"): 3,  # E1, E4 and the incomplete E5
        ("2026-02", "m"): 1,
        ("2026-02", "x"): 1,
        ("2026-03", ""): 1,
        ("2026-04", "f"): 1,
    }
    assert only(counts, data.site_b) == {("2026-02", "f"): 1}


def test_esf_leavers_by_the_final_exit(data):
    counts = monthly(esf.participation_counts, data, event="left", by="gender")
    assert only(counts, data.site_a) == {
        ("2026-01", "f"): 1,
        ("2026-01", "m"): 1,
        ("2026-02", "m"): 2,
        ("2026-02", "x"): 1,
        ("2026-03", "f"): 2,
    }


def test_esf_results_on_leaving(data):
    counts = monthly(esf.participation_counts, data, event="result", by="gender")
    assert only(counts, data.site_a) == {
        ("2026-01", "m"): 1,  # E7
        ("2026-02", "x"): 1,  # E3
        ("2026-03", "f"): 2,  # E1, E4
    }
    assert only(counts, data.site_b) == {("2026-02", "f"): 1}
    assert only(monthly(esf.participation_counts, data, event="result"), data.site_a) == {
        ("2026-01", None): 1,
        ("2026-02", None): 1,
        ("2026-03", None): 2,
    }


def test_esf_indicators_through_the_figures(data):
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk],
        today=TODAY,
        codes=["esf.entered", "esf.left", "esf.result_on_leaving"],
    )
    a = data.site_a.pk
    assert figures.number("esf.entered", a, "2026-Q1") == 6
    assert figures.number("esf.entered", a, "2025") == 2
    assert figures.number("esf.entered", None, "2026-Q1", by="gender", value="f") == 4
    assert figures.number("esf.left", a, "2026-Q1") == 7
    assert figures.number("esf.result_on_leaving", a, "2026-Q1") == 4
    assert figures.number("esf.result_on_leaving", None, "2026-Q1") == 5
    assert figures.number("esf.result_on_leaving", a, "2026-Q1-Q1") == 4
    assert figures.number("esf.result_on_leaving", a, "2025-Q1-Q1") == 0


# --- Queries -------------------------------------------------------------------------------------


def _records(site, index, worker):
    """A little of everything the three sections count, at `site`."""
    case = make_case(
        site, worker, make_person(site, "Eva", f"Muster{index}", gender="f"), opened_on=date(2026, 1, 2)
    )
    case.contacts.create(site=site, author=worker, occurred_on=date(2026, 1, 3), mode="home_visit")
    assess(case, date(2026, 1, 3), INTAKE, debts=3)
    assess(case, date(2026, 2, 3), REVIEW, debts=1)
    outcome(case, "employment", date(2026, 3, 1))
    made = participation(site, 100 + index, "F", date(2026, 1, 3), date(2026, 2, 1))
    event(made, date(2026, 2, 2), "EMPLOYED")


def test_the_figures_cost_the_same_queries_for_more_sites_and_records(data, site_count):
    codes = [
        item.code
        for item in indicators()
        if item.section in (Section.CASE_WORK, Section.EMPLOYMENT, Section.ESF)
    ]
    small = [data.site_a, data.site_b]
    for index, site in enumerate(small):
        _records(site, index, data.user("caseworker"))
    with CaptureQueriesContext(connection) as two:
        exact_figures(site_ids=[site.pk for site in small], today=TODAY, codes=codes, months=True)

    site_count(5)
    sites = list(Site.objects.order_by("pk"))
    for index, site in enumerate(sites * 3):
        _records(site, 10 + index, data.user("caseworker"))
    with CaptureQueriesContext(connection) as five:
        figures = exact_figures(site_ids=[site.pk for site in sites], today=TODAY, codes=codes, months=True)

    assert len(five.captured_queries) == len(two.captured_queries)
    # One query per indicator and breakdown (a share: two; first-time persons: all persons less the
    # continuing ones), whatever the sites and records.
    expected = sum(
        (1 + len(item.breakdowns)) * (2 if item.whole or item.code == "persons.new" else 1)
        for item in indicators()
        if item.code in codes
    )
    assert len(two.captured_queries) == expected
    assert figures.number("jobs.outcomes", sites[-1].pk, "2026-Q1") == 3
