"""Data-subject rights, tests 35–37 of security-anchors.md (b): the access export, rectification and
contested data, restriction instead of erasure during the retention period."""

import json
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from conftest import log_in_verified
from inka.accounts.models import User
from inka.cases.models import Case, FollowUp, Person
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.cases.tests.test_views_persons import person_data
from inka.core.demo import demo_generate
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.registry import field_registry
from inka.monitoring.figures import exact_figures
from inka.privacy import export as exports
from inka.privacy import services
from inka.privacy.graph import records_of
from inka.privacy.tests.test_export import Q_VALUES, contested_key, seed_p_and_q


def test_t35_access_export_has_every_registry_field_of_p_nothing_of_q_and_flags_the_note(world, login):
    seeded = seed_p_and_q(world)
    client = login(world.user("site_lead"))
    response = client.get(reverse("privacy:export", kwargs={"pk": seeded.p.pk, "fmt": "json"}))
    assert response.status_code == 200
    text = response.content.decode()
    data = json.loads(text)
    exported = {kind["type"]: kind for kind in data["records"]}
    registry = field_registry()
    for label, records in records_of([seeded.p.pk]).items():
        expected_ids = set(records.values_list("pk", flat=True))
        items = exported[label]["items"] if expected_ids else []
        assert {item["id"] for item in items} == expected_ids, label
        for item in items:
            assert {value["field"] for value in item["fields"]} == set(registry[label]), label
        if expected_ids:
            processing = exported[label]["processing"]
            assert processing["purpose"] and processing["legal_basis"] and processing["retention"], label
            assert processing["recipients"] and processing["source"], label
    # Recipients of the referral and the consent relied on.
    assert [row["recipient"] for row in data["recipients"]] == ["Schuldnerberatung Altenburg"]
    # Nothing of Q, although Q shares the community session and the household.
    for value in Q_VALUES:
        assert value not in text, value
    for label, records in records_of([seeded.q.pk]).items():
        own = set(records_of([seeded.p.pk])[label].values_list("pk", flat=True))
        q_only = set(records.values_list("pk", flat=True)) - own
        assert not q_only & {item["id"] for item in exported.get(label, {"items": []})["items"]}, label
    # The note naming Q is flagged for review, in JSON and in the PDF's HTML.
    note = next(item for item in exported["cases.Contact"]["items"] if item["id"] == seeded.note.pk)
    assert note["review"] == exports.review_text()
    html = exports.pdf_html(exports.build_export(seeded.p, by=seeded.lead))
    assert "review-badge" in html
    # Exactly one access-log row for the export.
    rows = AccessLogEntry.objects.filter(action="privacy.export")
    assert [(row.record_ids, row.actor_label) for row in rows] == [([seeded.p.pk], "site_lead@nord.test")]


def test_t36_rectification_leaves_history_and_contested_values_are_marked_everywhere(world, login):
    caseworker = world.user("caseworker")
    case = make_case(world.site_a, caseworker, life_situation="Arbeitslos seit 2020.")
    client = login(caseworker)
    # A correction in the usual form leaves a history entry with the old and the new value.
    url = reverse("cases:person_edit", args=[case.person.pk])
    assert client.post(url, person_data(last_name="Müller-Lüdenscheidt")).status_code == 302
    entry = AuditEntry.objects.get(action="inka.person.updated", object_id=str(case.person.pk))
    assert entry.changes["last_name"] == ["Müller", "Müller-Lüdenscheidt"]
    history = client.get(reverse("privacy:person_history", args=[case.person.pk]))
    assert history.status_code == 403  # the history page is the site lead's and the dpo's
    lead_view = login(world.user("site_lead")).get(reverse("privacy:person_history", args=[case.person.pk]))
    assert "Müller-Lüdenscheidt" in lead_view.content.decode()
    # Contested: the value stays in use, with the badge on the person and case pages and in the export.
    client = login(caseworker)
    today = timezone.localdate().isoformat()
    for obj, field in ((case.person, "last_name"), (case, "life_situation")):
        data = {"field": contested_key(obj, field), "statement": "Stimmt nicht.", "contested_on": today}
        assert client.post(reverse("privacy:contest_create", args=[case.person.pk]), data).status_code == 302
    person_page = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    listing = client.get(reverse("cases:person_list"), {"q": "Müller"}).content.decode()
    assert "contested-badge" in person_page and "Müller-Lüdenscheidt" in person_page
    assert case_page.count("contested-badge") == 2 and "Arbeitslos seit 2020." in case_page
    assert "contested-badge" in listing
    data = json.loads(
        login(world.user("site_lead"))
        .get(reverse("privacy:export", kwargs={"pk": case.person.pk, "fmt": "json"}))
        .content
    )
    flagged = [
        (kind["type"], value["field"])
        for kind in data["records"]
        for item in kind["items"]
        for value in item["fields"]
        if "contested" in value
    ]
    assert sorted(flagged) == [("cases.Case", "life_situation"), ("cases.Person", "last_name")]
    html = exports.pdf_html(exports.build_export(case.person, by=world.user("site_lead")))
    assert html.count("contested-badge") == 2


