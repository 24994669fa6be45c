"""The ESF demo: about half of the persons with a case take part, the records agree with the case work
and the job outcomes, and the indicator report of both sets has a figure for every indicator.

The demo is generated once for the module, on a fixed day so that the figures do not depend on the day
the tests run (in January the current year has no leavers yet). `INKA_DEMO_FULL=1` adds the check at
the demo's own scale on the real day (about fifteen seconds more).
"""

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from inka.accounts.models import User
from inka.cases.models import Case
from inka.core.demo import demo_generate
from inka.employment.models import JobOutcome
from inka.esf.completeness import missing_fields
from inka.esf.engine import Report, add_months, age_at, compute_report
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.records import ParticipationRecord
from inka.esf.selectors import followups_due_for, incomplete_q, participation_records
from inka.programme.models import Site

TODAY = date(2026, 11, 20)  # late in the year: the current year has six-month results too
SCALE = 0.5
WINDOW = timedelta(days=28)
EMPLOYMENT_KINDS = {"employment", "mini_job", "apprenticeship", "self_employment"}
CITY_SITES = {"ALT", "ERF", "GLU", "GLB", "JEN", "WEI", "SHL", "GOT", "NDH", "MHL"}
# Only so that pytest-django sets up the test database: the module's data are made once, below.
pytestmark = pytest.mark.django_db


@contextmanager
def today_is(day: date) -> Iterator[None]:
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


@dataclass
class Demo:
    """The generated data, read into memory once; the tests below need no database."""

    today: date
    participations: list[Participation]
    records: dict[int, ParticipationRecord]  # by participation pk
    stays: dict[int, list[Stay]]
    events: dict[int, list[ExitEvent]]
    education: dict[int, list[EducationStart]]
    qualifications: dict[int, list[Qualification]]
    cases_by_person: dict[int, list[Case]]
    outcomes_by_person: dict[int, list[JobOutcome]]
    cases: int
    persona_due: list[Participation]
    persona_incomplete: int


def read(today: date) -> Demo:
    participations = list(
        Participation.objects.select_related("site", "case__caseworker", "person").order_by("pk")
    )
    records = participation_records(participations)

    def grouped(rows) -> dict[int, list]:
        groups: dict[int, list] = defaultdict(list)
        for row in rows:
            groups[row.participation_id].append(row)
        return groups

    cases_by_person: dict[int, list[Case]] = defaultdict(list)
    for case in Case.objects.order_by("opened_on", "pk"):
        cases_by_person[case.person_id].append(case)
    outcomes_by_person: dict[int, list[JobOutcome]] = defaultdict(list)
    for outcome in JobOutcome.objects.select_related("case").order_by("starts_on", "pk"):
        outcomes_by_person[outcome.case.person_id].append(outcome)
    alt = Site.objects.get(code="ALT")
    lotse = User.objects.get(email__startswith="lotse.alt@")
    return Demo(
        today=today,
        participations=participations,
        records={p.pk: record for p, record in zip(participations, records, strict=True)},
        stays=grouped(Stay.objects.order_by("entry_date", "pk")),
        events=grouped(ExitEvent.objects.select_related("job_outcome").order_by("occurred_on", "pk")),
        education=grouped(EducationStart.objects.select_related("job_outcome").order_by("started_on", "pk")),
        qualifications=grouped(Qualification.objects.select_related("job_outcome").order_by("awarded_on")),
        cases_by_person=cases_by_person,
        outcomes_by_person=outcomes_by_person,
        cases=Case.objects.count(),
        persona_due=followups_due_for(user=lotse, site_ids=[alt.pk], today=today),
        persona_incomplete=Participation.objects.filter(incomplete_q(), site=alt).count(),
    )


def generate(today: date, scale: float) -> Demo:
    with today_is(today), scopes_disabled(), transaction.atomic():
        demo_generate(scale=scale)
        demo = read(today)
        transaction.set_rollback(True)  # leave the test database empty for the other tests
    return demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Demo:
    with django_db_blocker.unblock():
        return generate(TODAY, SCALE)


def periods(today: date) -> dict[str, tuple[date, date]]:
    return {
        "last year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        "current year": (date(today.year, 1, 1), today),
    }


