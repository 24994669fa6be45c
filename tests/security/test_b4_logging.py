"""Security tests 27–32 (security-anchors.md b, part 4): the access log, the change history and logs
that can be neither forged nor used to leak social data."""

import csv
import io
import logging
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import ProgrammingError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.cases import services, uploads
from inka.cases.models import Case, Consent, Contact, Document, Person
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.core.audit import audit, log_access
from inka.core.grants import apply_grants
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.scoping import site_access
from inka.esf import services as esf_services
from inka.esf.models import Participation, Qualification

PAGES = ["core:access_log", "core:audit_log", "core:breach_question"]


def new_rows(model, since):
    return list(model.objects.filter(pk__gt=since).order_by("pk"))


def last_pk(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def casework(world):
    """A person of site A with a case, a contact, a sharing consent and a stored document."""
    caseworker = world.user("caseworker")
    case = make_case(world.site_a, caseworker)
    document = Document.objects.create(
        case=case, title="Mietschuldenbescheid", original_name="bescheid.pdf", stored_name="t27.pdf",
        content_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=caseworker,
    )  # fmt: skip
    uploads.path_of(document.stored_name).parent.mkdir(parents=True, exist_ok=True)
    uploads.path_of(document.stored_name).write_bytes(b"%PDF-1.4\n")
    contact = make_contact(world.site_a, caseworker, case=case, note="Mahnung besprochen")
    return case, case.person, contact, document


def test_t27_every_read_of_social_data_writes_one_access_row_with_ids_only(world, login, casework):
    case, person, contact, document = casework
    caseworker = world.user("caseworker")
    client = login(caseworker)
    reads = [
        (reverse("cases:person_detail", args=[person.pk]), {}, "person.view", Person, [person.pk]),
        (reverse("cases:case_detail", args=[case.pk]), {}, "case.view", Case, [case.pk]),
        (
            reverse("cases:document_download", kwargs={"case_pk": case.pk, "pk": document.pk}),
            {}, "document.download", Document, [document.pk],
        ),
        (reverse("cases:person_list"), {"q": "Müller"}, "person.search", Person, [person.pk]),
    ]  # fmt: skip
    contents = [
        person.last_name,
        person.first_name,
        "1980-04-01",
        case.reference,
        document.title,
        contact.note,
    ]
    for url, params, action, model, ids in reads:
        since = last_pk(AccessLogEntry)
        assert client.get(url, params).status_code == 200, url
        [row] = new_rows(AccessLogEntry, since)
        assert (row.action, row.content_type.model_class(), row.record_ids) == (action, model, ids)
        assert (row.actor_id, row.role, row.site_id, row.outcome) == (
            caseworker.pk, "caseworker", world.site_a.pk, "allowed",
        )  # fmt: skip
        assert len(row.request_id) == 16
        stored = " ".join(str(value) for value in vars(row).values())
        assert not [text for text in contents if text in stored], action
    # An export: the list of persons an account saw, downloaded by the site lead.
    since = last_pk(AccessLogEntry)
    lead = login(world.user("site_lead"))
    today = timezone.localdate().isoformat()
    params = {"account": caseworker.pk, "date_from": today, "date_to": today, "format": "csv"}
    response = lead.get(reverse("core:breach_question"), params)
    assert response["Content-Type"].startswith("text/csv") and "Müller" in response.content.decode()
    [row] = new_rows(AccessLogEntry, since)
    assert (row.action, row.content_type.model_class(), row.record_ids) == (
        "log.breach.export",
        Person,
        [person.pk],
    )
    assert "Müller" not in " ".join(str(value) for value in vars(row).values())


def test_t28_refused_attempts_are_logged_and_bursts_show_as_anomalies(world, login, casework):
    case, person, contact, document = casework
    prober = world.user("other_caseworker")
    client = login(prober)
    attempts = [
        (reverse("cases:person_detail", args=[person.pk]), [person.pk]),
        (reverse("cases:case_detail", args=[case.pk]), [case.pk]),
        (reverse("cases:contact_edit", kwargs={"case_pk": case.pk, "pk": contact.pk}), [case.pk, contact.pk]),
        (
            reverse("cases:document_download", kwargs={"case_pk": case.pk, "pk": document.pk}),
            [case.pk, document.pk],
        ),
    ]
    for url, ids in attempts:
        since = last_pk(AccessLogEntry)
        assert client.get(url).status_code == 404, url
        [row] = new_rows(AccessLogEntry, since)
        assert (row.outcome, row.record_ids, row.actor_id) == ("denied", ids, prober.pk)
        # Under the prober's own site, where its lead sees it.
        assert row.site_id == world.site_b.pk
    # A 403: a reader of site A may see the case, not change it.
    since = last_pk(AccessLogEntry)
    assert login(world.user("reader")).get(reverse("cases:case_edit", args=[case.pk])).status_code == 403
    [row] = new_rows(AccessLogEntry, since)
    assert (row.outcome, row.action, row.record_ids) == ("denied", "cases:case_edit", [case.pk])
    # Walking through sequential ids: 4 refusals above, 17 more make 21 within ten minutes.
    client = login(prober)
    for pk in range(person.pk + 1, person.pk + 18):
        assert client.get(reverse("cases:person_detail", args=[pk])).status_code == 404
    response = login(world.user("dpo")).get(reverse("core:access_log"))
    flagged = [(anomaly.actor_id, anomaly.kind, anomaly.count) for anomaly in response.context["anomalies"]]
    assert flagged == [(prober.pk, "denied", 21)]
    assert "anomalies-title" in response.content.decode()
    # Site A's lead does not see site B's attempts; the reader's single refusal is no anomaly.
    response = login(world.user("site_lead")).get(reverse("core:access_log"))
    assert response.context["anomalies"] == []


def test_t29_changes_leave_one_history_entry_each_with_actor_time_and_diff(world, login):
    """Cases, contacts and consents are never deleted by the application: a case is closed and a
    consent withdrawn (the retention run anonymises later). Records that can be deleted, like a
    qualification of an ESF participation, leave their last values behind as a tombstone."""
    worker = world.user("caseworker")
    person = make_person(world.site_a)

    def one_entry(action, change, *, diffed=True):
        since, before = last_pk(AuditEntry), timezone.now()
        change()
        [entry] = new_rows(AuditEntry, since)
        assert entry.action == action
        assert (entry.actor_id, entry.actor_label, entry.role) == (
            worker.pk,
            "caseworker@nord.test",
            "caseworker",
        )
        assert before <= entry.at <= timezone.now()
        if diffed:
            assert entry.changes and all(old != new for old, new in entry.changes.values()), action
        return entry

    one_entry(
        "inka.consent.recorded",
        lambda: services.consent_record(
            actor=worker, person=person, purpose=Consent.Purpose.COUNSELLING, given_on=date(2024, 1, 10),
            text_version="Einwilligung 2024-01",
        ),
    )  # fmt: skip
    one_entry(
        "inka.case.opened",
        lambda: services.case_open(
            actor=worker, person=person, caseworker=worker, opened_on=date(2024, 1, 10), needs=["money"]
        ),
    )
    case = Case.objects.get(person=person)
    one_entry(
        "inka.case.updated",
        lambda: services.case_update(
            actor=worker, case=case, version=case.version, needs=["money"], life_situation="Mietschulden"
        ),
    )
    one_entry(
        "inka.contact.recorded",
        lambda: services.contact_record(
            actor=worker, site=world.site_a, case=case, topics=["money"], occurred_on=date(2024, 2, 1),
            mode="phone", note="Erstgespräch",
        ),
    )  # fmt: skip
    contact = Contact.objects.get(case=case)
    one_entry(
        "inka.contact.updated",
        lambda: services.contact_update(
            actor=worker, contact=contact, topics=["money"], note="Erstgespräch, Unterlagen fehlen"
        ),
    )
    consent = Consent.objects.get(person=person)
    # The withdrawal names its date in the entry's details (the consent's own values stay as given).
    withdrawn = one_entry(
        "inka.consent.withdrawn",
        lambda: services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=date(2024, 3, 1)),
        diffed=False,
    )
    assert withdrawn.data["withdrawn_on"] == "2024-03-01" and withdrawn.object_id == str(consent.pk)
    closed = one_entry(
        "inka.case.closed",
        lambda: services.case_close(
            actor=worker,
            case=case,
            version=case.version,
            closed_on=date(2024, 3, 2),
            close_reason="goals_achieved",
        ),
    )
    assert closed.changes["status"] == ["open", "closed"]
    # Deletion: the tombstone keeps what was there, who removed it and when.
    participation = Participation.objects.create(
        site=world.site_a, person=person, case=case, participation_id="NORD-TN-00001",
        person_key=f"INKA-{person.pk}", entry_date=date(2024, 1, 10),
    )  # fmt: skip
    qualification = esf_services.qualification_add(
        actor=worker,
        participation=participation,
        awarded_on=date(2024, 2, 20),
        title="Staplerschein",
        recognised=True,
    )
    removed_pk = qualification.pk
    tombstone = one_entry(
        "inka.esf.qualification.removed",
        lambda: esf_services.qualification_remove(actor=worker, qualification=qualification),
    )
    assert not Qualification.objects.filter(pk=removed_pk).exists()
    assert tombstone.object_id == str(removed_pk)
    assert tombstone.content_type == ContentType.objects.get_for_model(Qualification)
    assert tombstone.changes["title"] == ["Staplerschein", None]
    html = (
        login(world.user("site_lead")).get(reverse("core:audit_log"), {"person": person.pk}).content.decode()
    )
    assert "Staplerschein" in html and "Unterlagen fehlen" in html


