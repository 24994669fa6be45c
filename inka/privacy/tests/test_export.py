"""The export of everything about a person (Art. 15, Art. 20 GDPR; § 83 SGB X)."""

import io
import json
import zipfile
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from inka.cases import services as case_services
from inka.cases.models import Consent, Contact, FollowUp, Goal
from inka.cases.tests.factories import (
    make_case,
    make_contact,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.community.models import Attendance, AttendanceMode, Project, ProjectKind, Session
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.registry import field_registry
from inka.privacy import export as exports
from inka.privacy import services
from inka.privacy.graph import records_of
from inka.privacy.models import RequestKind

# Q's values: none of them may appear in P's export (Q's last name does, inside P's flagged note).
Q_VALUES = ["Quirin", "0171 999 888", "Querweg 9", "quirin@example.org", "1975-05-05", "Geheimnis von Q"]


def contested_key(obj: Any, field: str) -> str:
    return f"{ContentType.objects.get_for_model(obj).pk}:{obj.pk}:{field}"


def seed_p_and_q(world: Any) -> SimpleNamespace:
    """Person P with a case, contacts, a note naming Q, a referral with its consent, a goal, a
    follow-up, a community session P attended together with Q, a request and a contested value;
    Q (same site, same household) with a case of her own."""
    caseworker, lead = world.user("caseworker"), world.user("site_lead")
    p_case = make_case(
        world.site_a,
        caseworker,
        make_person(
            world.site_a, "Paula", "Pohl", phone="0151 123 456", street="Parkweg 1", town="Altenburg"
        ),
        life_situation="Alleinerziehend, Mietschulden.",
    )
    p = p_case.person
    q = make_person(
        world.site_a,
        "Quirin",
        "Quandt",
        phone="0171 999 888",
        street="Querweg 9",
        email="quirin@example.org",
        birth_date=date(1975, 5, 5),
    )
    make_case(world.site_a, caseworker, q, notes="Geheimnis von Q")
    note = make_contact(
        world.site_a, caseworker, case=p_case, note="Kam mit Herrn Quandt, der übersetzt hat."
    )
    make_contact(world.site_a, caseworker, case=p_case, note="Unterlagen zur Miete mitgebracht.")
    partner = make_partner(world.site_a, "Schuldnerberatung Altenburg")
    make_sharing_consent(p, caseworker, partner=partner)
    issued = case_services.referral_create(
        actor=caseworker, case=p_case, partner=partner, purpose="Schuldenberatung"
    )
    Goal.objects.create(case=p_case, title="Mietschulden klären")
    FollowUp.objects.create(
        case=p_case, due_on=date(2024, 3, 1), subject="Anrufen", assigned_to=caseworker, created_by=caseworker
    )
    project = Project.objects.create(
        site=world.site_a,
        title="Nachbarschaftscafé",
        kind=ProjectKind.MEETING_PLACE,
        starts_on=date(2024, 1, 1),
        created_by=caseworker,
    )
    session = Session.objects.create(
        project=project, held_on=date(2024, 3, 1), attendance_mode=AttendanceMode.NAMED
    )
    Attendance.objects.create(session=session, person=p)
    Attendance.objects.create(session=session, person=q)
    request = services.request_register(
        actor=caseworker, person=p, kind=RequestKind.ACCESS, received_on=date(2024, 3, 5)
    )
    contested = services.contest_mark(
        actor=caseworker,
        person=p,
        field=contested_key(p_case, "life_situation"),
        statement="Ich habe keine Mietschulden mehr.",
        contested_on=timezone.localdate(),
    )
    return SimpleNamespace(
        p=p, q=q, case=p_case, note=note, referral=issued.referral, partner=partner, request=request,
        contested=contested, caseworker=caseworker, lead=lead, session=session,
    )  # fmt: skip


def export_json(client: Any, person: Any) -> dict[str, Any]:
    response = client.get(reverse("privacy:export", kwargs={"pk": person.pk, "fmt": "json"}))
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def items_by_type(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {kind["type"]: kind["items"] for kind in data["records"]}


@pytest.fixture
def seeded(world):
    return seed_p_and_q(world)


def test_export_holds_every_record_of_the_person_with_every_registry_field(seeded, world, login):
    data = export_json(login(world.user("site_lead")), seeded.p)
    found = items_by_type(data)
    registry = field_registry()
    for label, records in records_of([seeded.p.pk]).items():
        ids = sorted(records.values_list("pk", flat=True))
        assert sorted(item["id"] for item in found.get(label, [])) == ids, label
        for item in found.get(label, []):
            assert {value["field"] for value in item["fields"]} == set(registry[label]), label
    assert {"cases.Person", "cases.Contact", "cases.Referral", "community.Attendance"} <= set(found)


def test_export_shows_codes_with_their_labels_and_the_processing_facts(seeded, world, login):
    data = export_json(login(world.user("site_lead")), seeded.p)
    contact = items_by_type(data)["cases.Contact"][0]
    mode = next(value for value in contact["fields"] if value["field"] == "mode")
    assert mode["value"] == "walk_in" and mode["display"] not in ("", "walk_in")
    kinds = {kind["type"]: kind for kind in data["records"]}
    processing = kinds["cases.Contact"]["processing"]
    assert all(processing[key] for key in ("purpose", "legal_basis", "retention", "recipients", "source"))
    assert data["recipients"][0]["recipient"] == "Schuldnerberatung Altenburg"
    assert any(consent["recipient"] == "Schuldnerberatung Altenburg" for consent in data["consents"])


def test_nothing_of_another_person_even_through_a_shared_session(seeded, world, login):
    client = login(world.user("site_lead"))
    text = client.get(reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "json"})).content.decode()
    for value in Q_VALUES:
        assert value not in text, value
    attendances = items_by_type(json.loads(text))["community.Attendance"]
    assert len(attendances) == 1
    person = next(value for value in attendances[0]["fields"] if value["field"] == "person")
    assert person["value"] == seeded.p.pk


