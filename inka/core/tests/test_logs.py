"""The log pages' filters, the anomalies box, the breach question and the CSV downloads."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.utils.translation import gettext as _

from inka.cases import services
from inka.cases.models import Contact, Document, Person
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.core import grants, selectors
from inka.core.audit import audit, log_access
from inka.core.logsafe import traceback_without_messages, visible_controls
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.scoping import site_access

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=BERLIN)


def request_as(user, request_id="r1"):
    request = RequestFactory().get("/")
    request.user = user
    request.site_access = site_access(user)
    request.request_id = request_id
    return request


def read(
    user, *, at=T0, action="person.view", site=None, records=(), record_type=None, record_ids=(), denied=False
):
    """One access-log row written at `at` (the log's time is set by the database layer)."""
    with time_machine.travel(at, tick=False):
        return log_access(
            request_as(user),
            action=action,
            site_id=site.pk if site else None,
            records=records,
            record_type=record_type,
            record_ids=record_ids,
            denied=denied,
        )


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


@pytest.fixture
def work(world):
    caseworker = world.user("caseworker")
    case = make_case(world.site_a, caseworker)
    other = make_person(world.site_a, "Erika", "Schulz")
    return caseworker, case, case.person, other


# Filters


def test_person_filter_finds_the_person_and_their_cases_by_id_and_in_lists(world, work):
    caseworker, case, person, other = work
    opened = read(caseworker, site=world.site_a, records=[person])
    listed = read(caseworker, site=world.site_a, action="person.search", records=[other, person])
    as_text = read(caseworker, site=world.site_a, record_type=Person, record_ids=[str(person.pk)])
    of_case = read(caseworker, site=world.site_a, action="case.view", records=[case])
    read(caseworker, site=world.site_a, records=[other])
    # A case whose id equals the person's id is another record type: not a hit.
    read(caseworker, site=world.site_a, record_type=Contact, record_ids=[person.pk])
    found = selectors.access_log_list(site_ids=None, person=person.pk)
    assert set(found) == {opened, listed, as_text, of_case}
    assert list(selectors.access_log_list(site_ids=None, case=case.pk)) == [of_case]
    assert list(selectors.access_log_list(site_ids=[world.site_b.pk], person=person.pk)) == []


def test_change_history_person_filter_includes_consents_cases_and_contacts(world, work):
    caseworker, case, person, other = work
    created = audit(actor=caseworker, action="inka.person.updated", obj=person)
    consent = services.consent_record(
        actor=caseworker, person=person, purpose="counselling", given_on=case.opened_on, text_version="v1"
    )
    contact = services.contact_record(
        actor=caseworker,
        site=world.site_a,
        case=case,
        topics=["money"],
        occurred_on=case.opened_on,
        mode="phone",
    )
    audit(actor=caseworker, action="inka.person.updated", obj=other)
    found = {entry.action for entry in selectors.audit_entry_list(site_ids=None, person=person.pk)}
    assert found == {"inka.person.updated", "inka.consent.recorded", "inka.contact.recorded"}
    assert created.object_id == str(person.pk) and consent.pk and contact.pk
    by_case = {entry.action for entry in selectors.audit_entry_list(site_ids=None, case=case.pk)}
    assert by_case == {"inka.contact.recorded"}


def test_log_page_filters_by_account_outcome_and_time(world, work, login):
    caseworker, _case, person, other = work
    read(caseworker, at=T0, site=world.site_a, records=[person])
    read(caseworker, at=T0 + timedelta(hours=2), site=world.site_a, records=[other])
    read(world.user("reader"), at=T0, site=world.site_a, records=[person])
    read(caseworker, at=T0, site=world.site_a, action="cases:case_detail", record_ids=[99], denied=True)
    client = login(world.user("site_lead"))
    response = client.get(
        "/protokolle/zugriffe/",
        {"account": caseworker.pk, "outcome": "allowed", "date_from": "2026-03-02", "time_from": "10:30"},
    )
    assert response.status_code == 200
    assert [entry.record_ids for entry in response.context["page"].object_list] == [[other.pk]]
    choices = dict(response.context["form"].fields["account"].choices)
    assert choices[caseworker.pk] == "caseworker@nord.test"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"person": "Müller"}, "person"),
        ({"account": "999999"}, "account"),
        ({"action": "inka.unknown.thing"}, "action"),
        ({"time_from": "10:00"}, "date_from"),
        ({"date_from": "2026-02-30"}, "date_from"),
    ],
)
def test_bad_filter_input_is_refused_at_the_field(world, login, params, field):
    response = login(world.user("dpo")).get("/protokolle/zugriffe/", params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}-error"' in response.content.decode()