def test_t30_the_application_cannot_change_the_logs(world):
    """The application-level guard, on every database: no update, no delete, not even in bulk."""
    entry = audit(actor=None, action="inka.test", obj=world.site_a)
    row = AccessLogEntry.objects.create(action="person.view", record_ids=[1])
    for model, obj in ((AuditEntry, entry), (AccessLogEntry, row)):
        for attempt in (
            obj.save,
            obj.delete,
            model.objects.all().delete,
            lambda m=model: m.objects.update(action="x"),
        ):
            with pytest.raises(TypeError, match="append-only"):
                attempt()
    assert AuditEntry.objects.get(pk=entry.pk).action == "inka.test"
    assert AccessLogEntry.objects.filter(pk=row.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database grants exist on PostgreSQL only")
def test_t30_the_app_role_may_insert_and_read_the_logs_but_not_change_them(world):
    import psycopg.errors

    role = "inka_t30_app"
    entry = audit(actor=None, action="inka.test", obj=world.site_a)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        apply_grants(role)
        cursor.execute(f'SET ROLE "{role}"')
        try:
            # Reading and appending work, and so does changing any other table.
            row = AccessLogEntry.objects.create(action="person.view", record_ids=[entry.pk])
            assert AccessLogEntry.objects.filter(pk=row.pk).exists()
            audit(actor=None, action="inka.test.second", obj=world.site_a)
            cursor.execute("UPDATE programme_site SET name = name WHERE id = %s", [world.site_a.pk])
            for table in ("core_auditentry", "core_accesslogentry"):
                # The table names are the two constants above.
                statements = [f"UPDATE {table} SET action = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"]  # noqa: S608
                for statement in statements:
                    with pytest.raises(ProgrammingError) as refused, transaction.atomic():
                        cursor.execute(statement)
                    assert isinstance(refused.value.__cause__, psycopg.errors.InsufficientPrivilege), (
                        statement
                    )
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.filter(action__startswith="inka.test").count() == 2


def test_t31_forged_lines_stay_one_visible_record(world, login, casework):
    __, person, contact, __ = casework
    forged = "ok\n2025-01-01 INFO fake login admin\x1b[2J\x1b[31m"
    mallory = world.user("caseworker")
    mallory.email = f"mallory{forged}@nord.test"
    mallory.save()
    services.contact_update(actor=mallory, contact=contact, topics=["money"], note=forged)
    client = login(mallory)
    client.get(reverse("cases:person_detail", args=[person.pk]))
    assert AuditEntry.objects.filter(actor_id=mallory.pk, action="inka.contact.updated").count() == 1
    assert AccessLogEntry.objects.filter(actor_id=mallory.pk, action="person.view").count() == 1
    lead = login(world.user("site_lead"))
    for page in ("core:audit_log", "core:access_log"):
        html = lead.get(reverse(page), {"account": mallory.pk}).content.decode()
        assert "\x1b" not in html
        assert "mallory" + r"ok\n2025-01-01 INFO fake login admin\x1b[2J\x1b[31m" + "@nord.test" in html
        response = lead.get(reverse(page), {"account": mallory.pk, "format": "csv"})
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        assert "\x1b" not in text and len(text.splitlines()) == len(rows) == 2, page
        assert (
            rows[1][1] == r"mallory" + r"ok\n2025-01-01 INFO fake login admin\x1b[2J\x1b[31m" + "@nord.test"
        )


def test_t31_a_server_error_logs_neither_form_data_nor_the_message(
    world, login, casework, caplog, monkeypatch
):
    case = casework[0]
    note = "Schulden 12.000 € bei der Sparkasse"

    def fails(**fields):
        raise ValueError(f"cannot store note {fields['note']!r}")  # like a database error quoting a value

    monkeypatch.setattr(services, "contact_record", fails)
    client = login(world.user("caseworker"))
    client.raise_request_exception = False
    data = {
        "occurred_on": "2024-02-02",
        "mode": "phone",
        "topics": ["money"],
        "duration_minutes": "15",
        "note": note,
    }
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("cases:contact_create", args=[case.pk]), data)
        client.get("/faelle/%0A2025-01-01%20INFO%20fake/")
    assert response.status_code == 500
    html = response.content.decode()
    assert _("Something went wrong") in html and "Schulden" not in html and "Traceback" not in html
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.getMessage() == f"Internal Server Error: /faelle/{case.pk}/kontakte/neu/"
    assert error.request is None  # no handler can print the form data
    assert "ValueError (message withheld)" in caplog.text and "contact_create" in caplog.text
    assert "Schulden" not in caplog.text and "12.000" not in caplog.text
    # A line break in a requested path is written out, not started.
    assert "\n2025-01-01 INFO fake" not in caplog.text and "\\n2025-01-01 INFO fake" in caplog.text