def test_t37_restricted_person_leaves_the_team_stays_in_statistics_and_opens_for_the_dpo_only(world, login):
    caseworker = world.user("caseworker")
    case = make_case(world.site_a, caseworker, make_person(world.site_a, "Erna", "Eingeschränkt"))
    make_contact(world.site_a, caseworker, case=case, occurred_on=timezone.localdate())
    FollowUp.objects.create(
        case=case, due_on=timezone.localdate() - timedelta(days=2), subject="Rückruf", assigned_to=caseworker,
        created_by=caseworker,
    )  # fmt: skip
    request = services.request_register(actor=caseworker, person=case.person, kind="erasure")
    # What identifies the person in a list: links to the person, the case or the request.
    markers = [
        reverse("cases:person_detail", args=[case.person.pk]),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("privacy:request_detail", args=[request.pk]),
        "Erna",
    ]
    today = timezone.localdate()
    figures = exact_figures(site_ids=[world.site_a.pk], today=today).counts
    client = login(caseworker)
    lists = {
        "persons": (reverse("cases:person_list"), {"q": "Eingeschränkt"}),
        "cases": (reverse("cases:case_list"), {}),
        "search": (reverse("cases:case_list"), {"q": "Eingeschränkt"}),
        "work list": (reverse("cases:work_list"), {}),
        "duplicates": (
            reverse("cases:person_duplicates"),
            {"first_name": "Erna", "last_name": "Eingeschränkt"},
        ),
        "register": (reverse("privacy:request_list"), {"show": "all"}),
    }
    for name, (url, query) in lists.items():
        html = client.get(url, query).content.decode()
        assert any(marker in html for marker in markers), name
    # The erasure request falls in the retention period: the site lead restricts instead.
    response = login(world.user("site_lead")).post(
        reverse("privacy:restrict", args=[case.person.pk]),
        {"reason": "Löschersuchen, ESF-Aufbewahrung läuft"},
    )
    assert response.status_code == 302
    client = login(caseworker)
    for name, (url, query) in lists.items():
        html = client.get(url, query).content.decode()
        assert not any(marker in html for marker in markers), name
    for url in (
        reverse("cases:person_detail", args=[case.person.pk]),
        reverse("cases:case_detail", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403 and "Eingeschränkt" not in response.content.decode()
        assert response.context["exception"] == "inka.privacy.restricted"
    # Still counted in statistics.
    assert exact_figures(site_ids=[world.site_a.pk], today=today).counts == figures
    # Only the dpo opens it, with a reason that is logged.
    url = reverse("privacy:restricted_open", args=[case.person.pk])
    assert login(world.user("site_lead")).post(url, {"reason": "Nachsehen"}).status_code == 403
    dpo = login(world.user("dpo"))
    assert dpo.post(url, {"reason": ""}).status_code == 400
    opened = dpo.post(url, {"reason": "Prüfung des Löschersuchens"})
    assert opened.status_code == 200 and "Eingeschränkt" in opened.content.decode()
    row = AccessLogEntry.objects.get(action="privacy.restricted.view")
    assert (row.reason, row.record_ids, row.actor_label) == (
        "Prüfung des Löschersuchens",
        [case.person.pk],
        "dpo@programm.test",
    )
    assert Case.objects.filter(person__restricted_at__isnull=False).count() == 1


def test_t35_export_of_a_demo_person_has_every_registry_field_and_no_other_person(db, client):
    demo_generate(scale=0.02)
    person = (
        Person.objects.filter(site__code="ALT", participations__isnull=False, restricted_at=None)
        .annotate(contacts=Count("cases__contacts"))
        .order_by("-contacts", "pk")
        .first()
    )
    log_in_verified(client, User.objects.get(email="leitung.alt@inka.example"))
    response = client.get(reverse("privacy:export", kwargs={"pk": person.pk, "fmt": "json"}))
    assert response.status_code == 200
    text = response.content.decode()
    exported = {kind["type"]: kind for kind in json.loads(text)["records"]}
    registry = field_registry()
    for label, records in records_of([person.pk]).items():
        ids = set(records.values_list("pk", flat=True))
        if ids:
            items = exported[label]["items"]
            assert {item["id"] for item in items} == ids, label
            assert all({value["field"] for value in item["fields"]} == set(registry[label]) for item in items)
    assert {"cases.Case", "cases.Contact", "esf.Participation"} <= {
        label for label, records in records_of([person.pk]).items() if records.exists()
    }
    others = Person.objects.exclude(pk=person.pk).exclude(last_name=person.last_name)
    for first, last in others.values_list("first_name", "last_name"):
        assert f"{first} {last}" not in text and f"{last}, {first}" not in text, (first, last)
    assert AccessLogEntry.objects.filter(action="privacy.export", record_ids=[person.pk]).count() == 1