def test_log_csv_download_is_filtered_escaped_and_logged(world, work, login):
    caseworker, _case, person, _other = work
    read(caseworker, site=world.site_a, records=[person])
    evil = make_person(world.site_a, "=HYPERLINK(1)", "Test")
    read(caseworker, site=world.site_a, action="=cmd|' /C calc'!A0", records=[evil])
    client = login(world.user("site_lead"))
    response = client.get("/protokolle/zugriffe/", {"account": caseworker.pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 3
    assert rows[1][5] == "'=cmd|' /C calc'!A0"
    assert rows[2][7] == str(person.pk) and rows[2][3] == "ThINKA Nord"
    assert "Müller" not in response.content.decode("utf-8-sig")
    export = AccessLogEntry.objects.get(action="log.access.export")
    assert export.actor_id == world.user("site_lead").pk and export.site_id == world.site_a.pk


def test_change_history_page_shows_values_and_logs_the_read(world, work, login):
    caseworker, case, _person, _other = work
    entry = audit(actor=caseworker, action="inka.case.updated", obj=case, changes={"situation": ["", "neu"]})
    html = login(world.user("dpo")).get("/protokolle/aenderungen/").content.decode()
    assert "Fall geändert" in html and "neu" in html
    row = AccessLogEntry.objects.get(action="log.audit.view")
    assert entry.pk in row.record_ids
    assert row.content_type == ContentType.objects.get_for_model(AuditEntry)


# Anomalies


def test_anomalies_name_accounts_above_the_thresholds_only(world, work):
    caseworker, _case, _person, _other = work
    prober, reader = world.user("other_caseworker"), world.user("reader")
    for minute in range(21):
        read(
            prober,
            at=T0 + timedelta(seconds=25 * minute),
            site=world.site_b,
            record_ids=[minute],
            denied=True,
        )
    for minute in range(20):  # 20 is not more than 20
        read(
            caseworker,
            at=T0 + timedelta(seconds=25 * minute),
            site=world.site_a,
            record_ids=[minute],
            denied=True,
        )
    # 25 refusals spread over two hours are no burst.
    for minute in range(25):
        read(
            reader, at=T0 + timedelta(minutes=5 * minute), site=world.site_a, record_ids=[minute], denied=True
        )
    persons = [make_person(world.site_a, f"P{index}", "Liste") for index in range(201)]
    for index in range(0, 201, 25):
        read(
            reader,
            at=T0 + timedelta(minutes=index // 25),
            site=world.site_a,
            records=persons[index : index + 25],
        )
    # The same 200 persons over and over are 200 persons.
    for round in range(3):
        read(caseworker, at=T0 + timedelta(minutes=round), site=world.site_a, records=persons[:200])
    found = selectors.anomalies(site_ids=None, start=T0 - timedelta(hours=1), end=T0 + timedelta(hours=3))
    assert [(a.actor_label, a.kind, a.count) for a in found] == [
        ("caseworker@sued.test", "denied", 21),
        ("reader@nord.test", "persons", 201),
    ]
    assert found[0].start == T0
    # Site A's lead sees its own site only.
    led = selectors.anomalies(
        site_ids=[world.site_a.pk], start=T0 - timedelta(hours=1), end=T0 + timedelta(hours=3)
    )
    assert [a.kind for a in led] == ["persons"]
    assert (
        selectors.anomalies(site_ids=None, start=T0 + timedelta(hours=4), end=T0 + timedelta(hours=5)) == []
    )


# The breach question


@pytest.fixture
def breach(world, work):
    """A caseworker who read a person, a case, a contact and a document, and was refused twice."""
    caseworker, case, person, other = work
    contact = make_contact(world.site_a, caseworker, case=case)
    document = Document.objects.create(
        case=case, title="Bescheid", original_name="b.pdf", stored_name="b.pdf",
        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=caseworker,
    )  # fmt: skip
    third = make_case(world.site_a, caseworker, make_person(world.site_a, "Anna", "Zander"))
    read(caseworker, at=T0, site=world.site_a, records=[person])
    read(caseworker, at=T0 + timedelta(minutes=5), site=world.site_a, action="case.view", records=[case])
    read(
        caseworker, at=T0 + timedelta(minutes=9), site=world.site_a, action="case.contacts", records=[contact]
    )
    read(
        caseworker,
        at=T0 + timedelta(minutes=10),
        site=world.site_a,
        action="document.download",
        records=[document],
    )
    read(caseworker, at=T0 + timedelta(minutes=20), site=world.site_a, action="view", records=[third])
    read(caseworker, at=T0 + timedelta(minutes=30), site=world.site_a, records=[other])
    read(
        caseworker, at=T0 + timedelta(days=3), site=world.site_a, records=[make_person(world.site_a, "Spät")]
    )
    read(world.user("reader"), at=T0, site=world.site_a, records=[make_person(world.site_a, "Fremd")])
    for minute in range(2):
        read(caseworker, at=T0 + timedelta(minutes=minute), site=world.site_a, record_ids=[7], denied=True)
    return caseworker, person, other, third.person


def test_breach_answer_resolves_every_record_to_its_person(world, breach):
    caseworker, person, other, third = breach
    answer = selectors.persons_seen(
        actor_id=caseworker.pk, start=T0, end=T0 + timedelta(hours=1), site_ids=None, show_restricted=True
    )
    assert [(seen.person_id, seen.times) for seen in answer.persons] == [
        (person.pk, 4),
        (other.pk, 1),
        (third.pk, 1),
    ]
    assert answer.persons[0].first == T0 and answer.persons[0].last == T0 + timedelta(minutes=10)
    assert answer.denied == 2 and answer.reads == 6
    assert selectors.persons_seen(
        actor_id=caseworker.pk, start=T0, end=T0 + timedelta(hours=1), site_ids=[world.site_b.pk],
        show_restricted=True,
    ).persons == []  # fmt: skip


def test_breach_answer_hides_names_of_restricted_persons_from_site_leads(world, breach):
    caseworker, _person, other, _third = breach
    Person.objects.filter(pk=other.pk).update(restricted_at=T0)
    window = {"actor_id": caseworker.pk, "start": T0, "end": T0 + timedelta(hours=1)}
    lead = selectors.persons_seen(**window, site_ids=[world.site_a.pk], show_restricted=False)
    hidden = next(seen for seen in lead.persons if seen.person_id == other.pk)
    assert hidden.restricted and hidden.last_name == "" and hidden.first_name == ""
    dpo = selectors.persons_seen(**window, site_ids=None, show_restricted=True)
    assert next(seen for seen in dpo.persons if seen.person_id == other.pk).last_name == "Schulz"


@pytest.mark.parametrize("reads", [1, 30])
def test_breach_page_answers_in_a_bounded_number_of_queries(
    world, work, login, reads, django_assert_max_num_queries
):
    caseworker, case, _person, _other = work
    for index in range(reads):
        contact = make_contact(world.site_a, caseworker, case=case)
        read(
            caseworker,
            at=T0 + timedelta(minutes=index),
            site=world.site_a,
            action="case.contacts",
            records=[contact],
        )
        read(
            caseworker,
            at=T0 + timedelta(minutes=index),
            site=world.site_a,
            action="case.view",
            records=[case],
        )
        read(caseworker, at=T0, site=world.site_a, records=[make_person(world.site_a, f"N{index}")])
    client = login(world.user("site_lead"))
    params = {"account": caseworker.pk, "date_from": "2026-03-02", "date_to": "2026-03-03"}
    with django_assert_max_num_queries(16):
        response = client.get("/protokolle/gesehene-personen/", params)
    assert response.status_code == 200
    assert len(response.context["answer"].persons) == reads + 1
    html = response.content.decode()
    assert "Müller, Jürgen" in html and _("A data breach must be reported within 72 hours") in html


def test_breach_page_logs_the_list_and_its_download(world, breach, login):
    caseworker, person, other, third = breach
    client = login(world.user("dpo"))
    params = {"account": caseworker.pk, "date_from": "2026-03-02", "time_from": "09:00"}
    params |= {"date_to": "2026-03-02", "time_to": "10:00"}
    client.get("/protokolle/gesehene-personen/", params)
    view = AccessLogEntry.objects.get(action="log.breach.view")
    assert sorted(view.record_ids) == sorted([person.pk, other.pk, third.pk])
    assert view.content_type == ContentType.objects.get_for_model(Person)
    rows = csv_rows(client.get("/protokolle/gesehene-personen/", {**params, "format": "csv"}))
    assert rows[1][:5] == [str(person.pk), "Müller", "Jürgen", "ThINKA Nord", "4"]
    assert [_("Refused attempts in the period"), "2"] in rows
    assert AccessLogEntry.objects.filter(action="log.breach.export").count() == 1


def test_breach_page_requires_account_and_period(world, login):
    response = login(world.user("dpo")).get("/protokolle/gesehene-personen/", {"account": ""})
    assert response.status_code == 400
    assert {"account", "date_from", "date_to"} <= set(response.context["form"].errors)
    assert not AccessLogEntry.objects.filter(action__startswith="log.breach").exists()


# Safe logs and grants


def test_visible_controls_keeps_one_record_per_line():
    assert visible_controls("a\n2025-01-01 INFO fake\x1b[31m") == "a\\n2025-01-01 INFO fake\\x1b[31m"
    assert visible_controls("Zeile 1\nZeile 2\r", keep_newlines=True) == "Zeile 1\nZeile 2\\r"
    assert visible_controls("Müller – 12.000 €") == "Müller – 12.000 €"


def test_traceback_without_messages_keeps_frames_and_drops_values():
    note = "Schulden " + "12.000 €"  # built at run time: the traceback's source lines cannot hold it
    try:
        try:
            raise ValueError(note)
        except ValueError as error:
            raise RuntimeError(f"note: {note}") from error
    except RuntimeError as error:
        text = traceback_without_messages(error)
    assert "Schulden" not in text
    assert "builtins.ValueError (message withheld)" in text and "builtins.RuntimeError" in text
    assert "test_traceback_without_messages_keeps_frames_and_drops_values" in text


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal; PostgreSQL: t30")
def test_grants_exist_on_postgresql_only(settings, db):
    with pytest.raises(RuntimeError):
        grants.apply_grants("inka_app")
    settings.DB_APP_ROLE = "inka_app"
    grants.grant_after_migrate(sender=None)  # no PostgreSQL: nothing to grant, no error
