"""Restriction of processing (Art. 18 GDPR; § 84 SGB X): gone for the team, counted in statistics,
opened by the data protection officer only, with a logged reason."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.cases.models import FollowUp, Person
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.community.models import Volunteer
from inka.core.models import AccessLogEntry, AuditEntry
from inka.monitoring.figures import exact_figures
from inka.privacy import services

NOTICE = "inka.privacy.restricted"


@pytest.fixture
def case(world):
    caseworker = world.user("caseworker")
    case = make_case(
        world.site_a, caseworker, make_person(world.site_a, "Rosa", "Rückzug"), notes="Vertraulich"
    )
    FollowUp.objects.create(
        case=case, due_on=timezone.localdate() - timedelta(days=1), subject="Anrufen", assigned_to=caseworker,
        created_by=caseworker,
    )  # fmt: skip
    return case


def restrict(world, person):
    return services.person_restrict(actor=world.user("site_lead"), person=person, reason="Löschersuchen")


def test_the_site_lead_restricts_with_a_reason(case, world, login):
    client = login(world.user("site_lead"))
    url = reverse("privacy:restrict", args=[case.person.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "Löschersuchen während der Aufbewahrungsfrist"}).status_code == 302
    case.person.refresh_from_db()
    assert case.person.restricted_at is not None
    entry = AuditEntry.objects.get(action="inka.privacy.restricted")
    assert entry.data["reason"] == "Löschersuchen während der Aufbewahrungsfrist"
    assert login(world.user("caseworker")).get(url).status_code == 403


def test_the_team_gets_a_notice_without_content(case, world, login):
    restrict(world, case.person)
    client = login(world.user("caseworker"))
    for url in (
        reverse("cases:person_detail", args=[case.person.pk]),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_edit", args=[case.pk]),
        reverse("cases:case_history", args=[case.pk]),
        reverse("privacy:person", args=[case.person.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.context["exception"] == NOTICE
        html = response.content.decode()
        assert "Rückzug" not in html and "Vertraulich" not in html
    # A denied attempt is in the access log like any other.
    assert AccessLogEntry.objects.filter(outcome="denied", action="cases:person_detail").exists()


def test_the_dpo_opens_with_a_reason_and_lifts_the_restriction(case, world, login):
    restrict(world, case.person)
    client = login(world.user("dpo"))
    listing = client.get(reverse("privacy:restricted_list")).content.decode()
    assert reverse("privacy:restricted_open", args=[case.person.pk]) in listing and "Rückzug" not in listing
    url = reverse("privacy:restricted_open", args=[case.person.pk])
    assert "Rückzug" not in client.get(url).content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not AccessLogEntry.objects.filter(action="privacy.restricted.view").exists()
    html = client.post(url, {"reason": "Anfrage der Aufsichtsbehörde"}).content.decode()
    assert "Rückzug" in html and "Vertraulich" in html
    row = AccessLogEntry.objects.get(action="privacy.restricted.view")
    assert (row.reason, row.record_ids, row.role) == ("Anfrage der Aufsichtsbehörde", [case.person.pk], "dpo")
    lift = reverse("privacy:restriction_lift", args=[case.person.pk])
    assert client.post(lift, {"reason": ""}).status_code == 400
    assert (
        client.post(lift, {"reason": "Aufbewahrung entfällt nicht, Person wieder in Beratung"}).status_code
        == 302
    )
    case.person.refresh_from_db()
    assert case.person.restricted_at is None
    assert AuditEntry.objects.filter(action="inka.privacy.restriction_lifted").count() == 1
    assert (
        login(world.user("caseworker")).get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    )


def test_only_the_dpo_opens_restricted_persons(case, world, login):
    restrict(world, case.person)
    url = reverse("privacy:restricted_open", args=[case.person.pk])
    for persona in ("site_lead", "caseworker", "coordinator", "admin"):
        response = login(world.user(persona)).post(url, {"reason": "Neugier"})
        assert response.status_code == 403, persona
    assert not AccessLogEntry.objects.filter(action="privacy.restricted.view").exists()


def test_restricted_persons_leave_the_register_of_the_team(case, world, login):
    request = services.request_register(
        actor=world.user("caseworker"), person=case.person, kind="erasure", received_on=date(2024, 3, 1)
    )
    restrict(world, case.person)
    rows = (
        login(world.user("site_lead")).get(reverse("privacy:request_list"), {"show": "all"}).context["rows"]
    )
    assert rows == []
    dpo_rows = login(world.user("dpo")).get(reverse("privacy:request_list"), {"show": "all"}).context["rows"]
    assert [row.pk for row, _late in dpo_rows] == [request.pk]


def test_figures_count_restricted_persons(case, world):
    today = timezone.localdate()
    make_contact(world.site_a, world.user("caseworker"), case=case, occurred_on=today)
    before = exact_figures(site_ids=[world.site_a.pk], today=today)
    assert any(any(counts.values()) for counts in before.counts.values())
    restrict(world, case.person)
    assert Person.objects.filter(restricted_at__isnull=False).count() == 1
    assert exact_figures(site_ids=[world.site_a.pk], today=today).counts == before.counts


def test_the_volunteer_page_of_a_restricted_person_answers_with_the_notice(case, world, login):
    person = case.person
    volunteer = Volunteer.objects.create(
        site=world.site_a,
        person=person,
        first_name=person.first_name,
        last_name=person.last_name,
        since=date(2024, 1, 1),
    )
    url = reverse("community:volunteer_detail", args=[volunteer.pk])
    client = login(world.user("site_lead"))
    assert client.get(url).status_code == 200
    Person.objects.filter(pk=person.pk).update(restricted_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 403
    assert person.last_name not in response.content.decode()
