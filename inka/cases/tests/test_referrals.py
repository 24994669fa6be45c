"""Referrals with a closed loop (C8): consent checks, the one-time link, the partner's answer."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inka.cases import services
from inka.cases.models import Referral
from inka.cases.services import LinkState
from inka.cases.tests.factories import (
    assert_form_errors,
    make_case,
    make_partner,
    make_person,
    make_sharing_consent,
)
from inka.core.models import AccessLogEntry, AuditEntry

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    person = make_person(
        world.site_a,
        "Jürgen",
        "Müller",
        birth_date=date(1980, 4, 1),
        street="Hauptstraße 5",
        postcode="04610",
        town="Meuselwitz",
        phone="0151 9876543",
        email="juergen@privat.example",
    )
    return make_case(
        world.site_a,
        worker,
        person,
        notes="Vertrauliche Fallnotiz",
        life_situation="Lebenslage vertraulich",
        health_note="Diabetes-XYZ",
    )


@pytest.fixture
def partner(world):
    return make_partner(world.site_a, "Schuldnerberatung der Diakonie", kind="debt_counselling")


def create_url(case):
    return reverse("cases:referral_create", args=[case.pk])


def referral_data(partner, **changes):
    data = {
        "partner": str(partner.pk),
        "purpose": "Schuldnerberatung",
        "message": "Bitte um Termin",
        "override_reason": "",
    }
    return {**data, **changes}


def written():
    return Referral.objects.count(), AuditEntry.objects.count()


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[1]


def refer_through_the_view(client, case, partner, **changes):
    response = client.post(create_url(case), referral_data(partner, **changes))
    assert response.status_code == 302, response.status_code
    referral = Referral.objects.latest("pk")
    assert response["Location"] == reverse("cases:referral_detail", args=[case.pk, referral.pk])
    link = client.get(response["Location"]).context["link"]
    return referral, token_of(link)


# Creating a referral: consent checks


def test_referral_without_any_sharing_consent_is_refused(world, login, worker, case, partner):
    client = login(worker)
    assert client.get(create_url(case)).status_code == 200
    before = written()
    response = client.post(create_url(case), referral_data(partner))
    assert_form_errors(response, "partner")
    assert written() == before


def test_referral_with_a_withdrawn_consent_is_refused(world, login, worker, case, partner):
    consent = make_sharing_consent(case.person, worker, partner)
    services.consent_withdraw(actor=worker, consent=consent, withdrawn_on=today())
    before = written()
    response = login(worker).post(create_url(case), referral_data(partner))
    assert_form_errors(response, "partner")
    assert written() == before


def test_referral_with_a_consent_for_the_partner_kind_is_sent(world, login, worker, case, partner):
    consent = make_sharing_consent(case.person, worker, partner_kind="debt_counselling")
    referral, _token = refer_through_the_view(login(worker), case, partner)
    assert (referral.case, referral.partner, referral.consent, referral.consent_override_reason) == (
        case,
        partner,
        consent,
        "",
    )
    assert (referral.status, referral.sent_on, referral.created_by) == ("sent", today(), worker)
    assert (referral.purpose, referral.message) == ("Schuldnerberatung", "Bitte um Termin")
    assert AuditEntry.objects.filter(action="inka.referral.sent", object_id=str(referral.pk)).count() == 1


def test_referral_with_an_override_reason_is_sent_without_consent(world, login, worker, case, partner):
    referral, _token = refer_through_the_view(
        login(worker), case, partner, override_reason="Räumung droht morgen, Person im Krankenhaus"
    )
    assert referral.consent is None
    assert referral.consent_override_reason == "Räumung droht morgen, Person im Krankenhaus"
    entry = AuditEntry.objects.get(action="inka.referral.sent")
    assert entry.changes["consent_override_reason"] == [None, "Räumung droht morgen, Person im Krankenhaus"]


def test_referral_to_an_inactive_partner_is_refused(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    partner.is_active = False
    partner.save()
    before = written()
    response = login(worker).post(create_url(case), referral_data(partner))
    assert_form_errors(response, "partner")
    assert written() == before


@pytest.mark.parametrize("partner_id", ["999999", "abc"])
def test_referral_to_an_unknown_partner_is_refused(world, login, worker, case, partner, partner_id):
    make_sharing_consent(case.person, worker, partner_kind="debt_counselling")
    response = login(worker).post(create_url(case), {**referral_data(partner), "partner": partner_id})
    assert_form_errors(response, "partner")
    assert written() == (0, 0)


def test_referral_to_a_partner_of_another_site_only_is_refused(world, login, worker, case):
    foreign = make_partner(world.site_b, "Schuldnerberatung Gera", kind="debt_counselling", town="Gera")
    make_sharing_consent(case.person, worker, partner_kind="debt_counselling")
    response = login(worker).post(create_url(case), referral_data(foreign))
    assert_form_errors(response, "partner")
    assert written() == (0, 0)


def test_referral_bad_input_writes_nothing(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    client = login(worker)
    response = client.post(
        create_url(case), {"partner": "", "purpose": "", "message": "", "override_reason": ""}
    )
    assert_form_errors(response, "partner", "purpose")
    assert_form_errors(client.post(create_url(case), referral_data(partner, purpose="x" * 201)), "purpose")
    assert written() == (0, 0)


def test_referral_on_a_closed_case_is_refused(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    services.case_close(actor=worker, case=case, version=1, closed_on=today(), close_reason="moved")
    response = login(worker).post(create_url(case), referral_data(partner))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("steering", 403), ("other_caseworker", 404)]
)
def test_referral_create_is_refused_to_others(world, login, case, partner, persona, status):
    make_sharing_consent(case.person, world.user("caseworker"), partner)
    client = login(world.user(persona))
    assert client.get(create_url(case)).status_code == status
    assert client.post(create_url(case), referral_data(partner)).status_code == status
    assert not Referral.objects.exists()


# The one-time link


def test_the_link_is_shown_once(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    client = login(worker)
    response = client.post(create_url(case), referral_data(partner))
    detail = response["Location"]
    first = client.get(detail)
    link = first.context["link"]
    assert link.startswith("http://testserver/")
    assert link.endswith(reverse("cases:referral_answer", args=[token_of(link)]))
    assert link in first.content.decode()
    referral = Referral.objects.get()
    # Only a hash of the token is stored.
    assert token_of(link) not in referral.token_hash
    assert services.referral_for_token(token_of(link)) == (LinkState.VALID, referral)
    second = client.get(detail)
    assert second.status_code == 200
    assert second.context["link"] is None
    assert token_of(link) not in second.content.decode()


def test_the_link_goes_to_the_partner_by_e_mail_without_personal_data(world, login, worker, case):
    partner = make_partner(
        world.site_a, "Jobcenter Altenburger Land", kind="jobcenter", email="team@jobcenter.example"
    )
    make_sharing_consent(case.person, worker, partner)
    _referral, token = refer_through_the_view(login(worker), case, partner)
    (message,) = mail.outbox
    assert message.to == ["team@jobcenter.example"]
    assert token in message.body
    for personal in ["Müller", "Jürgen", "Schuldnerberatung", "Bitte um Termin", "Hauptstraße"]:
        assert personal not in message.body
        assert personal not in message.subject


def test_no_e_mail_when_the_partner_has_no_address(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    refer_through_the_view(login(worker), case, partner)
    assert mail.outbox == []


def test_the_partner_page_works_without_login_and_shows_only_the_minimum(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    before = AccessLogEntry.objects.count()
    response = login(None).get(reverse("cases:referral_answer", args=[token]))
    assert response.status_code == 200
    assert response.context["state"] == LinkState.VALID
    html = response.content.decode()
    assert "Jürgen Müller" in html
    assert "Schuldnerberatung" in html
    assert "Bitte um Termin" in html
    for secret in [
        "1980",
        "01.04.",
        "Hauptstraße",
        "04610",
        "Meuselwitz",
        "0151 9876543",
        "juergen@privat.example",
        "Vertrauliche Fallnotiz",
        "Lebenslage vertraulich",
        "Diabetes-XYZ",
    ]:
        assert secret not in html, secret
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    entry = AccessLogEntry.objects.order_by("pk")[before]
    assert (entry.action, entry.actor_id, entry.record_ids) == ("referral.partner_view", None, [referral.pk])


def test_the_partner_accepts_once_and_the_answer_shows_on_the_case(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    url = reverse("cases:referral_answer", args=[token])
    client = login(None)
    response = client.post(
        url, {"status": "accepted", "answered_by": "Frau Beispiel", "reason": "", "outcome": ""}
    )
    assert response.status_code == 200
    assert response.context["state"] == "answered"
    referral.refresh_from_db()
    assert (referral.status, referral.answered_on, referral.answered_by) == (
        "accepted",
        today(),
        "Frau Beispiel",
    )
    assert referral.link_used_at is not None
    assert services.referral_for_token(token)[0] == LinkState.USED
    entry = AuditEntry.objects.get(action="inka.referral.answered_by_partner")
    assert entry.actor_id is None
    assert entry.changes["status"] == ["sent", "accepted"]
    # The same link again: gone, and the page says it was used.
    again = client.get(url)
    assert again.status_code == 410
    assert again.context["state"] == LinkState.USED
    assert "Müller" not in again.content.decode()
    response = client.post(url, {"status": "declined", "reason": "doch nicht"})
    assert response.status_code == 410
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # The caseworker sees the answer on the case and in the referral.
    response = login(worker).get(case.get_absolute_url())
    assert response.context["page"].referrals == [referral]
    assert response.context["page"].referrals[0].status == "accepted"
    html = response.content.decode()
    assert str(referral.get_status_display()) in html
    assert (
        "Frau Beispiel"
        in login(worker).get(reverse("cases:referral_detail", args=[case.pk, referral.pk])).content.decode()
    )


def test_a_declined_referral_needs_a_reason_and_shows_it_on_the_case(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    url = reverse("cases:referral_answer", args=[token])
    client = login(None)
    response = client.post(url, {"status": "declined", "reason": "", "outcome": "", "answered_by": ""})
    assert_form_errors(response, "reason")
    referral.refresh_from_db()
    assert (referral.status, referral.link_used_at) == ("sent", None)
    assert not AuditEntry.objects.filter(action="inka.referral.answered_by_partner").exists()
    # The link still works after the mistake.
    response = client.post(url, {"status": "declined", "reason": "Keine Kapazität bis März"})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Keine Kapazität bis März")
    assert "Keine Kapazität bis März" in login(worker).get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ({"status": ""}, "status"),
        ({"status": "withdrawn"}, "status"),
        ({"status": "completed", "outcome": ""}, "outcome"),
    ],
)
def test_partner_answer_bad_input(world, login, worker, case, partner, answer, field):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    response = login(None).post(
        reverse("cases:referral_answer", args=[token]), {"reason": "", "outcome": "", **answer}
    )
    assert_form_errors(response, field)
    referral.refresh_from_db()
    assert (referral.status, referral.link_used_at) == ("sent", None)


def test_an_expired_link_is_gone(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    url = reverse("cases:referral_answer", args=[token])
    client = login(None)
    with time_machine.travel(timezone.now() + timedelta(days=services.REFERRAL_LINK_DAYS, hours=1)):
        response = client.get(url)
        assert response.status_code == 410
        assert response.context["state"] == LinkState.EXPIRED
        assert "Müller" not in response.content.decode()
        assert client.post(url, {"status": "accepted"}).status_code == 410
    referral.refresh_from_db()
    assert referral.status == "sent"
    Referral.objects.filter(pk=referral.pk).update(link_expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 410


def test_an_unknown_link_is_404(world, login):
    response = login(None).get(reverse("cases:referral_answer", args=["kein-gueltiger-token"]))
    assert response.status_code == 404
    assert response.context["state"] == LinkState.UNKNOWN


def test_a_renewed_link_replaces_the_old_one(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    client = login(worker)
    referral, old = refer_through_the_view(client, case, partner)
    response = client.post(reverse("cases:referral_renew_link", args=[case.pk, referral.pk]))
    assert response.status_code == 302
    new = token_of(client.get(response["Location"]).context["link"])
    assert new != old
    assert login(None).get(reverse("cases:referral_answer", args=[old])).status_code == 404
    assert login(None).get(reverse("cases:referral_answer", args=[new])).status_code == 200
    assert AuditEntry.objects.filter(action="inka.referral.link_renewed").count() == 1


def test_the_caseworker_records_an_answer_by_phone(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    client = login(worker)
    referral, token = refer_through_the_view(client, case, partner)
    url = reverse("cases:referral_detail", args=[case.pk, referral.pk])
    response = client.post(url, {"status": "accepted", "reason": "", "outcome": ""})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.token_hash) == ("accepted", "")
    # The partner's link has done its job.
    assert login(None).get(reverse("cases:referral_answer", args=[token])).status_code == 404
    response = login(worker).post(url, {"status": "completed", "outcome": ""})
    assert_form_errors(response, "outcome")
    response = login(worker).post(url, {"status": "declined", "reason": "x"})
    assert_form_errors(response, "status")
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_referral_detail_for_readers_and_others(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, _token = refer_through_the_view(login(worker), case, partner)
    url = reverse("cases:referral_detail", args=[case.pk, referral.pk])
    reader = login(world.user("reader"))
    response = reader.get(url)
    assert response.status_code == 200
    assert response.context["link"] is None
    assert reader.post(url, {"status": "withdrawn"}).status_code == 403
    assert reader.post(reverse("cases:referral_renew_link", args=[case.pk, referral.pk])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "sent"
    other = login(world.user("other_caseworker"))
    assert other.get(url).status_code == 404
    assert other.post(url, {"status": "withdrawn"}).status_code == 404
    # A referral of another case is not found through this case.
    other_case = make_case(world.site_a, worker, make_person(world.site_a, "Anna", "Schulz"))
    assert (
        login(worker).get(reverse("cases:referral_detail", args=[other_case.pk, referral.pk])).status_code
        == 404
    )


def test_the_partner_can_answer_from_a_browser_with_csrf_checks(world, login, worker, case, partner):
    make_sharing_consent(case.person, worker, partner)
    referral, token = refer_through_the_view(login(worker), case, partner)
    url = reverse("cases:referral_answer", args=[token])
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert browser.post(url, {"status": "accepted"}).status_code == 403
    response = browser.post(url, {"status": "accepted", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    referral.refresh_from_db()
    assert referral.status == "accepted"