def reports(demo: Demo) -> dict[tuple[str, str], Report]:
    records = list(demo.records.values())
    return {
        (name, indicator_set): compute_report(
            records, indicator_set=indicator_set, period_from=lo, period_to=hi
        )
        for name, (lo, hi) in periods(demo.today).items()
        for indicator_set in ("esf-plus", "esf-2014")
    }


def total(report: Report, *codes: str) -> int:
    return sum(report.indicators[code]["total"] for code in codes)


# Who takes part


def test_about_half_of_the_persons_with_a_case_take_part_once_per_site(demo):
    linked = [p for p in demo.participations if p.person_id is not None]
    assert 0.4 <= len(linked) / len(demo.cases_by_person) <= 0.6
    participant_cases = sum(len(demo.cases_by_person[p.person_id]) for p in linked)
    assert 0.4 <= participant_cases / demo.cases <= 0.6
    for p in linked:
        assert p.case.person_id == p.person_id and p.case.site_id == p.site_id == p.person.site_id
        assert p.person_key == f"INKA-{p.person_id}"
        assert p.case == demo.cases_by_person[p.person_id][-1]  # the current case
    assert len({(p.site_id, p.person_key) for p in demo.participations}) == len(demo.participations)
    for p in demo.participations:
        assert re.fullmatch(rf"{p.site.code}-TN-\d{{5}}", p.participation_id)


def test_pupils_of_the_workshops_are_the_only_participants_without_a_case(demo):
    pupils = [p for p in demo.participations if p.person_id is None]
    assert pupils
    for p in pupils:
        assert p.case is None and p.person_key.startswith(f"WERKSTATT-{p.site.code}-")
        record = demo.records[p.pk]
        assert 15 <= age_at(p.date_of_birth, p.entry_date) <= 17
        assert record.labour_status_at_entry == "INACTIVE" and record.in_education_or_training_at_entry
    # At least one workshop a year, once the year's first holidays (February) have begun.
    years = {demo.today.year - 1} | (
        {demo.today.year} if demo.today >= date(demo.today.year, 2, 15) else set()
    )
    assert years <= {p.entry_date.year for p in pupils}


def test_the_entry_questionnaire_takes_gender_and_birth_from_the_person(demo):
    gender = {"f": "F", "m": "M", "x": "X", "": ""}
    for p in demo.participations:
        if p.person is not None:
            assert p.gender == gender[p.person.gender]
            assert p.date_of_birth == p.person.birth_date


# Dates


def test_entry_and_exit_are_those_of_the_stays_and_the_stays_those_of_the_cases(demo):
    reentries = early_exits = 0
    for p in demo.participations:
        stays = demo.stays[p.pk]
        assert p.entry_date == stays[0].entry_date and p.exit_date == stays[-1].exit_date
        for earlier, later in pairwise(stays):
            assert earlier.exit_date is not None and earlier.exit_date < later.entry_date
        assert p.entry_date <= demo.today and (
            p.exit_date is None or p.entry_date <= p.exit_date <= demo.today
        )
        if p.person_id is None:
            continue
        cases = demo.cases_by_person[p.person_id][-len(stays) :]
        closings = [case.closed_on for case in cases]
        if stays[-1].exit_date != closings[-1]:
            # Only for the demo login's work list, when no case closed at the right time: the ESF exit
            # at the last conversation, the case closed later.
            assert p.site.code == "ALT" and p.case.caseworker.email.startswith("lotse.alt@")
            assert stays[-1].exit_date < closings[-1]
            closings[-1] = stays[-1].exit_date
            early_exits += 1
        assert [stay.exit_date for stay in stays] == closings
        assert [stay.entry_date for stay in stays[1:]] == [case.opened_on for case in cases[1:]]
        assert cases[0].opened_on <= p.entry_date <= cases[0].opened_on + timedelta(days=14)
        reentries += len(stays) > 1
    assert reentries >= 1 and early_exits <= 2


# Results


