"""ESF participation writes (services) and the reads the pages build on (selectors)."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inka.cases import services as case_services
from inka.cases.tests.factories import make_case, make_person
from inka.core.models import AuditEntry
from inka.employment.models import JobOutcome
from inka.esf import services
from inka.esf.codes import SchoolCertificate, VocationalQualification
from inka.esf.completeness import missing_fields
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.selectors import (
    add_months,
    incomplete_q,
    latest_exit_due_by,
    participation_page,
    participation_records,
    six_month_reference,
)

ENTRY = date(2024, 2, 1)


def today():
    return timezone.localdate()


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    person = make_person(world.site_a, gender="f", birth_date=date(1990, 5, 17))
    return make_case(world.site_a, worker, person)


@pytest.fixture
def started(worker, case):
    return services.participation_start(actor=worker, case=case, entry_date=ENTRY)


def complete_entry(**fields):
    values = {
        "labour_status_at_entry": "UNEMPLOYED",
        "unemployed_since": date(2023, 1, 1),
        "school_certificate": "HAUPTSCHULE",
        "vocational_qualification": "NONE",
        "leaflet_acknowledged_on": ENTRY,
    }
    return {**values, **fields}


def field_errors(info):
    return info.value.message_dict


# Start


def test_start_creates_the_participation_from_the_case(world, worker, case, started):
    assert started.participation_id == "NORD-TN-00001"
    assert started.person_key == f"INKA-{case.person.pk}"
    assert (started.site, started.person, started.case) == (world.site_a, case.person, case)
    assert (started.gender, started.date_of_birth) == ("F", date(1990, 5, 17))
    assert (started.entry_date, started.exit_date) == (ENTRY, None)
    assert [(stay.entry_date, stay.exit_date) for stay in Stay.objects.all()] == [(ENTRY, None)]
    entry = AuditEntry.objects.get(action="inka.esf.participation.started")
    assert entry.actor_id == worker.pk
    assert entry.site_id == world.site_a.pk
    assert entry.data == {"participation": started.pk}  # not on the case's history, which readers see
    assert entry.changes["participation_id"] == [None, "NORD-TN-00001"]


def test_each_person_gets_the_next_participation_id(world, worker, started):
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz", gender="x"))
    second = services.participation_start(actor=worker, case=other, entry_date=ENTRY)
    assert second.participation_id == "NORD-TN-00002"
    assert second.gender == "X"


@pytest.mark.parametrize(
    ("entry_date", "message_part"),
    [(date(2024, 1, 9), "opened"), (None, "future")],
)
def test_start_refuses_bad_entry_dates(worker, case, entry_date, message_part):
    day = entry_date or today() + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        services.participation_start(actor=worker, case=case, entry_date=day)
    assert "entry_date" in field_errors(info)
    assert not Participation.objects.exists()


def test_start_needs_an_open_case_with_consent(world, worker):
    closed = make_case(world.site_a, worker)
    case_services.case_close(
        actor=worker, case=closed, version=closed.version, closed_on=today(), close_reason="moved"
    )
    without_consent = make_case(world.site_a, worker, make_person(world.site_a, "Ida", "Lang"), consent=False)
    for case in (closed, without_consent):
        with pytest.raises(ValidationError):
            services.participation_start(actor=worker, case=case, entry_date=ENTRY)
    assert not Participation.objects.exists()


def test_starting_again_while_a_stay_is_open_is_refused(worker, case, started):
    with pytest.raises(ValidationError) as info:
        services.participation_start(actor=worker, case=case, entry_date=date(2024, 3, 1))
    assert "Austritt" in str(info.value) or "exit" in str(info.value)
    assert "entry_date" in field_errors(info)
    assert Stay.objects.count() == 1


def test_re_entry_continues_the_same_participation_and_keeps_the_first_entry(world, worker, case, started):
    services.participation_update_entry(actor=worker, participation=started, **complete_entry())
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    services.followup_record(
        actor=worker, participation=started, status="UNEMPLOYED", recorded_on=date(2024, 10, 1)
    )
    case_services.case_close(
        actor=worker, case=case, version=case.version, closed_on=date(2024, 4, 1), close_reason="moved"
    )
    later_case = make_case(world.site_a, worker, case.person, consent=False, opened_on=date(2024, 5, 2))
    again = services.participation_start(actor=worker, case=later_case, entry_date=date(2024, 5, 2))
    assert again.pk == started.pk
    assert Participation.objects.count() == 1
    again.refresh_from_db()
    assert (again.entry_date, again.exit_date) == (ENTRY, None)
    assert (again.labour_status_at_entry, again.unemployed_since) == ("UNEMPLOYED", date(2023, 1, 1))
    assert again.case == later_case  # the caseworker of the new case follows it up
    assert (again.followup_6m_status, again.followup_6m_recorded_on) == ("", None)
    assert [(s.entry_date, s.exit_date) for s in Stay.objects.order_by("entry_date")] == [
        (ENTRY, date(2024, 3, 31)),
        (date(2024, 5, 2), None),
    ]
    entry = AuditEntry.objects.get(action="inka.esf.participation.reentered")
    assert entry.changes["exit_date"] == ["2024-03-31", None]
    assert entry.changes["followup_6m_status"] == ["UNEMPLOYED", ""]
    # The final exit then follows the second stay.
    services.participation_exit(actor=worker, participation=again, exit_date=date(2024, 6, 30))
    again.refresh_from_db()
    assert (again.entry_date, again.exit_date) == (ENTRY, date(2024, 6, 30))


def test_a_re_entry_must_be_after_the_last_exit(worker, case, started):
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    with pytest.raises(ValidationError) as info:
        services.participation_start(actor=worker, case=case, entry_date=date(2024, 3, 31))
    assert "entry_date" in field_errors(info)
    assert Stay.objects.count() == 1


# The entry questionnaire


def test_the_entry_questionnaire_is_saved_with_an_audit_diff(worker, started):
    services.participation_update_entry(actor=worker, participation=started, **complete_entry())
    started.refresh_from_db()
    assert started.labour_status_at_entry == "UNEMPLOYED"
    entry = AuditEntry.objects.get(action="inka.esf.entry.updated")
    assert entry.changes["labour_status_at_entry"] == ["", "UNEMPLOYED"]
    assert entry.data == {"participation": started.pk}
    # Saving the same again writes no entry.
    services.participation_update_entry(actor=worker, participation=started, **complete_entry())
    assert AuditEntry.objects.filter(action="inka.esf.entry.updated").count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"labour_status_at_entry": "EMPLOYED", "unemployed_since": date(2023, 1, 1)}, "unemployed_since"),
        ({"labour_status_at_entry": "UNEMPLOYED", "unemployed_since": date(2024, 3, 1)}, "unemployed_since"),
        (
            {"labour_status_at_entry": "UNEMPLOYED", "in_education_or_training_at_entry": False},
            "in_education_or_training_at_entry",
        ),
        ({"labour_status_at_entry": "INACTIVE", "self_employed": True}, "self_employed"),
        ({"disability": "REFUSED"}, "sensitive_asked_on"),
        ({"household_jobless": "NO"}, "sensitive_asked_on"),
        ({"date_of_birth": date(2024, 2, 1)}, "date_of_birth"),
        ({"leaflet_acknowledged_on": date(2999, 1, 1)}, "leaflet_acknowledged_on"),
        ({"isced_level": 9}, "isced_level"),
    ],
)
def test_the_entry_questionnaire_refuses_what_does_not_fit(worker, started, fields, field):
    with pytest.raises(ValidationError) as info:
        services.participation_update_entry(actor=worker, participation=started, **fields)
    assert field in field_errors(info)
    stored = Participation.objects.get()
    assert (stored.labour_status_at_entry, stored.disability, stored.household_jobless) == ("", "", "")
    assert not AuditEntry.objects.filter(action="inka.esf.entry.updated").exists()


def test_sensitive_answers_with_the_date_they_were_asked(worker, started):
    services.participation_update_entry(
        actor=worker,
        participation=started,
        disability="REFUSED",
        minority="NO",
        sensitive_asked_on=ENTRY,
    )
    started.refresh_from_db()
    assert (started.disability, started.minority) == ("REFUSED", "NO")


def test_changing_the_entry_date_moves_the_first_stay_but_not_past_a_result(worker, started):
    services.participation_update_entry(actor=worker, participation=started, entry_date=date(2024, 2, 5))
    assert Stay.objects.get().entry_date == date(2024, 2, 5)
    services.exit_event_add(
        actor=worker, participation=started, occurred_on=date(2024, 2, 10), type="EMPLOYED"
    )
    with pytest.raises(ValidationError) as info:
        services.participation_update_entry(actor=worker, participation=started, entry_date=date(2024, 2, 12))
    assert "entry_date" in field_errors(info)
    assert Participation.objects.get().entry_date == date(2024, 2, 5)


# Exit


def test_the_exit_closes_the_open_stay_and_can_be_corrected(worker, started):
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    assert Stay.objects.get().exit_date == date(2024, 3, 31)
    assert Participation.objects.get().exit_date == date(2024, 3, 31)
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 4, 2))
    assert Participation.objects.get().exit_date == date(2024, 4, 2)
    assert list(
        AuditEntry.objects.filter(action__startswith="inka.esf.exit")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["inka.esf.exit.recorded", "inka.esf.exit.corrected"]


@pytest.mark.parametrize("day", [date(2024, 1, 31), None])
def test_the_exit_is_neither_before_the_entry_nor_in_the_future(worker, started, day):
    with pytest.raises(ValidationError) as info:
        services.participation_exit(
            actor=worker, participation=started, exit_date=day or today() + timedelta(days=1)
        )
    assert "exit_date" in field_errors(info)
    assert Participation.objects.get().exit_date is None
    assert Stay.objects.get().exit_date is None


# Results


def test_results_are_added_and_removed_with_audit_entries(worker, started):
    event = services.exit_event_add(
        actor=worker, participation=started, occurred_on=date(2024, 4, 3), type="JOB_SEARCHING"
    )
    start = services.education_start_add(
        actor=worker, participation=started, started_on=date(2024, 4, 5), title="Berufsschule"
    )
    qualification = services.qualification_add(
        actor=worker,
        participation=started,
        awarded_on=date(2024, 4, 6),
        title="Staplerschein",
        recognised=True,
    )
    assert (ExitEvent.objects.count(), EducationStart.objects.count(), Qualification.objects.count()) == (
        1,
        1,
        1,
    )
    services.exit_event_remove(actor=worker, exit_event=event)
    services.education_start_remove(actor=worker, education_start=start)
    services.qualification_remove(actor=worker, qualification=qualification)
    assert not (
        ExitEvent.objects.exists() or EducationStart.objects.exists() or Qualification.objects.exists()
    )
    actions = list(AuditEntry.objects.filter(action__contains=".added").values_list("action", flat=True))
    assert sorted(actions) == [
        "inka.esf.education_start.added",
        "inka.esf.exit_event.added",
        "inka.esf.qualification.added",
    ]
    removed = AuditEntry.objects.get(action="inka.esf.exit_event.removed")
    assert removed.changes["type"] == ["JOB_SEARCHING", None]
    assert removed.data == {"participation": started.pk}


@pytest.mark.parametrize(
    ("add", "field"),
    [
        (
            lambda p, d: services.exit_event_add(actor=None, participation=p, occurred_on=d, type="EMPLOYED"),
            "occurred_on",
        ),
        (lambda p, d: services.education_start_add(actor=None, participation=p, started_on=d), "started_on"),
        (
            lambda p, d: services.qualification_add(
                actor=None, participation=p, awarded_on=d, title="Kurs", recognised=False
            ),
            "awarded_on",
        ),
    ],
)
@pytest.mark.parametrize("when", ["before_entry", "future"])
def test_results_are_not_before_the_entry_nor_in_the_future(started, add, field, when):
    day = ENTRY - timedelta(days=1) if when == "before_entry" else today() + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        add(started, day)
    assert field in field_errors(info)
    assert not (
        ExitEvent.objects.exists() or EducationStart.objects.exists() or Qualification.objects.exists()
    )


# "No answer possible"


def test_no_answer_possible_needs_an_exit_and_a_written_reason(worker, started):
    with pytest.raises(ValidationError) as info:
        services.exit_no_answer_set(actor=worker, participation=started, no_answer=True, reason="Umgezogen")
    assert "no_answer" in field_errors(info)
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    with pytest.raises(ValidationError) as info:
        services.exit_no_answer_set(actor=worker, participation=started, no_answer=True, reason="  ")
    assert "exit_no_answer_reason" in field_errors(info)
    services.exit_no_answer_set(
        actor=worker, participation=started, no_answer=True, reason="Dreimal angerufen,\r\nkein Anschluss"
    )
    assert Participation.objects.get().exit_no_answer_reason == "Dreimal angerufen,\nkein Anschluss"
    # While it is documented, no situation within the 28 days can be added; taking it back allows it.
    with pytest.raises(ValidationError):
        services.exit_event_add(
            actor=worker, participation=started, occurred_on=date(2024, 4, 2), type="EMPLOYED"
        )
    services.exit_no_answer_set(actor=worker, participation=started, no_answer=False)
    assert Participation.objects.get().exit_no_answer_reason == ""
    services.exit_event_add(
        actor=worker, participation=started, occurred_on=date(2024, 4, 2), type="EMPLOYED"
    )
    with pytest.raises(ValidationError) as info:
        services.exit_no_answer_set(actor=worker, participation=started, no_answer=True, reason="unbekannt")
    assert "no_answer" in field_errors(info)
    assert AuditEntry.objects.filter(action="inka.esf.exit.no_answer").count() == 2


# The six-month follow-up


@pytest.fixture
def left(worker, started):
    services.participation_update_entry(
        actor=worker, participation=started, labour_status_at_entry="EMPLOYED", self_employed=False
    )
    return services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))


def test_the_follow_up_is_only_after_the_exit(worker, started):
    with pytest.raises(ValidationError) as info:
        services.followup_record(actor=worker, participation=started, status="EMPLOYED", recorded_on=ENTRY)
    assert "followup_6m_status" in field_errors(info)


def test_the_follow_up_is_recorded_and_can_be_taken_back(worker, left):
    services.followup_record(
        actor=worker,
        participation=left,
        status="EMPLOYED",
        recorded_on=date(2024, 10, 2),
        improved=True,
        improvement="UNDER_TO_FULL",
    )
    stored = Participation.objects.get()
    assert (stored.followup_6m_status, stored.followup_6m_improved, stored.followup_6m_improvement) == (
        "EMPLOYED",
        True,
        "UNDER_TO_FULL",
    )
    services.followup_record(actor=worker, participation=left, status="", recorded_on=None)
    stored.refresh_from_db()
    assert (stored.followup_6m_status, stored.followup_6m_improved, stored.followup_6m_recorded_on) == (
        "",
        None,
        None,
    )
    assert AuditEntry.objects.filter(action="inka.esf.followup.recorded").count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "EMPLOYED", "recorded_on": None}, "followup_6m_recorded_on"),
        ({"status": "EMPLOYED", "recorded_on": date(2024, 3, 30)}, "followup_6m_recorded_on"),
        (
            {"status": "UNEMPLOYED", "recorded_on": date(2024, 10, 2), "improved": True},
            "followup_6m_improved",
        ),
        (
            {
                "status": "EMPLOYED",
                "recorded_on": date(2024, 10, 2),
                "improved": False,
                "improvement": "PROMOTION",
            },
            "followup_6m_improvement",
        ),
    ],
)
def test_the_follow_up_refuses_what_does_not_fit(worker, left, fields, field):
    with pytest.raises(ValidationError) as info:
        services.followup_record(actor=worker, participation=left, **fields)
    assert field in field_errors(info)
    assert Participation.objects.get().followup_6m_status == ""


def test_improvement_is_asked_only_of_people_employed_at_entry(worker, started):
    services.participation_update_entry(actor=worker, participation=started, **complete_entry())
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    with pytest.raises(ValidationError) as info:
        services.followup_record(
            actor=worker,
            participation=started,
            status="EMPLOYED",
            recorded_on=date(2024, 10, 2),
            improved=True,
        )
    assert "followup_6m_improved" in field_errors(info)


# Job outcomes adopted as results


def outcome(case, kind, starts_on=date(2024, 4, 2), **fields):
    return JobOutcome.objects.create(case=case, kind=kind, starts_on=starts_on, **fields)


@pytest.mark.parametrize(
    ("kind", "event_type"),
    [
        ("employment", "EMPLOYED"),
        ("mini_job", "EMPLOYED"),
        ("apprenticeship", "EMPLOYED"),
        ("self_employment", "SELF_EMPLOYED"),
    ],
)
def test_a_job_becomes_a_situation_after_leaving(worker, case, started, kind, event_type):
    job = outcome(case, kind)
    (event,) = services.job_outcome_adopt(actor=worker, participation=started, job_outcome=job)
    assert (event.occurred_on, event.type, event.job_outcome) == (date(2024, 4, 2), event_type, job)
    entry = AuditEntry.objects.get(action="inka.esf.job_outcome.adopted")
    assert entry.data == {
        "participation": started.pk,
        "job_outcome": job.pk,
        "results": [f"exitevent:{event.pk}"],
    }


def test_a_job_still_running_at_the_exit_is_the_situation_upon_leaving(worker, case, started):
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 6, 30))
    running = outcome(case, "employment", starts_on=date(2024, 5, 2))
    ended = outcome(case, "mini_job", starts_on=date(2024, 5, 2), ends_on=date(2024, 5, 31))
    (event,) = services.job_outcome_adopt(actor=worker, participation=started, job_outcome=running)
    (earlier,) = services.job_outcome_adopt(actor=worker, participation=started, job_outcome=ended)
    assert event.occurred_on == date(2024, 6, 30)  # the exit day: inside the 28-day window
    assert earlier.occurred_on == date(2024, 5, 2)  # over before the exit: not a result


def test_a_training_with_a_qualification_becomes_a_start_and_a_qualification(worker, case, started):
    training = outcome(
        case,
        "training",
        ends_on=date(2024, 6, 28),
        employer_or_provider="Bildungswerk Altenburg",
        qualification="Fachkraft Lagerlogistik",
    )
    start, qualification = services.job_outcome_adopt(
        actor=worker, participation=started, job_outcome=training
    )
    assert (start.started_on, start.title, start.job_outcome) == (
        date(2024, 4, 2),
        "Bildungswerk Altenburg",
        training,
    )
    assert (qualification.awarded_on, qualification.title, qualification.recognised) == (
        date(2024, 6, 28),
        "Fachkraft Lagerlogistik",
        True,
    )
    measure = outcome(case, "measure")
    (only_start,) = services.job_outcome_adopt(actor=worker, participation=started, job_outcome=measure)
    assert isinstance(only_start, EducationStart)
    assert only_start.title  # the kind's label when no provider is named


def test_an_outcome_is_adopted_once(worker, case, started):
    job = outcome(case, "employment")
    services.job_outcome_adopt(actor=worker, participation=started, job_outcome=job)
    with pytest.raises(ValidationError):
        services.job_outcome_adopt(actor=worker, participation=started, job_outcome=job)
    assert ExitEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="inka.esf.job_outcome.adopted").count() == 1


def test_adoption_refuses_outcomes_before_the_entry_or_of_another_person(world, worker, case, started):
    early = outcome(case, "training", starts_on=date(2024, 1, 20), qualification="Kurs")
    with pytest.raises(ValidationError):
        services.job_outcome_adopt(actor=worker, participation=started, job_outcome=early)
    stranger = make_case(world.site_a, worker, make_person(world.site_a, "Olaf", "Berg"))
    with pytest.raises(ValidationError):
        services.job_outcome_adopt(
            actor=worker, participation=started, job_outcome=outcome(stranger, "employment")
        )
    assert not (
        EducationStart.objects.exists() or Qualification.objects.exists() or ExitEvent.objects.exists()
    )


def test_a_qualification_not_yet_gained_is_not_adopted(worker, case, started):
    running = outcome(case, "training", ends_on=today() + timedelta(days=30), qualification="Schweißerpass")
    with pytest.raises(ValidationError):
        services.job_outcome_adopt(actor=worker, participation=started, job_outcome=running)
    assert not EducationStart.objects.exists()


# Reads behind the pages


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2022, 8, 31), 6) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 15), -6) == date(2023, 9, 15)
    assert six_month_reference(date(2024, 12, 31)) == date(2025, 6, 30)


def test_the_database_bound_of_due_follow_ups_matches_the_reference_date():
    exits = [date(2023, 1, 1) + timedelta(days=n) for n in range(800)]
    for day in [
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2023, 2, 28),
        date(2024, 8, 31),
        date(2024, 4, 30),
    ]:
        bound = latest_exit_due_by(day)
        for exit_date in exits:
            assert (six_month_reference(exit_date) <= day) == (exit_date <= bound), (day, exit_date)


def test_the_incomplete_filter_agrees_with_the_completeness_rule(world):
    schools = ["", *SchoolCertificate.values]
    vocational = ["", *VocationalQualification.values]
    rows = []
    for index, (school, degree, status, isced) in enumerate(
        itertools.product(schools, vocational, ["", "EMPLOYED", "UNEMPLOYED", "INACTIVE"], [None, 3])
    ):
        rows.append(
            Participation(
                site=world.site_a,
                participation_id=f"T-{index}",
                person_key=f"K-{index}",
                entry_date=ENTRY,
                gender="F" if index % 5 else "",
                date_of_birth=date(1990, 1, 1) if index % 7 else None,
                labour_status_at_entry=status,
                unemployed_since=date(2023, 1, 1) if index % 3 else None,
                in_education_or_training_at_entry=None if index % 2 else False,
                school_certificate=school,
                vocational_qualification=degree,
                isced_level=isced,
            )
        )
    Participation.objects.bulk_create(rows)
    participations = list(Participation.objects.select_related("site").order_by("pk"))
    by_rule = {
        p.pk
        for p, record in zip(participations, participation_records(participations), strict=True)
        if missing_fields(record)
    }
    by_filter = set(Participation.objects.filter(incomplete_q()).values_list("pk", flat=True))
    assert by_rule == by_filter
    assert 0 < len(by_filter) < len(participations)


def test_the_page_says_what_is_missing_and_what_is_due(worker, case, started):
    page = participation_page(participation=started, today=date(2024, 10, 1))
    assert page.state.missing == ["labour_status_at_entry", "isced_level"]
    assert page.state.leaflet_missing
    assert (page.state.situation_due_on, page.state.followup_on) == (None, None)
    services.participation_update_entry(actor=worker, participation=started, **complete_entry())
    services.participation_exit(actor=worker, participation=started, exit_date=date(2024, 3, 31))
    job = outcome(case, "employment")
    page = participation_page(participation=started, today=date(2024, 9, 20))
    assert page.state.complete
    assert not page.state.leaflet_missing
    assert page.state.situation_due_on == date(2024, 4, 28)
    assert page.state.situation_overdue
    assert (page.state.followup_on, page.state.followup_due, page.state.followup_overdue) == (
        date(2024, 9, 30),
        True,
        False,
    )
    assert [(row.outcome, row.adopted) for row in page.job_outcomes] == [(job, False)]
    services.job_outcome_adopt(actor=worker, participation=started, job_outcome=job)
    page = participation_page(participation=started, today=date(2024, 9, 20))
    assert page.state.situation_due_on is None
    assert [row.adopted for row in page.job_outcomes] == [True]
    assert participation_page(participation=started, today=date(2024, 9, 15)).state.followup_due is False
