"""Referring to a service from the services directory: the partner follows, the consent still counts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inka.cases import services
from inka.cases.models import Referral
from inka.cases.tests.factories import assert_form_errors, make_case, make_partner, make_sharing_consent
from inka.core.models import AuditEntry
from inka.network.tests.relation_factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(world):
    return world.user("caseworker")


@pytest.fixture
def case(world, worker):
    return make_case(world.site_a, worker)


@pytest.fixture
def debt(world):
    return make_partner(world.site_a, "Schuldnerberatung der Diakonie", kind="debt_counselling")


@pytest.fixture
def sprechstunde(debt):
    return make_service(debt, "Offene Sprechstunde", audiences=("debt",), hours="Di 9–12 Uhr")


def create_url(case):
    return reverse("cases:referral_create", args=[case.pk])


def data(**changes):
    return {
        "partner": "",
        "service": "",
        "purpose": "Schuldnerberatung",
        "message": "",
        "override_reason": "",
        **changes,
    }


def written():
    return Referral.objects.count(), AuditEntry.objects.count()


def test_the_form_offers_the_sites_services_grouped_by_partner(
    world, login, worker, case, debt, sprechstunde
):
    housing = make_partner(world.site_a, "Wohnungsgesellschaft", kind="housing")
    make_service(housing, "Mieterberatung")
    make_service(housing, "Nicht mehr im Angebot", is_active=False)
    foreign = make_partner(world.site_b, "Tafel Gera", kind="association", town="Gera")
    make_service(foreign, "Lebensmittelausgabe")
    closed = make_partner(world.site_a, "Alte Beratungsstelle", is_active=False)
    make_service(closed, "Geschlossen")
    response = login(worker).get(create_url(case))
    choices = response.context["form"].fields["service"].choices
    assert choices[1:] == [
        ("Schuldnerberatung der Diakonie", [(str(sprechstunde.pk), "Offene Sprechstunde")]),
        ("Wohnungsgesellschaft", [(str(housing.services.get(name="Mieterberatung").pk), "Mieterberatung")]),
    ]
    html = response.content.decode()
    assert f"{reverse('network:service_list')}?referral={case.pk}" in html
    assert '<optgroup label="Schuldnerberatung der Diakonie">' in html


def test_the_directory_preselects_the_service(world, login, worker, case, debt, sprechstunde):
    response = login(worker).get(create_url(case), {"service": sprechstunde.pk})
    form = response.context["form"]
    assert form["service"].value() == str(sprechstunde.pk)
    assert form["partner"].value() == debt.pk
    # An unknown service is simply not preselected.
    assert (
        login(worker).get(create_url(case), {"service": "999999"}).context["form"]["service"].value() is None
    )


def test_with_a_service_the_partner_follows(world, login, worker, case, debt, sprechstunde):
    make_sharing_consent(case.person, worker, partner_kind="debt_counselling")
    response = login(worker).post(create_url(case), data(service=str(sprechstunde.pk)))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.partner, referral.service) == (debt, sprechstunde)
    entry = AuditEntry.objects.get(action="inka.referral.sent")
    assert entry.changes["service"] == [None, sprechstunde.pk]
    html = login(worker).get(response["Location"]).content.decode()
    assert "Offene Sprechstunde" in html and "Di 9–12 Uhr" in html


def test_partner_and_its_own_service_together(world, login, worker, case, debt, sprechstunde):
    make_sharing_consent(case.person, worker, debt)
    response = login(worker).post(create_url(case), data(partner=str(debt.pk), service=str(sprechstunde.pk)))
    assert response.status_code == 302
    assert Referral.objects.get().service == sprechstunde


def test_a_service_of_another_partner_is_refused_at_the_service(
    world, login, worker, case, debt, sprechstunde
):
    housing = make_partner(world.site_a, "Wohnungsgesellschaft", kind="housing")
    make_sharing_consent(case.person, worker, partner_kind="housing")
    response = login(worker).post(
        create_url(case), data(partner=str(housing.pk), service=str(sprechstunde.pk))
    )
    assert_form_errors(response, "service")
    assert list(response.context["form"].errors) == ["service"]
    assert written() == (0, 0)


def test_the_consent_must_cover_the_services_partner(world, login, worker, case, debt, sprechstunde):
    make_sharing_consent(case.person, worker, partner_kind="housing")
    response = login(worker).post(create_url(case), data(service=str(sprechstunde.pk)))
    assert_form_errors(response, "partner")
    assert written() == (0, 0)
    # With a documented reason it goes through, as for any referral.
    response = login(worker).post(
        create_url(case),
        data(service=str(sprechstunde.pk), override_reason="Pfändung morgen, Person im Krankenhaus"),
    )
    assert response.status_code == 302
    assert Referral.objects.get().consent is None


@pytest.mark.parametrize("service", ["999999", "abc"])
def test_an_unknown_service_is_refused(world, login, worker, case, debt, service):
    make_sharing_consent(case.person, worker, debt)
    response = login(worker).post(create_url(case), data(partner=str(debt.pk), service=service))
    assert_form_errors(response, "service")
    assert written() == (0, 0)


def test_a_service_of_a_partner_not_on_the_sites_list_is_refused(world, login, worker, case):
    foreign = make_partner(world.site_b, "Tafel Gera", kind="association", town="Gera")
    service = make_service(foreign, "Lebensmittelausgabe")
    make_sharing_consent(case.person, worker, partner_kind="association")
    response = login(worker).post(create_url(case), data(service=str(service.pk)))
    assert_form_errors(response, "service")
    assert written() == (0, 0)


def test_neither_partner_nor_service_is_refused_at_the_partner(world, login, worker, case, debt):
    response = login(worker).post(create_url(case), data())
    assert_form_errors(response, "partner")
    assert written() == (0, 0)


def test_a_service_no_longer_offered_is_refused_by_the_service(world, worker, case, debt, sprechstunde):
    make_sharing_consent(case.person, worker, debt)
    sprechstunde.is_active = False
    sprechstunde.save()
    with pytest.raises(ValidationError) as raised:
        services.referral_create(
            actor=worker, case=case, partner=debt, service=sprechstunde, purpose="Beratung"
        )
    assert list(raised.value.error_dict) == ["service"]
    assert written() == (0, 0)