def test_results_follow_the_job_outcomes_of_the_cases(demo):
    employed_from_outcome = 0
    for p in demo.participations:
        events, starts, qualifications = demo.events[p.pk], demo.education[p.pk], demo.qualifications[p.pk]
        days = [e.occurred_on for e in events] + [s.started_on for s in starts]
        days += [q.awarded_on for q in qualifications]
        assert all(p.entry_date <= day <= demo.today for day in days)
        if p.exit_date is None:
            assert not events and not starts
            continue
        outcomes = {o.pk: o for o in demo.outcomes_by_person.get(p.person_id, [])}
        for event in events:
            if event.type in ("EMPLOYED", "SELF_EMPLOYED") and p.labour_status_at_entry != "EMPLOYED":
                # Nobody becomes employed after leaving without a job outcome of the case work.
                outcome = event.job_outcome
                assert outcome is not None and outcome.pk in outcomes
                assert outcome.kind in EMPLOYMENT_KINDS
                assert (event.type == "SELF_EMPLOYED") == (outcome.kind == "self_employment")
                assert event.occurred_on == max(outcome.starts_on, p.exit_date)
                employed_from_outcome += 1
        for start in starts:
            if start.job_outcome is not None:
                assert start.job_outcome.pk in outcomes and start.job_outcome.kind in ("training", "measure")
                assert start.started_on == start.job_outcome.starts_on
        for qualification in qualifications:
            if qualification.job_outcome is not None:
                assert qualification.title == qualification.job_outcome.qualification
                assert qualification.awarded_on == qualification.job_outcome.ends_on
        # A job (not a Minijob) taken up within 28 days after leaving is the situation after leaving.
        taken_up = [
            o for o in outcomes.values()
            if o.kind in ("employment", "apprenticeship", "self_employment")
            and p.exit_date <= o.starts_on <= p.exit_date + WINDOW
        ]  # fmt: skip
        if taken_up and events:
            assert {e.job_outcome_id for e in events} & {o.pk for o in taken_up}
    assert employed_from_outcome > 0


def test_leavers_have_a_situation_or_a_reason_why_none_could_be_found_out(demo):
    no_answer = 0
    for p in demo.participations:
        if p.exit_date is None:
            continue
        in_window = [e for e in demo.events[p.pk] if p.exit_date <= e.occurred_on <= p.exit_date + WINDOW]
        if p.exit_no_answer_reason:
            no_answer += 1
            assert not in_window
        elif (demo.today - p.exit_date) >= WINDOW:
            assert in_window, p.participation_id
    assert no_answer >= 1


def test_the_six_month_follow_up_is_recorded_only_after_its_day(demo):
    recorded = no_response = 0
    for p in demo.participations:
        if not p.followup_6m_status:
            assert p.followup_6m_recorded_on is None and p.followup_6m_improved is None
            continue
        reference = add_months(p.exit_date, 6)
        assert reference <= p.followup_6m_recorded_on <= demo.today
        recorded += 1
        no_response += p.followup_6m_status == "NO_RESPONSE"
        if p.followup_6m_improved is not None:
            assert p.labour_status_at_entry == "EMPLOYED"
        if p.followup_6m_improved:
            assert p.followup_6m_status in ("EMPLOYED", "SELF_EMPLOYED") and p.followup_6m_improvement
    due = [p for p in demo.participations if p.exit_date and add_months(p.exit_date, 6) <= demo.today]
    assert 0.7 <= recorded / len(due) <= 1
    assert 0.05 <= no_response / recorded <= 0.3


# The questionnaire's shares


def test_shares_of_the_entry_questionnaire_are_plausible(demo):
    records = list(demo.records.values())
    complete = [r for r in records if not missing_fields(r)]
    assert 0.03 <= 1 - len(complete) / len(records) <= 0.08
    status = defaultdict(int)
    for r in complete:
        status[r.labour_status_at_entry] += 1
    assert status["UNEMPLOYED"] > status["INACTIVE"] > status["EMPLOYED"] > 0
    participations = demo.participations
    answers = {getattr(p, item) for p in participations for item in ("disability", "minority")}
    assert {"YES", "NO", "REFUSED", ""} <= answers
    assert all(p.sensitive_asked_on == p.entry_date for p in participations if p.disability)
    assert sum(p.leaflet_acknowledged_on is not None for p in participations) / len(participations) > 0.9
    direct = sum(p.isced_level is not None for p in participations) / len(participations)
    assert 0.005 <= direct <= 0.1  # mostly derived from the certificates
    assert not [p for p in participations if p.site.code in CITY_SITES and p.rural == "YES"]
    assert any(p.rural == "YES" for p in participations)


def test_the_demo_caseworker_at_alt_has_follow_ups_due_and_overdue_and_gaps_to_fill(demo):
    references = [add_months(p.exit_date, 6) for p in demo.persona_due]
    assert any(demo.today <= day <= demo.today + timedelta(days=14) for day in references)
    assert any(day < demo.today for day in references)
    assert demo.persona_incomplete >= 3


