"""Services and selectors of case work, against the database."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from inka.cases import selectors, services
from inka.cases.models import (
    Case,
    Consent,
    Contact,
    ContactMode,
    FollowUp,
    Goal,
    GoalStep,
    Person,
    Progress,
    Referral,
)
from inka.cases.services import EditConflict, LinkState
from inka.cases.tests.factories import (
    make_case,
    make_consent,
    make_contact,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def error_fields(excinfo):
    error = excinfo.value
    return set(error.error_dict) if hasattr(error, "error_dict") else set()


def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("pk").values_list("action", flat=True))


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker)


# Persons


def test_person_create_sets_the_name_keys_and_audits(world, worker):
    person = services.person_create(
        actor=worker, site=world.site_a, first_name="Jürgen", last_name="Müller", birth_date=date(1980, 4, 1)
    )
    person.refresh_from_db()
    assert person.name_key == "mueller juergen"
    assert person.last_name_sound == "657"
    entry = AuditEntry.objects.get(action="inka.person.created")
    assert entry.actor_id == worker.pk
    assert entry.site_id == world.site_a.pk
    assert entry.object_id == str(person.pk)
    assert entry.changes["last_name"] == [None, "Müller"]
    assert entry.changes["birth_date"] == [None, "1980-04-01"]


def test_person_create_refuses_a_birth_date_in_the_future(world, worker):
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=worker,
            site=world.site_a,
            first_name="Anna",
            last_name="Schulz",
            birth_date=today() + timedelta(days=1),
        )
    assert error_fields(excinfo) == {"birth_date"}
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


def test_person_create_refuses_more_children_than_household(world, worker):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=worker,
            site=world.site_a,
            first_name="Anna",
            last_name="Schulz",
            household_size=2,
            children=2,
        )
    assert not Person.objects.exists()


def test_person_update_recomputes_keys_and_audits_old_and_new(world, worker):
    person = make_person(world.site_a, "Hans", "Meyer")
    services.person_update(actor=worker, person=person, last_name="Müller", phone="0151 1234567")
    person.refresh_from_db()
    assert person.name_key == "mueller hans"
    assert person.last_name_sound == "657"
    entry = AuditEntry.objects.get(action="inka.person.updated")
    assert entry.changes["last_name"] == ["Meyer", "Müller"]
    assert entry.changes["phone"] == ["", "0151 1234567"]
    assert set(entry.changes) == {"last_name", "phone"}


def test_person_update_without_change_writes_no_audit_entry(world, worker):
    person = make_person(world.site_a)
    services.person_update(actor=worker, person=person, first_name=person.first_name)
    assert not AuditEntry.objects.filter(action="inka.person.updated").exists()


# Consents


def test_consent_record_keeps_purpose_version_form_date_and_taker(world, worker):
    person = make_person(world.site_a)
    consent = services.consent_record(
        actor=worker,
        person=person,
        purpose=Consent.Purpose.COUNSELLING,
        text_version="Fassung 2024-01",
        form=Consent.Form.ELECTRONIC,
        given_on=date(2024, 3, 1),
    )
    consent.refresh_from_db()
    assert (consent.purpose, consent.text_version, consent.form, consent.given_on, consent.taken_by) == (
        "counselling",
        "Fassung 2024-01",
        "electronic",
        date(2024, 3, 1),
        worker,
    )
    entry = AuditEntry.objects.get(action="inka.consent.recorded")
    assert entry.site_id == world.site_a.pk
    assert entry.data["person"] == person.pk


def test_sharing_consent_needs_a_partner_or_a_partner_kind(world, worker):
    person = make_person(world.site_a)
    with pytest.raises(ValidationError):
        services.consent_record(
            actor=worker,
            person=person,
            purpose=Consent.Purpose.SHARING,
            text_version="Fassung 2024-01",
            given_on=date(2024, 3, 1),
        )
    assert not Consent.objects.exists()
    consent = services.consent_record(
        actor=worker,
        person=person,
        purpose=Consent.Purpose.SHARING,
        partner_kind="debt_counselling",
        text_version="Fassung 2024-01",
        given_on=date(2024, 3, 1),
    )
    assert consent.partner_kind == "debt_counselling"


def test_a_consent_other_than_sharing_names_no_partner(world, worker):
    partner = make_partner(world.site_a)
    consent = services.consent_record(
        actor=worker,
        person=make_person(world.site_a),
        purpose=Consent.Purpose.COUNSELLING,
        partner=partner,
        partner_kind="jobcenter",
        text_version="Fassung 2024-01",
        given_on=date(2024, 3, 1),
    )
    consent.refresh_from_db()
    assert consent.partner is None
    assert consent.partner_kind == ""


def test_consent_cannot_be_given_in_the_future(world, worker):
    with pytest.raises(ValidationError) as excinfo:
        services.consent_record(
            actor=worker,
            person=make_person(world.site_a),
            purpose=Consent.Purpose.COUNSELLING,
            text_version="Fassung 2024-01",
            given_on=today() + timedelta(days=1),
        )
    assert error_fields(excinfo) == {"given_on"}


def test_consent_withdrawal_before_it_was_given_is_refused(world, worker):
    consent = make_consent(make_person(world.site_a), worker, given_on=date(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=date(2024, 2, 28))
    assert error_fields(excinfo) == {"withdrawn_on"}
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_consent_withdrawal_in_the_future_is_refused(world, worker):
    consent = make_consent(make_person(world.site_a), worker)
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today() + timedelta(days=1))
    assert error_fields(excinfo) == {"withdrawn_on"}


def test_consent_cannot_be_withdrawn_twice(world, worker):
    consent = make_consent(make_person(world.site_a), worker)
    services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today(), note="am Telefon")
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today())
    consent.refresh_from_db()
    assert consent.withdrawn_on == today()
    assert consent.withdrawal_note == "am Telefon"
    assert actions() == ["inka.consent.withdrawn"]


def test_after_withdrawal_of_counselling_consent_nothing_new_is_recorded(world, worker, case):
    consent = case.person.consents.get()
    services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today())
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=worker,
            site=world.site_a,
            case=case,
            topics=["money"],
            occurred_on=today(),
            mode=ContactMode.PHONE,
        )
    with pytest.raises(ValidationError):
        services.goal_create(actor=worker, case=case, title="Schulden ordnen")
    assert not Contact.objects.exists()
    assert not Goal.objects.exists()


def test_the_history_keeps_the_consent_and_its_withdrawal(world, worker, case):
    consent = services.consent_record(
        actor=worker,
        person=case.person,
        purpose=Consent.Purpose.PHOTOS,
        text_version="Fotos 2024",
        given_on=date(2024, 5, 1),
    )
    services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=date(2024, 6, 1))
    history = list(selectors.case_history(case=case).values_list("action", flat=True))
    assert history.count("inka.consent.recorded") == 1
    assert history.count("inka.consent.withdrawn") == 1
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_counselling_consent_on_respects_expiry_and_withdrawal(world, worker):
    person = make_person(world.site_a)
    consent = make_consent(person, worker, given_on=date(2024, 1, 10), expires_on=date(2024, 12, 31))
    assert services.counselling_consent_on(person, date(2024, 1, 9)) is None
    assert services.counselling_consent_on(person, date(2024, 6, 1)) == consent
    assert services.counselling_consent_on(person, date(2025, 1, 1)) is None
    consent.expires_on = None
    consent.withdrawn_on = date(2024, 7, 1)
    consent.save()
    assert services.counselling_consent_on(person, date(2024, 6, 30)) == consent
    assert services.counselling_consent_on(person, date(2024, 7, 1)) is None


# Cases


def test_case_open_numbers_cases_per_site_and_year(world, worker):
    first = services.case_open(
        actor=worker,
        person=make_person(world.site_a, "Anna", "Schulz"),
        caseworker=worker,
        opened_on=date(2024, 3, 1),
        needs=["money", "housing"],
    )
    second = services.case_open(
        actor=worker,
        person=make_person(world.site_a, "Berta", "Krause"),
        caseworker=worker,
        opened_on=date(2024, 3, 2),
    )
    assert (first.reference, second.reference) == ("NORD-2024-0001", "NORD-2024-0002")
    assert sorted(first.needs.values_list("topic", flat=True)) == ["housing", "money"]
    entry = AuditEntry.objects.filter(action="inka.case.opened").order_by("pk").first()
    assert entry.changes["needs"] == [None, ["housing", "money"]]
    assert entry.data["person"] == first.person_id


def test_a_person_has_at_most_one_open_case(world, worker, case):
    with pytest.raises(ValidationError):
        services.case_open(actor=worker, person=case.person, caseworker=worker, opened_on=today())
    assert Case.objects.count() == 1


def test_case_open_refuses_a_date_in_the_future(world, worker):
    person = make_person(world.site_a)
    with pytest.raises(ValidationError) as excinfo:
        services.case_open(actor=worker, person=person, caseworker=worker, opened_on=today() + timedelta(1))
    assert error_fields(excinfo) == {"opened_on"}
    assert not Case.objects.exists()


def test_case_open_for_new_person_writes_both_or_neither(world, worker):
    with pytest.raises(ValidationError):
        services.case_open_for_new_person(
            actor=worker,
            site=world.site_a,
            person_fields={"first_name": "Anna", "last_name": "Schulz"},
            caseworker=worker,
            opened_on=today() + timedelta(days=3),
        )
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()
    case = services.case_open_for_new_person(
        actor=worker,
        site=world.site_a,
        person_fields={"first_name": "Anna", "last_name": "Schulz"},
        caseworker=worker,
        opened_on=today(),
        needs=["work"],
    )
    assert case.person.last_name == "Schulz"
    assert actions() == ["inka.person.created", "inka.case.opened"]


def test_case_open_takes_over_an_anonymous_contact(world, worker):
    contact = make_contact(world.site_a, worker)
    case = services.case_open(
        actor=worker, person=make_person(world.site_a), caseworker=worker, opened_on=contact.occurred_on,
        from_contact=contact,
    )  # fmt: skip
    contact.refresh_from_db()
    assert contact.case == case
    assert AuditEntry.objects.filter(action="inka.contact.attached", object_id=str(contact.pk)).exists()


def test_case_open_refuses_a_contact_that_already_belongs_to_a_case(world, worker, case):
    contact = make_contact(world.site_a, worker, case=case)
    with pytest.raises(ValidationError):
        services.case_open(
            actor=worker,
            person=make_person(world.site_a, "Anna", "Schulz"),
            caseworker=worker,
            opened_on=today(),
            from_contact=contact,
        )
    contact.refresh_from_db()
    assert contact.case == case
    assert Case.objects.count() == 1


def test_case_update_saves_bumps_the_version_and_audits_the_diff(world, worker, case):
    services.case_update(
        actor=worker,
        case=case,
        version=1,
        needs=["money", "housing"],
        life_situation="Mietschulden\r\nseit März",
    )
    case.refresh_from_db()
    assert case.version == 2
    assert case.life_situation == "Mietschulden\nseit März"
    entry = AuditEntry.objects.get(action="inka.case.updated")
    assert entry.changes["life_situation"] == ["", "Mietschulden\nseit März"]
    assert entry.changes["needs"] == [["money"], ["housing", "money"]]


def test_case_update_with_a_stale_version_raises_edit_conflict_and_changes_nothing(world, worker, case):
    services.case_update(actor=worker, case=case, version=1, needs=["money"], notes="erste Fassung")
    stale = Case.objects.get(pk=case.pk)
    with pytest.raises(EditConflict) as excinfo:
        services.case_update(actor=worker, case=stale, version=1, needs=["crisis"], notes="zweite Fassung")
    assert excinfo.value.current.notes == "erste Fassung"
    case.refresh_from_db()
    assert case.notes == "erste Fassung"
    assert case.version == 2
    assert list(case.needs.values_list("topic", flat=True)) == ["money"]
    assert actions(action="inka.case.updated") == ["inka.case.updated"]


def test_case_close_before_opening_is_refused(world, worker, case):
    with pytest.raises(ValidationError) as excinfo:
        services.case_close(
            actor=worker, case=case, version=1, closed_on=date(2024, 1, 9), close_reason="goals_achieved"
        )
    assert error_fields(excinfo) == {"closed_on"}
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.version) == ("open", None, 1)
    assert not AuditEntry.objects.exists()


def test_case_close_ticks_off_open_follow_ups_and_reopen_restores(world, worker, case):
    follow_up = FollowUp.objects.create(
        case=case,
        due_on=today() + timedelta(days=3),
        subject="Anrufen",
        assigned_to=worker,
        created_by=worker,
    )
    services.case_close(
        actor=worker, case=case, version=1, closed_on=today(), close_reason="goals_achieved", outcome="gut"
    )
    case.refresh_from_db()
    follow_up.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason, case.version) == (
        "closed",
        today(),
        "goals_achieved",
        2,
    )
    assert follow_up.done_on == today()
    with pytest.raises(ValidationError):
        services.case_close(actor=worker, case=case, version=2, closed_on=today(), close_reason="other")
    services.case_reopen(actor=worker, case=case, version=2)
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.close_reason, case.version) == ("open", None, "", 3)
    assert actions() == ["inka.case.closed", "inka.case.reopened"]


def test_case_close_with_a_stale_version_raises_edit_conflict(world, worker, case):
    with pytest.raises(EditConflict):
        services.case_close(actor=worker, case=case, version=7, closed_on=today(), close_reason="other")
    case.refresh_from_db()
    assert case.status == "open"


def test_reopen_is_refused_while_the_person_has_another_open_case(world, worker, case):
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    services.case_open(actor=worker, person=case.person, caseworker=worker, opened_on=today())
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.case_reopen(actor=worker, case=case, version=case.version)
    case.refresh_from_db()
    assert case.status == "closed"


# Contacts


def test_anonymous_contact_is_recorded_with_topics_and_no_text(world, worker):
    contact = services.contact_record(
        actor=worker,
        site=world.site_a,
        topics=["money", "housing", "money"],
        occurred_on=today(),
        mode=ContactMode.OUTREACH,
        age_band="30-44",
    )
    assert contact.case is None
    assert sorted(contact.topics.values_list("topic", flat=True)) == ["housing", "money"]
    assert AuditEntry.objects.get(action="inka.contact.recorded").changes["topics"] == [
        None,
        ["housing", "money"],
    ]


@pytest.mark.parametrize(
    ("fields", "topics", "field"),
    [
        ({"occurred_on": date(2999, 1, 1)}, ["money"], "occurred_on"),
        ({}, [], "topics"),
        ({"note": "Frau K. aus der Hauptstraße"}, ["money"], "note"),
        ({"next_step": "anrufen"}, ["money"], "note"),
    ],
)
def test_anonymous_contact_refuses_bad_input(world, worker, fields, topics, field):
    data = {"occurred_on": today(), "mode": ContactMode.WALK_IN, **fields}
    with pytest.raises(ValidationError) as excinfo:
        services.contact_record(actor=worker, site=world.site_a, topics=topics, **data)
    assert error_fields(excinfo) == {field}
    assert not Contact.objects.exists()


def test_contact_on_a_case_takes_the_case_site_and_refuses_dates_before_opening(world, worker, case):
    with pytest.raises(ValidationError) as excinfo:
        services.contact_record(
            actor=worker, site=world.site_b, case=case, topics=["money"], occurred_on=date(2024, 1, 1),
            mode=ContactMode.PHONE,
        )  # fmt: skip
    assert error_fields(excinfo) == {"occurred_on"}
    contact = services.contact_record(
        actor=worker, site=world.site_b, case=case, topics=["money"], occurred_on=today(),
        mode=ContactMode.PHONE, note="Rückruf",
    )  # fmt: skip
    assert contact.site == world.site_a
    assert contact.case == case


def test_no_contact_on_a_closed_case(world, worker, case):
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=worker, site=world.site_a, case=case, topics=["money"], occurred_on=today(),
            mode=ContactMode.PHONE,
        )  # fmt: skip
    assert not Contact.objects.exists()


def test_no_contact_on_a_case_without_counselling_consent(world, worker):
    case = make_case(world.site_a, worker, consent=False)
    with pytest.raises(ValidationError):
        services.contact_record(
            actor=worker, site=world.site_a, case=case, topics=["money"], occurred_on=today(),
            mode=ContactMode.PHONE,
        )  # fmt: skip
    assert not Contact.objects.exists()


def test_contact_update_audits_the_diff_with_topics(world, worker, case):
    contact = make_contact(world.site_a, worker, case=case, note="alt")
    services.contact_update(
        actor=worker, contact=contact, topics=["money", "health"], note="neu", occurred_on=contact.occurred_on
    )
    entry = AuditEntry.objects.get(action="inka.contact.updated")
    assert entry.changes["note"] == ["alt", "neu"]
    assert entry.changes["topics"] == [["money"], ["health", "money"]]
    assert entry.data["case"] == case.pk
    assert sorted(contact.topics.values_list("topic", flat=True)) == ["health", "money"]


# Help plan and follow-ups


def test_goal_status_sets_and_clears_done_on(world, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Schulden ordnen", status=Progress.ACHIEVED)
    assert goal.done_on == today()
    services.goal_update(actor=worker, goal=goal, status=Progress.OPEN)
    goal.refresh_from_db()
    assert goal.done_on is None
    services.goal_update(actor=worker, goal=goal, status=Progress.GIVEN_UP, done_on=date(2024, 5, 1))
    goal.refresh_from_db()
    assert (goal.status, goal.done_on) == ("given_up", date(2024, 5, 1))
    assert actions() == ["inka.goal.added", "inka.goal.updated", "inka.goal.updated"]
    assert AuditEntry.objects.filter(action="inka.goal.updated").first().data["case"] == case.pk


def test_goal_done_on_in_the_future_is_refused(world, worker, case):
    with pytest.raises(ValidationError) as excinfo:
        services.goal_create(
            actor=worker,
            case=case,
            title="Schulden ordnen",
            status=Progress.ACHIEVED,
            done_on=today() + timedelta(days=2),
        )
    assert error_fields(excinfo) == {"done_on"}
    assert not Goal.objects.exists()


def test_steps_are_added_and_ticked_off(world, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Wohnung halten")
    step = services.step_create(actor=worker, goal=goal, title="Vermieter anrufen", due_on=date(2024, 5, 1))
    assert step.done_on is None
    services.step_update(actor=worker, step=step, status=Progress.ACHIEVED)
    step.refresh_from_db()
    assert (step.status, step.done_on) == ("achieved", today())
    assert actions() == ["inka.goal.added", "inka.goal.step_added", "inka.goal.step_updated"]


def test_no_step_on_a_closed_case(world, worker, case):
    goal = services.goal_create(actor=worker, case=case, title="Wohnung halten")
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    goal.refresh_from_db()
    with pytest.raises(ValidationError):
        services.step_create(actor=worker, goal=goal, title="Vermieter anrufen")
    assert not GoalStep.objects.exists()


def test_follow_up_create_and_done(world, worker, case):
    follow_up = services.follow_up_create(
        actor=worker,
        case=case,
        due_on=today(),
        subject="Bescheid prüfen",
        assigned_to=world.user("site_lead"),
    )
    assert follow_up.created_by == worker
    services.follow_up_done(actor=worker, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.done_on == today()
    with pytest.raises(ValidationError):
        services.follow_up_done(actor=worker, follow_up=follow_up)
    assert actions() == ["inka.follow_up.added", "inka.follow_up.done"]


# Referrals


@pytest.fixture
def partner(world):
    return make_partner(world.site_a, "Schuldnerberatung Altenburg", kind="debt_counselling")


def refer(case, partner, worker, **fields):
    return services.referral_create(
        actor=worker, case=case, partner=partner, purpose="Schuldnerberatung", **fields
    )


def test_referral_without_sharing_consent_is_refused(world, worker, case, partner):
    with pytest.raises(ValidationError) as excinfo:
        refer(case, partner, worker)
    assert error_fields(excinfo) == {"partner"}
    assert not Referral.objects.exists()


def test_referral_with_consent_for_the_partner_by_name(world, worker, case, partner):
    consent = make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker, message="Bitte um Termin")
    referral = Referral.objects.get()
    assert referral.consent == consent
    assert referral.consent_override_reason == ""
    assert referral.status == "sent"
    assert referral.sent_on == today()
    # Only the hash of the token is stored.
    assert issued.token not in referral.token_hash
    assert len(referral.token_hash) == 64
    assert referral.link_is_live
    assert AuditEntry.objects.get(action="inka.referral.sent").changes["consent"] == [None, consent.pk]


def test_referral_with_consent_for_the_partner_kind(world, worker, case, partner):
    consent = make_sharing_consent(case.person, worker, partner_kind="debt_counselling")
    refer(case, partner, worker)
    assert Referral.objects.get().consent == consent


def test_consent_for_another_partner_or_kind_does_not_count(world, worker, case, partner):
    other = make_partner(world.site_a, "Jobcenter Altenburger Land", kind="jobcenter")
    make_sharing_consent(case.person, worker, other)
    make_sharing_consent(case.person, worker, partner_kind="jobcenter")
    make_consent(case.person, worker, purpose=Consent.Purpose.ESF)
    with pytest.raises(ValidationError):
        refer(case, partner, worker)
    assert not Referral.objects.exists()


def test_withdrawn_or_expired_sharing_consent_does_not_count(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner, withdrawn_on=date(2024, 2, 1))
    make_sharing_consent(case.person, worker, partner_kind="debt_counselling", expires_on=date(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        refer(case, partner, worker)
    assert error_fields(excinfo) == {"partner"}
    assert not Referral.objects.exists()


def test_referral_with_an_override_reason_records_it_without_consent(world, worker, case, partner):
    refer(case, partner, worker, override_reason="  Räumungsklage, Frist morgen  ")
    referral = Referral.objects.get()
    assert referral.consent is None
    assert referral.consent_override_reason == "Räumungsklage, Frist morgen"


def test_override_reason_is_not_stored_when_a_consent_covers_the_referral(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    refer(case, partner, worker, override_reason="eilig")
    assert Referral.objects.get().consent_override_reason == ""


def test_referral_to_an_inactive_partner_is_refused(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    partner.is_active = False
    partner.save()
    with pytest.raises(ValidationError) as excinfo:
        refer(case, partner, worker)
    assert error_fields(excinfo) == {"partner"}
    assert not Referral.objects.exists()


def test_referral_on_a_closed_case_is_refused(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    with pytest.raises(ValidationError):
        refer(case, partner, worker)


def test_link_states(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    assert services.referral_for_token(issued.token) == (LinkState.VALID, issued.referral)
    assert services.referral_for_token("nonsense") == (LinkState.UNKNOWN, None)
    assert services.referral_for_token("") == (LinkState.UNKNOWN, None)
    with time_machine.travel(timezone.now() + timedelta(days=services.REFERRAL_LINK_DAYS, hours=1)):
        assert services.referral_for_token(issued.token)[0] == LinkState.EXPIRED
    services.referral_answer(token=issued.token, status="accepted", answered_by=" Frau Beispiel ")
    assert services.referral_for_token(issued.token)[0] == LinkState.USED


def test_partner_answers_once(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    services.referral_answer(token=issued.token, status="accepted", answered_by=" Frau Beispiel ")
    referral = Referral.objects.get()
    assert (referral.status, referral.answered_on, referral.answered_by) == (
        "accepted",
        today(),
        "Frau Beispiel",
    )
    assert referral.link_used_at is not None
    with pytest.raises(ValidationError):
        services.referral_answer(token=issued.token, status="declined", reason="doch nicht")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    entry = AuditEntry.objects.get(action="inka.referral.answered_by_partner")
    assert entry.actor_id is None
    assert entry.data["case"] == case.pk


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"status": "declined"}, "reason"),
        ({"status": "declined", "reason": "   "}, "reason"),
        ({"status": "completed"}, "outcome"),
        ({"status": "withdrawn"}, "status"),
        ({"status": "sent"}, "status"),
    ],
)
def test_partner_answer_needs_a_reason_or_outcome(world, worker, case, partner, answer, field):
    make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    with pytest.raises(ValidationError) as excinfo:
        services.referral_answer(token=issued.token, **answer)
    assert error_fields(excinfo) == {field}
    referral = Referral.objects.get()
    assert referral.status == "sent"
    assert referral.link_used_at is None


def test_expired_link_cannot_answer(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    Referral.objects.update(link_expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.referral_answer(token=issued.token, status="accepted")
    assert Referral.objects.get().status == "sent"


def test_withdrawing_the_sharing_consent_revokes_the_open_link(world, worker, case, partner):
    consent = make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today())
    state, _referral = services.referral_for_token(issued.token)
    assert state != LinkState.VALID
    with pytest.raises(ValidationError):
        services.referral_answer(token=issued.token, status="accepted")
    entry = AuditEntry.objects.get(action="inka.consent.withdrawn")
    assert entry.data["revoked_referral_links"] == [issued.referral.pk]
    with pytest.raises(ValidationError):
        services.referral_renew_link(actor=worker, referral=Referral.objects.get())


def test_renewing_the_link_stops_the_old_one(world, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    issued = refer(case, partner, worker)
    renewed = services.referral_renew_link(actor=worker, referral=issued.referral)
    assert renewed.token != issued.token
    assert services.referral_for_token(issued.token)[0] == LinkState.UNKNOWN
    assert services.referral_for_token(renewed.token)[0] == LinkState.VALID
    services.referral_answer(token=renewed.token, status="accepted")
    with pytest.raises(ValidationError):
        services.referral_renew_link(actor=worker, referral=Referral.objects.get())


@pytest.mark.parametrize(
    ("start", "status", "allowed"),
    [
        ("sent", "accepted", True),
        ("sent", "withdrawn", True),
        ("sent", "completed", False),
        ("accepted", "completed", True),
        ("accepted", "declined", False),
        ("declined", "accepted", False),
        ("completed", "withdrawn", False),
    ],
)
def test_referral_update_follows_the_status_rules(world, worker, case, partner, start, status, allowed):
    make_sharing_consent(case.person, worker, partner)
    referral = refer(case, partner, worker).referral
    Referral.objects.filter(pk=referral.pk).update(status=start)
    referral.refresh_from_db()
    fields = {"outcome": "Termin wahrgenommen", "reason": "voll"}
    if allowed:
        services.referral_update(actor=worker, referral=referral, status=status, **fields)
        referral.refresh_from_db()
        assert referral.status == status
        assert referral.token_hash == ""
    else:
        with pytest.raises(ValidationError):
            services.referral_update(actor=worker, referral=referral, status=status, **fields)
        referral.refresh_from_db()
        assert referral.status == start


# Selectors


def test_case_list_searches_names_in_any_spelling_and_references(world, worker):
    mueller = make_case(world.site_a, worker, make_person(world.site_a, "Jürgen", "Müller"))
    make_case(world.site_a, worker, make_person(world.site_a, "Hans", "Meyer"))
    make_case(world.site_b, world.user("other_caseworker"), make_person(world.site_b, "Jürgen", "Müller"))
    for q in ["mueller", "Müller", "MUELLER", "juergen mueller", "müll"]:
        assert list(selectors.case_list(site_id=world.site_a.pk, q=q)) == [mueller], q
    assert list(selectors.case_list(site_id=world.site_a.pk, q=mueller.reference.lower())) == [mueller]
    assert list(selectors.case_list(site_id=world.site_a.pk, q="Schulz")) == []
    assert list(selectors.case_list(site_id=world.site_a.pk, q="!!")) == []


def test_case_list_filters(world, worker):
    lead = world.user("site_lead")
    first = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    second = make_case(world.site_a, lead, make_person(world.site_a, "Berta", "Krause"))
    second.needs.create(topic="housing")
    Case.objects.filter(pk=second.pk).update(status="closed", closed_on=date(2024, 6, 1))
    FollowUp.objects.create(
        case=first, due_on=today() - timedelta(days=1), subject="x", assigned_to=worker, created_by=worker
    )
    FollowUp.objects.create(
        case=second, due_on=today() + timedelta(days=5), subject="y", assigned_to=lead, created_by=lead
    )
    site = world.site_a.pk
    assert list(selectors.case_list(site_id=site, status="open")) == [first]
    assert list(selectors.case_list(site_id=site, status="closed")) == [second]
    assert list(selectors.case_list(site_id=site, caseworker_id=lead.pk)) == [second]
    assert list(selectors.case_list(site_id=site, topic="housing")) == [second]
    assert set(selectors.case_list(site_id=site, follow_ups="open")) == {first, second}
    assert list(selectors.case_list(site_id=site, follow_ups="overdue")) == [first]
    annotated = selectors.case_list(site_id=site).get(pk=second.pk)
    assert annotated.next_follow_up_on == today() + timedelta(days=5)


def test_person_search_by_name_and_birth_date_within_the_site(world, worker):
    person = make_person(world.site_a, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    make_person(world.site_a, "Jürgen", "Müller", birth_date=date(1990, 1, 1))
    make_person(world.site_b, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    make_case(world.site_a, worker, person)
    found = list(selectors.person_search(site_id=world.site_a.pk, q="mueller", birth_date=date(1980, 4, 1)))
    assert found == [person]
    assert found[0].case_count == 1
    assert found[0].open_case_id == person.cases.get().pk
    assert len(selectors.person_search(site_id=world.site_a.pk, q="Juergen Mueller")) == 2


def test_person_duplicates_finds_spelling_variants_with_the_same_birth_date(world):
    mueller = make_person(world.site_a, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    found = selectors.person_duplicates(
        site_id=world.site_a.pk, first_name="Juergen", last_name="Mueller", birth_date=date(1980, 4, 1)
    )
    assert found == [mueller]


def test_person_duplicates_meier_and_meyer(world):
    meyer = make_person(world.site_a, "Hans", "Meyer", birth_date=None)
    found = selectors.person_duplicates(
        site_id=world.site_a.pk, first_name="Hans", last_name="Meier", birth_date=None
    )
    assert found == [meyer]


def test_person_duplicates_rules(world):
    mueller = make_person(world.site_a, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    unknown_birth = make_person(world.site_a, "Jürgen", "Mueller", birth_date=None)
    make_person(world.site_a, "Jürgen", "Müller", birth_date=date(1975, 1, 1))
    make_person(world.site_a, "Petra", "Müller", birth_date=date(1981, 1, 1))
    make_person(world.site_b, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    site = world.site_a.pk

    def find(**query):
        return selectors.person_duplicates(site_id=site, **{"first_name": "", "birth_date": None, **query})

    assert set(find(first_name="Jürgen", last_name="Müller", birth_date=date(1980, 4, 1))) == {
        mueller,
        unknown_birth,
    }
    # Without a first name, the same birth date is enough.
    assert find(last_name="Müller", birth_date=date(1980, 4, 1)) == [mueller]
    # A different first name and no birth date: nobody.
    assert find(first_name="Karl", last_name="Müller") == []
    # The person being edited is not their own duplicate.
    assert unknown_birth not in find(first_name="Jürgen", last_name="Müller", exclude_pk=unknown_birth.pk)
    assert find(first_name="Jürgen", last_name="") == []
    assert find(first_name="Jürgen", last_name="Schulz", birth_date=date(1980, 4, 1)) == []


def test_person_duplicates_never_crosses_sites(world):
    make_person(world.site_b, "Jürgen", "Müller", birth_date=date(1980, 4, 1))
    found = selectors.person_duplicates(
        site_id=world.site_a.pk, first_name="Jürgen", last_name="Müller", birth_date=date(1980, 4, 1)
    )
    assert found == []


def test_work_list_shows_the_users_overdue_and_upcoming_follow_ups_and_waiting_referrals(world, worker):
    lead = world.user("site_lead")
    case = make_case(world.site_a, worker)
    other_case = make_case(world.site_a, lead, make_person(world.site_a, "Anna", "Schulz"))

    def follow_up(days, user=worker, **fields):
        return FollowUp.objects.create(
            case=case, due_on=today() + timedelta(days=days), subject=f"in {days}", assigned_to=user,
            created_by=user, **fields,
        )  # fmt: skip

    overdue = follow_up(-3)
    due_today = follow_up(0)
    upcoming = follow_up(14)
    follow_up(15)  # beyond the next two weeks
    follow_up(-1, done_on=today())  # done
    follow_up(-1, user=lead)  # someone else's
    partner = make_partner(world.site_a)
    make_sharing_consent(case.person, worker, partner)
    make_sharing_consent(other_case.person, lead, partner)
    mine = refer(case, partner, worker).referral
    by_lead_on_my_case = services.referral_create(
        actor=lead, case=case, partner=partner, purpose="x"
    ).referral
    refer(other_case, partner, lead)  # neither created by me nor my case
    answered = refer(case, partner, worker)
    services.referral_answer(token=answered.token, status="accepted")

    work = selectors.work_list(user=worker, site_ids=[world.site_a.pk])
    assert work.overdue == [overdue]
    assert work.upcoming == [due_today, upcoming]
    assert set(work.waiting_referrals) == {mine, by_lead_on_my_case}
    assert selectors.work_list(user=worker, site_ids=[world.site_b.pk]).overdue == []


def test_case_history_covers_the_case_its_person_and_its_parts_only(world, worker):
    case = make_case(world.site_a, worker)
    other = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    services.case_update(actor=worker, case=case, version=1, needs=["money"], notes="x")
    services.person_update(actor=worker, person=case.person, phone="123")
    services.goal_create(actor=worker, case=case, title="Ziel")
    services.case_update(actor=worker, case=other, version=1, needs=["money"], notes="y")
    history = list(selectors.case_history(case=case).values_list("action", flat=True))
    assert sorted(history) == ["inka.case.updated", "inka.goal.added", "inka.person.updated"]


def test_history_rows_leave_out_special_categories_for_those_who_may_not_see_them(world, worker, case):
    services.case_update(
        actor=worker, case=case, version=1, needs=["money"], health_note="Diabetes-XYZ", notes="Notiz"
    )
    entries = list(selectors.case_history(case=case))
    hidden = selectors.history_rows(entries, can_see_special=False)
    shown = selectors.history_rows(entries, can_see_special=True)
    assert "Diabetes-XYZ" not in str(hidden)
    assert "Notiz" in str(hidden)
    assert "Diabetes-XYZ" in str(shown)
