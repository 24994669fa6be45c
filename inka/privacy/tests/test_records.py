"""The record of processing activities (Art. 30 GDPR) is generated from the field registry: the page,
the PDF and the JSON name every activity with its texts and every classified field."""

import io
import json

import pypdf
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from inka.core.registry import activities, field_registry
from inka.programme.models import Carrier, Programme


def test_the_page_shows_every_activity_with_its_fields(world, login, django_assert_max_num_queries):
    Programme.objects.create(name="ThINKA", short_name="ThINKA", coordinating_body="Koordinierungsstelle X")
    carrier = Carrier.objects.create(name="Diakonie Nord")
    world.site_a.periods.create(carrier=carrier)
    client = login(world.user("dpo"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("privacy:records_of_processing"))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("de"):
        for activity in activities():
            assert f'id="activity-{activity.key}"' in html
            assert escape(str(activity.legal_basis)) in html
    # Fields by their German labels, under their category and record type.
    assert "Geburtsdatum" in html and "Aufenthaltsstatus" in html and "Vorstrafen" in html
    assert "Diakonie Nord" in html and "Koordinierungsstelle X" in html
    assert html.count("<caption>") == len(activities())


def test_the_json_holds_every_classified_field_once(world, login):
    response = login(world.user("admin")).get(reverse("privacy:records_of_processing_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="verzeichnis-')
    data = json.loads(response.content)
    assert [activity["key"] for activity in data["activities"]] == [activity.key for activity in activities()]
    listed = {
        (model["model"], field["field"]): field["category"]
        for activity in data["activities"]
        for model in activity["models"]
        for field in model["fields"]
    }
    expected = {
        (label, name): category.value
        for label, fields in field_registry().items()
        for name, category in fields.items()
    }
    assert listed == expected
    counselling = data["activities"][0]
    assert counselling["retention_rule"] == "esf_retention"
    assert all(
        counselling[text] for text in ("purpose", "legal_basis", "recipients", "retention", "source", "tom")
    )
    assert {measure["code"] for measure in data["measures"]} >= {"T1", "T2", "T3", "T4", "T6"}


def test_the_pdf_is_tagged_and_numbers_its_pages(world, login):
    response = login(world.user("dpo")).get(reverse("privacy:records_of_processing_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages > len(activities())  # one page at least per activity, after the contents
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert f"Seite 1 von {pages}" in first
    assert f"Seite {pages} von {pages}" in last
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Geburtsdatum" in text


def test_other_roles_do_not_get_the_record(world, login):
    for persona in ("caseworker", "site_lead", "coordinator", "steering"):
        client = login(world.user(persona))
        for name in ("records_of_processing", "records_of_processing_pdf", "records_of_processing_json"):
            assert client.get(reverse(f"privacy:{name}")).status_code == 403, (persona, name)