PERSONAS = [
    "site_lead",
    "dpo",
    "caseworker",
    "reader",
    "steering",
    "coordinator",
    "admin",
    "other_caseworker",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_t32_only_site_leads_and_the_dpo_see_the_logs(world, login, persona):
    log_access_at(world, world.site_a, "person.view")
    log_access_at(world, world.site_b, "case.view")
    client = login(world.user(persona))
    statuses = {name: client.get(reverse(name)).status_code for name in PAGES}
    if persona in ("site_lead", "dpo"):
        assert set(statuses.values()) == {200}
        actions = {
            entry.action for entry in client.get(reverse("core:access_log")).context["page"].object_list
        }
        # The lead of site A sees site A only; the dpo sees every site.
        assert actions >= ({"person.view", "case.view"} if persona == "dpo" else {"person.view"})
        assert ("case.view" in actions) == (persona == "dpo")
    else:
        assert set(statuses.values()) == {403}, statuses


def log_access_at(world, site, action):
    request = RequestFactory().get("/")
    request.user = world.user("caseworker")
    request.site_access = site_access(request.user)
    return log_access(request, action=action, site_id=site.pk, record_type=Person, record_ids=[1])


def test_t32_logs_are_reachable_from_the_navigation_of_leads_and_dpo_only(world, login):
    url = reverse("core:access_log")
    assert url in login(world.user("site_lead")).get("/").content.decode()
    assert url in login(world.user("dpo")).get("/").content.decode()
    assert url not in login(world.user("coordinator")).get("/").content.decode()
    assert url not in login(world.user("caseworker")).get("/").content.decode()