# The report


def check_reports(demo: Demo, *, observable: set[str] | None = None) -> None:
    """Every indicator of both sets has a figure in both periods (`observable` limits the current year),
    and the figures hang together."""
    for (period, indicator_set), report in reports(demo).items():
        zero = [code for code, counts in report.indicators.items() if counts["total"] == 0]
        if period == "current year" and observable is not None:
            zero = [code for code in zero if code in observable]
        assert not zero, (period, indicator_set, zero)
        records = report.records
        complete = records["entries_complete"]
        for counts in report.indicators.values():
            assert counts["total"] == counts["F"] + counts["M"] + counts["X"]
        # Shares only where there are enough records (the current year in January has a few dozen).
        if complete >= 200:
            assert complete >= 0.9 * records["entries"]
            assert records["leavers_complete"] >= 0.9 * records["leavers"]
        if indicator_set == "esf-plus":
            assert total(report, "EECO11") == complete == total(report, "EECO01", "EECO03", "EECO04")
            assert total(report, "EECO08", "EECO09", "EECO10") == complete
            assert total(report, "EECR05") <= records["followup_responses"]
            if complete >= 200:
                assert 0.45 <= total(report, "EECO01") / complete <= 0.7  # mostly unemployed
                assert 0.3 <= total(report, "EECO02") / total(report, "EECO01") <= 0.8
        else:
            assert total(report, "CO01", "CO03", "CO05") == complete
            assert total(report, "CO09", "CO10", "CO11") <= complete
            assert total(report, "CO04") <= total(report, "CO03")
            assert total(report, "CO08") <= total(report, "CO07")
            assert total(report, "CO13") <= total(report, "CO12")


def test_the_report_has_a_figure_for_every_indicator_of_both_sets(demo):
    check_reports(demo)


def test_the_same_seed_gives_the_same_participations(django_db_blocker):
    def fingerprint() -> list[tuple]:
        with today_is(TODAY), scopes_disabled(), transaction.atomic():
            demo_generate(seed=7, scale=0.05)
            participations = Participation.objects.order_by("participation_id")
            rows = list(participations.values_list(*FINGERPRINT))
            events = ExitEvent.objects.order_by("participation__participation_id", "occurred_on")
            rows += events.values_list("participation__participation_id", "occurred_on", "type")
            transaction.set_rollback(True)
        return rows

    with django_db_blocker.unblock():
        first = fingerprint()
        assert first and fingerprint() == first


FINGERPRINT = [
    "participation_id", "entry_date", "exit_date", "date_of_birth", "labour_status_at_entry",
    "unemployed_since", "isced_level", "school_certificate", "disability", "rural", "followup_6m_status",
]  # fmt: skip


@pytest.mark.skipif(not os.environ.get("INKA_DEMO_FULL"), reason="the demo's own scale; set INKA_DEMO_FULL=1")
def test_every_check_holds_at_the_demos_own_scale_on_the_real_day(django_db_setup, django_db_blocker):
    today = timezone.localdate()
    with django_db_blocker.unblock():
        demo = generate(today, 1.0)
    for check in CHECKS:
        check(demo)
    # Early in the year the current year cannot have every figure: results need leavers, the six-month
    # results leavers of six months ago, the children a workshop in the holidays.
    observable = set()
    if today >= date(today.year, 8, 1):
        observable = {code for report in reports(demo).values() for code in report.indicators}
    check_reports(demo, observable=observable)


CHECKS = [
    test_about_half_of_the_persons_with_a_case_take_part_once_per_site,
    test_pupils_of_the_workshops_are_the_only_participants_without_a_case,
    test_the_entry_questionnaire_takes_gender_and_birth_from_the_person,
    test_entry_and_exit_are_those_of_the_stays_and_the_stays_those_of_the_cases,
    test_results_follow_the_job_outcomes_of_the_cases,
    test_leavers_have_a_situation_or_a_reason_why_none_could_be_found_out,
    test_the_six_month_follow_up_is_recorded_only_after_its_day,
    test_shares_of_the_entry_questionnaire_are_plausible,
    test_the_demo_caseworker_at_alt_has_follow_ups_due_and_overdue_and_gaps_to_fill,
]