def test_a_note_naming_another_person_of_the_site_is_flagged(seeded, world, login):
    data = export_json(login(world.user("site_lead")), seeded.p)
    contacts = {item["id"]: item for item in items_by_type(data)["cases.Contact"]}
    flagged = contacts[seeded.note.pk]
    note = next(value for value in flagged["fields"] if value["field"] == "note")
    assert note["review"] == exports.review_text() and flagged["review"]
    others = [item for pk, item in contacts.items() if pk != seeded.note.pk]
    assert others and not any("review" in item for item in others)
    assert data["review_needed"] >= 1


def test_the_flag_reads_the_names_in_one_query(seeded, django_assert_max_num_queries):
    texts = ["Kam mit Herrn Quandt.", "Termin bei Frau Pohl, Amt Altenburg.", "nichts"]
    with django_assert_max_num_queries(1):
        assert exports._other_names(seeded.p, texts) == {"Quandt"}


def test_history_and_access_log_of_the_person_are_in_the_export(seeded, world, login):
    client = login(world.user("site_lead"))
    client.get(reverse("cases:person_detail", args=[seeded.p.pk]))
    client.get(reverse("cases:person_detail", args=[seeded.q.pk]))
    data = export_json(client, seeded.p)
    assert any(row["action"] == "inka.privacy.contested" for row in data["history"])
    referral = next(row for row in data["history"] if row["action"] == "inka.referral.sent")
    assert referral["by"] == "caseworker@nord.test"
    views = [row for row in data["access_log"] if row["action"] == "person.view"]
    assert len(views) == 1 and views[0]["by"] == "site_lead@nord.test" and views[0]["role"] == "site_lead"


def test_contested_values_are_marked_in_both_formats(seeded, world, login):
    data = export_json(login(world.user("site_lead")), seeded.p)
    case = items_by_type(data)["cases.Case"][0]
    situation = next(value for value in case["fields"] if value["field"] == "life_situation")
    assert situation["contested"]["statement"] == "Ich habe keine Mietschulden mehr."
    html = exports.pdf_html(exports.build_export(seeded.p, by=seeded.lead))
    assert "contested-badge" in html and "Ich habe keine Mietschulden mehr." in html


def test_one_click_gives_pdf_and_json_with_one_access_log_row_and_an_audit_entry(seeded, world, login):
    client = login(world.user("site_lead"))
    response = client.get(reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "zip"}))
    assert response.status_code == 200
    assert str(seeded.p.last_name) not in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [name.rsplit(".", 1)[1] for name in names] == ["json", "pdf"]
    assert archive.read(names[1]).startswith(b"%PDF")
    assert json.loads(archive.read(names[0]))["person"]["id"] == seeded.p.pk
    rows = AccessLogEntry.objects.filter(action="privacy.export")
    assert [row.record_ids for row in rows] == [[seeded.p.pk]]
    assert (
        AuditEntry.objects.filter(action="inka.privacy.export.created", object_id=str(seeded.p.pk)).count()
        == 1
    )


def test_the_pdf_is_german_and_numbers_its_pages(seeded, world, login, settings):
    html = exports.pdf_html(exports.build_export(seeded.p, by=seeded.lead))
    assert '<html lang="de">' in html and "counter(pages)" in html
    client = login(world.user("site_lead"))
    response = client.get(reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "pdf"}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_caseworker_may_not_run_the_export_and_other_sites_see_nothing(seeded, world, login):
    url = reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "json"})
    assert login(world.user("caseworker")).get(url).status_code == 403
    assert login(world.user("other_caseworker")).get(url).status_code == 404
    assert login(world.user("dpo")).get(url).status_code == 200
    assert not AccessLogEntry.objects.filter(
        action="privacy.export", actor_label="caseworker@nord.test"
    ).exists()


def test_unknown_format_is_not_found(seeded, world, login):
    url = reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "xml"})
    assert login(world.user("site_lead")).get(url).status_code == 404


def test_contacts_of_other_persons_stay_out(seeded):
    data = exports.build_export(seeded.p, by=seeded.lead)
    ids = {
        record.pk for kind in data.record_types if kind.label == "cases.Contact" for record in kind.records
    }
    assert ids == set(Contact.objects.filter(case__person=seeded.p).values_list("pk", flat=True))
    assert Consent.objects.filter(person=seeded.q).exists()
