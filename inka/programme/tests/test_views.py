from datetime import date

import pytest
from django.urls import reverse

from inka.core.models import AuditEntry
from inka.programme.models import Site, SitePeriod

VALID = {
    "code": "NORD",
    "name": "ThINKA Nord",
    "district": "",
    "neighbourhood": "Nordviertel",
    "postcode": "04600",
    "town": "Altenburg",
    "starts_on": "2013-03-01",
    "starts_on_precision": "month",
    "status": "active",
    "is_public": "on",
}


def form_data(world, **changes):
    return {**VALID, "district": world.district_a.pk, **changes}


def test_coordinator_edits_a_site_and_the_change_is_audited(world, login):
    client = login(world.user("coordinator"))
    url = reverse("programme:site_edit", args=[world.site_a.pk])
    response = client.post(url, form_data(world, name="ThINKA Altenburg-Nord", opening_hours="Mo 9–12 Uhr"))
    assert response.status_code == 302
    world.site_a.refresh_from_db()
    assert world.site_a.name == "ThINKA Altenburg-Nord"
    entry = AuditEntry.objects.get(action="inka.site.updated")
    assert entry.changes["name"] == ["ThINKA Nord", "ThINKA Altenburg-Nord"]
    assert entry.actor_id == world.user("coordinator").pk
    assert entry.site_id == world.site_a.pk
    assert entry.role == "coordinator"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_on": "2015-01-01", "ends_on": "2014-12-31", "status": "ended"},
            "ends_on",
            "nicht vor dem Beginn",
        ),
        ({"district": "999999"}, "district", "Kreise Thüringens"),
        ({"name": ""}, "name", "Dieses Feld ist zwingend erforderlich."),
        ({"code": "nord!"}, "code", "Großbuchstaben"),
        ({"postcode": "4600"}, "postcode", "fünfstellige Postleitzahl"),
        ({"status": "ended", "ends_on": ""}, "ends_on", "Enddatum"),
    ],
)
def test_site_edit_with_bad_input_shows_german_errors_at_the_field_and_changes_nothing(
    world, login, changes, field, message
):
    client = login(world.user("coordinator"))
    url = reverse("programme:site_edit", args=[world.site_a.pk])
    response = client.post(url, form_data(world, **{"name": "Neuer Name", **changes}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    world.site_a.refresh_from_db()
    assert world.site_a.name == "ThINKA Nord"
    assert not AuditEntry.objects.exists()


def test_caseworker_of_site_a_gets_404_for_site_b(world, login):
    client = login(world.user("caseworker"))
    assert client.get(reverse("programme:site_detail", args=[world.site_b.pk])).status_code == 404
    assert client.get(reverse("programme:site_edit", args=[world.site_b.pk])).status_code == 404


def test_caseworker_gets_403_on_site_edit_of_own_site(world, login):
    client = login(world.user("caseworker"))
    url = reverse("programme:site_edit", args=[world.site_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(world, name="Gekapert")).status_code == 403
    world.site_a.refresh_from_db()
    assert world.site_a.name == "ThINKA Nord"


def test_anonymous_user_is_sent_to_login(world, client):
    response = client.get(reverse("programme:site_detail", args=[world.site_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_site_list_shows_only_the_users_sites(world, login):
    response = login(world.user("caseworker")).get(reverse("programme:site_list"))
    html = response.content.decode()
    assert "ThINKA Nord" in html
    assert "ThINKA Süd" not in html
    response = login(world.user("coordinator")).get(reverse("programme:site_list"))
    assert "ThINKA Süd" in response.content.decode()


def test_site_detail_shows_team_and_carrier_history(world, login):
    SitePeriod.objects.create(site=world.site_a, neighbourhood="Nordviertel", starts_on=date(2013, 3, 1))
    response = login(world.user("reader")).get(reverse("programme:site_detail", args=[world.site_a.pk]))
    html = response.content.decode()
    assert "Site_Lead Person" in html
    assert "Nordviertel" in html
    assert "Standort bearbeiten" not in html


def test_coordinator_records_a_carrier_change(world, login):
    client = login(world.user("coordinator"))
    url = reverse("programme:site_period_create", args=[world.site_a.pk])
    data = {
        "carrier_name": "  AWO   Kreisverband ",
        "neighbourhood": "Nord",
        "starts_on": "2018-01-01",
        "starts_on_precision": "day",
    }
    assert client.post(url, data).status_code == 302
    period = SitePeriod.objects.get(site=world.site_a)
    assert period.carrier.name == "AWO Kreisverband"
    assert AuditEntry.objects.filter(action="inka.site.period_added", site_id=world.site_a.pk).exists()


def test_public_page_needs_no_login_and_hides_unpublished_sites(world, client):
    response = client.get(reverse("programme:site_public", args=["nord"]))
    assert response.status_code == 200
    assert "ThINKA Nord" in response.content.decode()
    Site.objects.filter(pk=world.site_a.pk).update(is_public=False, notes="intern")
    assert client.get(reverse("programme:site_public", args=["NORD"])).status_code == 404


def test_public_page_does_not_show_internal_notes(world, client):
    Site.objects.filter(pk=world.site_a.pk).update(notes="Quelle: interne Notiz")
    assert "interne Notiz" not in client.get(reverse("programme:site_public", args=["NORD"])).content.decode()


@pytest.mark.parametrize("sites", [1, 20])
def test_site_list_query_count_does_not_grow_with_sites(
    world, login, site_count, sites, django_assert_max_num_queries
):
    site_count(sites)
    client = login(world.user("coordinator"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programme:site_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == sites


def test_coordinates_must_lie_in_the_chosen_district(world, login):
    client = login(world.user("coordinator"))
    url = reverse("programme:site_edit", args=[world.site_a.pk])
    leipzig = form_data(world, latitude="51.33970", longitude="12.37310")
    response = client.post(url, leipzig)
    assert response.status_code == 400
    assert "nicht in Thüringen" in " ".join(response.context["form"].errors["latitude"])
    erfurt = form_data(world, latitude="50.97800", longitude="11.02900")
    response = client.post(url, erfurt)
    assert "außerhalb von Altenburger Land" in " ".join(response.context["form"].errors["latitude"])
    altenburg = form_data(world, latitude="51.00300", longitude="12.44000")
    assert client.post(url, altenburg).status_code == 302


def test_a_carrier_change_ends_the_open_period_and_overlaps_are_refused(world, login):
    SitePeriod.objects.create(site=world.site_a, neighbourhood="Nord", starts_on=date(2013, 3, 1))
    client = login(world.user("coordinator"))
    url = reverse("programme:site_period_create", args=[world.site_a.pk])
    change = {
        "carrier_name": "OTEGAU GmbH",
        "neighbourhood": "Nord und Ost",
        "starts_on": "2018-01-01",
        "starts_on_precision": "day",
    }
    assert client.post(url, change).status_code == 302
    first, second = SitePeriod.objects.filter(site=world.site_a).order_by("starts_on")
    assert first.ends_on == date(2017, 12, 31)
    assert second.ends_on is None and second.carrier.name == "OTEGAU GmbH"
    response = client.post(url, {**change, "starts_on": "2016-05-01"})
    assert response.status_code == 400
    assert "starts_on" in response.context["form"].errors
    response = client.post(url, {**change, "starts_on": ""})
    assert response.status_code == 400
    assert SitePeriod.objects.filter(site=world.site_a).count() == 2
