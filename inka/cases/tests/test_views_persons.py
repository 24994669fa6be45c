"""Views of persons: search, person page, corrections, the duplicate warning, consents (C2, C3)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.cases import services
from inka.cases.models import Consent, Contact
from inka.cases.services import LinkState
from inka.cases.tests.factories import (
    assert_form_errors,
    make_case,
    make_consent,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.core.models import AccessLogEntry, AuditEntry

PERSONS = reverse("cases:person_list")
DUPLICATES = reverse("cases:person_duplicates")


def today():
    return timezone.localdate()


def person_data(**changes):
    data = {
        "first_name": "Jürgen",
        "last_name": "Müller",
        "birth_date": "1980-04-01",
        "gender": "m",
        "street": "Hauptstraße 5",
        "postcode": "04600",
        "town": "Altenburg",
        "in_neighbourhood": "true",
        "phone": "03447 555",
        "email": "",
        "household_size": "3",
        "children": "1",
        "languages": "Deutsch",
        "residence_status": "",
        "disability": "",
    }
    return {**data, **changes}


def consent_data(**changes):
    data = {
        "purpose": "counselling",
        "partner": "",
        "partner_kind": "",
        "text_version": "Einwilligung Beratung, Fassung 2024-01",
        "form": "written",
        "given_on": "2024-03-01",
        "expires_on": "",
    }
    return {**data, **changes}


@pytest.fixture
def worker(world):
    return world.user("caseworker")


# Person search


def test_person_search_finds_any_spelling(world, login, worker):
    mueller = make_person(world.site_a, "Jürgen", "Müller")
    make_person(world.site_a, "Hans", "Meyer", birth_date=date(1975, 1, 1))
    make_person(world.site_b, "Jürgen", "Müller")
    client = login(world.user("reader"))
    for q in ["mueller", "MÜLLER", "Juergen Mueller"]:
        response = client.get(PERSONS, {"q": q})
        assert response.status_code == 200
        assert response.context["rows"] == [mueller], q
    response = client.get(PERSONS, {"birth_date": "1980-04-01"})
    assert response.context["rows"] == [mueller]
    assert client.get(PERSONS, {"q": "mueller", "birth_date": "1981-04-01"}).context["rows"] == []


def test_person_search_logs_the_persons_shown(world, login, worker):
    mueller = make_person(world.site_a, "Jürgen", "Müller")
    client = login(worker)
    client.get(PERSONS)
    client.get(PERSONS, {"q": "niemand"})
    assert not AccessLogEntry.objects.exists()
    client.get(PERSONS, {"q": "müller"})
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.site_id, entry.record_ids) == ("person.search", world.site_a.pk, [mueller.pk])


def test_person_search_is_paginated(world, login, worker):
    for index in range(27):
        make_person(world.site_a, f"Vorname{index:02}", "Müller")
    client = login(worker)
    assert len(client.get(PERSONS, {"q": "mueller"}).context["rows"]) == 25
    rows = client.get(PERSONS, {"q": "mueller", "page": 2}).context["rows"]
    assert [person.first_name for person in rows] == ["Vorname25", "Vorname26"]


# +1: the "contested" badges of the listed persons (inka.privacy, one query for all rows).
PERSON_SEARCH_QUERIES = 13


@pytest.mark.parametrize("rows", [1, 50])
def test_person_search_query_count_does_not_grow_with_rows(
    world, login, worker, rows, django_assert_max_num_queries
):
    for index in range(rows):
        person = make_person(world.site_a, f"Vorname{index:02}", "Müller")
        make_case(world.site_a, worker, person)
    client = login(worker)
    with django_assert_max_num_queries(PERSON_SEARCH_QUERIES):
        response = client.get(PERSONS, {"q": "mueller"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(rows, 25)


@pytest.mark.parametrize("persona", ["steering", "coordinator", "admin", "dpo"])
def test_person_search_is_refused_to_roles_without_case_work(world, login, persona):
    assert login(world.user(persona)).get(PERSONS, {"q": "x"}).status_code == 403


# Person page and corrections


def test_person_page_shows_data_consents_and_cases(world, login, worker):
    person = make_person(world.site_a, street="Hauptstraße 5", phone="03447 555")
    case = make_case(world.site_a, worker, person)
    response = login(world.user("reader")).get(person.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hauptstraße 5" in html
    assert case.reference in html
    assert response.context["consents"] == list(person.consents.all())
    assert response.context["has_open_case"] is True
    # Readers get no edit links.
    assert reverse("cases:person_edit", args=[person.pk]) not in html
    assert (
        reverse("cases:person_edit", args=[person.pk])
        in login(worker).get(person.get_absolute_url()).content.decode()
    )


def test_person_edit_saves_and_audits(world, login, worker):
    person = make_person(world.site_a, "Jürgen", "Mueller")
    url = reverse("cases:person_edit", args=[person.pk])
    client = login(worker)
    assert client.get(url).status_code == 200
    response = client.post(url, person_data())
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    person.refresh_from_db()
    assert (person.last_name, person.street, person.in_neighbourhood, person.household_size) == (
        "Müller",
        "Hauptstraße 5",
        True,
        3,
    )
    assert person.name_key == "mueller juergen"
    entry = AuditEntry.objects.get(action="inka.person.updated")
    assert entry.changes["last_name"] == ["Mueller", "Müller"]
    assert entry.actor_id == worker.pk


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"first_name": "", "last_name": ""}, ["first_name", "last_name"]),
        ({"postcode": "4600"}, ["postcode"]),
        ({"birth_date": "2999-01-01"}, ["birth_date"]),
        ({"birth_date": "31.02.1980"}, ["birth_date"]),
        ({"email": "keine-adresse"}, ["email"]),
        ({"residence_status": "martian"}, ["residence_status"]),
    ],
)
def test_person_edit_bad_input_writes_nothing(world, login, worker, changes, fields):
    person = make_person(world.site_a, "Jürgen", "Müller")
    response = login(worker).post(reverse("cases:person_edit", args=[person.pk]), person_data(**changes))
    assert_form_errors(response, *fields)
    person.refresh_from_db()
    assert person.street == ""
    assert not AuditEntry.objects.exists()


def test_person_edit_household_smaller_than_children_is_refused(world, login, worker):
    person = make_person(world.site_a)
    response = login(worker).post(
        reverse("cases:person_edit", args=[person.pk]), person_data(household_size="2", children="2")
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    person.refresh_from_db()
    assert person.household_size is None


def test_person_views_of_another_site_are_404(world, login):
    person = make_person(world.site_a)
    consent = make_consent(person, world.user("caseworker"))
    client = login(world.user("other_caseworker"))
    for url in [
        person.get_absolute_url(),
        reverse("cases:person_edit", args=[person.pk]),
        reverse("cases:consent_create", args=[person.pk]),
        reverse("cases:consent_withdraw", args=[person.pk, consent.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("cases:person_edit", args=[person.pk]), person_data(street="x")).status_code
        == 404
    )
    person.refresh_from_db()
    assert person.street == ""


# The duplicate warning (C2)


def test_duplicate_warning_finds_a_stored_mueller_from_mueller_typed(world, login, worker):
    person = make_person(world.site_a)  # Müller, Jürgen, 1980-04-01
    response = login(worker).get(
        DUPLICATES, {"last_name": "Mueller", "first_name": "Juergen", "birth_date": "01.04.1980"}
    )
    assert response.status_code == 200
    assert response.context["matches"] == [person]
    html = response.content.decode()
    assert "Müller, Jürgen" in html
    assert person.get_absolute_url() in html
    assert f"{reverse('cases:case_create')}?person={person.pk}" in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.record_ids) == ("person.duplicate_hit", [person.pk])


def test_duplicate_warning_takes_iso_dates_and_finds_meier_for_meyer(world, login, worker):
    meyer = make_person(world.site_a, "Hans", "Meyer", birth_date=date(1970, 5, 6))
    client = login(worker)
    response = client.get(
        DUPLICATES, {"last_name": "Meier", "first_name": "Hans", "birth_date": "1970-05-06"}
    )
    assert response.context["matches"] == [meyer]
    response = client.get(DUPLICATES, {"last_name": "Meier", "first_name": "Hans"})
    assert response.context["matches"] == [meyer]


def test_duplicate_warning_keeps_the_contact_in_the_link(world, login, worker):
    person = make_person(world.site_a)
    response = login(worker).get(DUPLICATES, {"last_name": "Müller", "first_name": "Jürgen", "kontakt": "7"})
    assert f"?person={person.pk}&amp;kontakt=7" in response.content.decode()


def test_duplicate_warning_never_shows_a_person_of_another_site(world, login, worker):
    make_person(world.site_b)
    query = {"last_name": "Müller", "first_name": "Jürgen", "birth_date": "01.04.1980"}
    response = login(worker).get(DUPLICATES, query)
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert "Müller" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()
    # The caseworker of site B does find them.
    assert len(login(world.user("other_caseworker")).get(DUPLICATES, query).context["matches"]) == 1


def test_duplicate_warning_with_nothing_or_bad_input_finds_nothing(world, login, worker):
    make_person(world.site_a)
    client = login(worker)
    assert client.get(DUPLICATES).context["matches"] == []
    assert client.get(DUPLICATES, {"first_name": "Jürgen"}).context["matches"] == []
    response = client.get(DUPLICATES, {"last_name": "Müller", "birth_date": "kein Datum"})
    assert response.status_code == 200
    assert response.context["matches"] == []


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("steering", 403), ("coordinator", 403)])
def test_duplicate_warning_is_for_writers(world, login, persona, status):
    make_person(world.site_a)
    response = login(world.user(persona)).get(DUPLICATES, {"last_name": "Müller", "first_name": "Jürgen"})
    assert response.status_code == status
    assert "Müller" not in response.content.decode()


# Consents (C3)


def test_consent_is_recorded_with_purpose_text_form_date_and_taker(world, login, worker):
    case = make_case(world.site_a, worker, consent=False)
    url = reverse("cases:consent_create", args=[case.person.pk])
    client = login(worker)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["given_on"] == today()
    response = client.post(url, consent_data(form="electronic", expires_on="2026-12-31"))
    assert response.status_code == 302
    # With an open case, back to the case.
    assert response["Location"] == case.get_absolute_url()
    consent = Consent.objects.get()
    assert (consent.person, consent.purpose, consent.text_version, consent.form) == (
        case.person,
        "counselling",
        "Einwilligung Beratung, Fassung 2024-01",
        "electronic",
    )
    assert (consent.given_on, consent.expires_on, consent.taken_by) == (
        date(2024, 3, 1),
        date(2026, 12, 31),
        worker,
    )
    entry = AuditEntry.objects.get(action="inka.consent.recorded")
    assert entry.changes["purpose"] == [None, "counselling"]


def test_consent_without_an_open_case_goes_back_to_the_person(world, login, worker):
    person = make_person(world.site_a)
    response = login(worker).post(reverse("cases:consent_create", args=[person.pk]), consent_data())
    assert response["Location"] == person.get_absolute_url()


def test_sharing_consent_needs_a_partner_or_kind(world, login, worker):
    person = make_person(world.site_a)
    url = reverse("cases:consent_create", args=[person.pk])
    client = login(worker)
    response = client.post(url, consent_data(purpose="sharing"))
    assert_form_errors(response, "partner")
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.exists()
    partner = make_partner(world.site_a)
    assert client.post(url, consent_data(purpose="sharing", partner=partner.pk)).status_code == 302
    assert client.post(url, consent_data(purpose="sharing", partner_kind="jobcenter")).status_code == 302
    assert sorted(
        (str(consent.partner_id), consent.partner_kind) for consent in Consent.objects.all()
    ) == sorted([(str(partner.pk), ""), ("None", "jobcenter")])


def test_sharing_consent_cannot_name_a_partner_of_another_site(world, login, worker):
    person = make_person(world.site_a)
    foreign = make_partner(world.site_b, "Jobcenter Gera", kind="jobcenter", town="Gera")
    response = login(worker).post(
        reverse("cases:consent_create", args=[person.pk]), consent_data(purpose="sharing", partner=foreign.pk)
    )
    assert_form_errors(response, "partner")
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"purpose": "", "text_version": "", "given_on": "", "form": ""},
            ["purpose", "text_version", "given_on", "form"],
        ),
        ({"given_on": "2999-01-01"}, ["given_on"]),
        ({"purpose": "gossip"}, ["purpose"]),
    ],
)
def test_consent_bad_input_writes_nothing(world, login, worker, changes, fields):
    person = make_person(world.site_a)
    response = login(worker).post(reverse("cases:consent_create", args=[person.pk]), consent_data(**changes))
    assert_form_errors(response, *fields)
    assert not Consent.objects.exists()
    assert not AuditEntry.objects.exists()


def test_consent_expiring_before_it_was_given_is_refused(world, login, worker):
    person = make_person(world.site_a)
    response = login(worker).post(
        reverse("cases:consent_create", args=[person.pk]), consent_data(expires_on="2024-02-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Consent.objects.exists()


def withdraw_url(consent):
    return reverse("cases:consent_withdraw", args=[consent.person_id, consent.pk])


def test_consent_withdrawal_is_recorded_and_history_keeps_both(world, login, worker):
    case = make_case(world.site_a, worker, consent=False)
    client = login(worker)
    client.post(reverse("cases:consent_create", args=[case.person.pk]), consent_data())
    consent = Consent.objects.get()
    assert client.get(withdraw_url(consent)).status_code == 200
    response = client.post(withdraw_url(consent), {"withdrawn_on": today().isoformat(), "note": "per Brief"})
    assert response.status_code == 302
    assert response["Location"] == case.person.get_absolute_url()
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawal_note) == (today(), "per Brief")
    entries = AuditEntry.objects.filter(object_id=str(consent.pk), content_type__model="consent")
    assert sorted(entries.values_list("action", flat=True)) == [
        "inka.consent.recorded",
        "inka.consent.withdrawn",
    ]
    # Both stay visible in the case history.
    response = client.get(reverse("cases:case_history", args=[case.pk]))
    shown = [row["entry"].action for row in response.context["rows"]]
    assert "inka.consent.recorded" in shown
    assert "inka.consent.withdrawn" in shown


def test_after_withdrawal_of_counselling_consent_the_case_takes_nothing_new(world, login, worker):
    case = make_case(world.site_a, worker)
    consent = case.person.consents.get()
    client = login(worker)
    client.post(withdraw_url(consent), {"withdrawn_on": today().isoformat(), "note": ""})
    before = (Contact.objects.count(), AuditEntry.objects.count())
    response = client.post(
        reverse("cases:contact_create", args=[case.pk]),
        {"occurred_on": today().isoformat(), "mode": "phone", "topics": ["money"], "note": "x"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert (Contact.objects.count(), AuditEntry.objects.count()) == before
    response = client.post(
        reverse("cases:goal_create", args=[case.pk]),
        {"title": "Ziel", "who_acts": "person", "status": "open"},
    )
    assert response.status_code == 400
    assert not case.goals.exists()


def test_consent_withdrawal_before_it_was_given_is_refused(world, login, worker):
    consent = make_consent(make_person(world.site_a), worker, given_on=date(2024, 3, 1))
    response = login(worker).post(withdraw_url(consent), {"withdrawn_on": "2024-02-29", "note": ""})
    assert_form_errors(response, "withdrawn_on")
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert not AuditEntry.objects.exists()


def test_consent_withdrawal_twice_is_refused(world, login, worker):
    consent = make_consent(make_person(world.site_a), worker)
    client = login(worker)
    assert client.post(withdraw_url(consent), {"withdrawn_on": "2024-05-01"}).status_code == 302
    response = client.post(withdraw_url(consent), {"withdrawn_on": today().isoformat()})
    assert response.status_code == 400
    assert response.context["form"].errors
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2024, 5, 1)
    assert AuditEntry.objects.filter(action="inka.consent.withdrawn").count() == 1


def test_consent_withdrawal_bad_input(world, login, worker):
    consent = make_consent(make_person(world.site_a), worker)
    client = login(worker)
    assert_form_errors(client.post(withdraw_url(consent), {"withdrawn_on": "", "note": ""}), "withdrawn_on")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert_form_errors(client.post(withdraw_url(consent), {"withdrawn_on": tomorrow}), "withdrawn_on")
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_consent_withdrawal_of_another_persons_consent_is_404(world, login, worker):
    consent = make_consent(make_person(world.site_a), worker)
    other = make_person(world.site_a, "Anna", "Schulz")
    url = reverse("cases:consent_withdraw", args=[other.pk, consent.pk])
    assert login(worker).post(url, {"withdrawn_on": today().isoformat()}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawing_the_sharing_consent_revokes_the_open_referral_link(world, login, worker):
    case = make_case(world.site_a, worker)
    partner = make_partner(world.site_a)
    consent = make_sharing_consent(case.person, worker, partner)
    issued = services.referral_create(actor=worker, case=case, partner=partner, purpose="Schuldnerberatung")
    assert services.referral_for_token(issued.token)[0] == LinkState.VALID
    response = login(worker).post(withdraw_url(consent), {"withdrawn_on": today().isoformat()})
    assert response.status_code == 302
    state, _referral = services.referral_for_token(issued.token)
    assert state != LinkState.VALID
    response = login(None).get(reverse("cases:referral_answer", args=[issued.token]))
    assert response.status_code in (404, 410)
    assert case.person.last_name not in response.content.decode()


@pytest.mark.parametrize("persona", ["reader", "steering"])
def test_consent_views_are_refused_to_non_writers(world, login, persona):
    person = make_person(world.site_a)
    consent = make_consent(person, world.user("caseworker"))
    client = login(world.user(persona))
    assert client.get(reverse("cases:consent_create", args=[person.pk])).status_code == 403
    assert client.post(reverse("cases:consent_create", args=[person.pk]), consent_data()).status_code == 403
    assert client.post(withdraw_url(consent), {"withdrawn_on": today().isoformat()}).status_code == 403
    assert Consent.objects.count() == 1
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
