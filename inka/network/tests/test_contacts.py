"""Further contact persons at a partner: part of a site's cooperation, kept on the partner page."""

import pytest
from django.urls import reverse

from inka.core.models import AuditEntry
from inka.network.models import PartnerContact
from inka.network.tests.relation_factories import make_link

VALID = {
    "name": "Maria Beispiel",
    "function": "Fallmanagement",
    "phone": "03447 123456",
    "email": "m.beispiel@jobcenter.example",
    "note": "dienstags nicht erreichbar",
}


def create_url(link):
    return reverse("network:partner_contact_create", args=[link.pk])


def edit_url(contact):
    return reverse("network:partner_contact_edit", args=[contact.link_id, contact.pk])


def delete_url(contact):
    return reverse("network:partner_contact_delete", args=[contact.link_id, contact.pk])


@pytest.fixture
def link(world):
    return make_link(world.site_a, "Jobcenter Altenburger Land")


def test_the_caseworker_adds_edits_and_removes_a_contact_person(world, login, link):
    client = login(world.user("caseworker"))
    response = client.post(create_url(link), VALID)
    assert response["Location"] == f"{link.get_absolute_url()}#ansprechpersonen"
    contact = PartnerContact.objects.get()
    assert (contact.link, contact.function) == (link, "Fallmanagement")
    created = AuditEntry.objects.get(action="inka.partner_contact.created")
    assert (created.site_id, created.changes["name"]) == (world.site_a.pk, [None, "Maria Beispiel"])
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Maria Beispiel" in html and edit_url(contact) in html and delete_url(contact) in html
    assert client.get(edit_url(contact)).context["form"]["name"].value() == "Maria Beispiel"
    response = client.post(edit_url(contact), {**VALID, "function": "Teamleitung"})
    assert response.status_code == 302
    updated = AuditEntry.objects.get(action="inka.partner_contact.updated")
    assert updated.changes == {"function": ["Fallmanagement", "Teamleitung"]}
    response = client.post(delete_url(contact))
    assert response["Location"] == f"{link.get_absolute_url()}#ansprechpersonen"
    assert not PartnerContact.objects.exists()
    deleted = AuditEntry.objects.get(action="inka.partner_contact.deleted")
    assert (deleted.site_id, deleted.changes["name"]) == (world.site_a.pk, ["Maria Beispiel", None])


def test_readers_see_contact_persons_without_edit_links(world, login, link):
    contact = PartnerContact.objects.create(link=link, **VALID)
    for persona in ["reader", "steering", "coordinator"]:
        html = login(world.user(persona)).get(link.get_absolute_url()).content.decode()
        assert "Maria Beispiel" in html
        assert edit_url(contact) not in html and delete_url(contact) not in html


def test_another_sites_link_to_the_same_partner_has_its_own_contacts(world, login, link):
    PartnerContact.objects.create(link=link, **VALID)
    link_b = make_link(world.site_b, "Jobcenter Altenburger Land")
    html = login(world.user("other_caseworker")).get(link_b.get_absolute_url()).content.decode()
    assert "Maria Beispiel" not in html


@pytest.mark.parametrize(
    ("changes", "field"), [({"name": ""}, "name"), ({"email": "keine-adresse"}, "email")]
)
def test_bad_input_is_400_at_the_field_and_nothing_written(world, login, link, changes, field):
    client = login(world.user("site_lead"))
    response = client.post(create_url(link), {**VALID, **changes})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not PartnerContact.objects.exists()
    contact = PartnerContact.objects.create(link=link, **VALID)
    response = client.post(edit_url(contact), {**VALID, **changes})
    assert response.status_code == 400
    assert "Maria Beispiel" in response.content.decode()
    contact.refresh_from_db()
    assert contact.name == "Maria Beispiel"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reader", 403), ("steering", 403), ("coordinator", 403), ("dpo", 403), ("other_caseworker", 404)],
)
def test_only_the_sites_writers_keep_contact_persons(world, login, link, persona, status):
    contact = PartnerContact.objects.create(link=link, **VALID)
    client = login(world.user(persona))
    assert client.get(create_url(link)).status_code == status
    assert client.post(create_url(link), VALID).status_code == status
    assert client.post(edit_url(contact), {**VALID, "name": "Gekapert"}).status_code == status
    assert client.post(delete_url(contact)).status_code == status
    assert PartnerContact.objects.get().name == "Maria Beispiel"
    assert not AuditEntry.objects.exists()


def test_a_contact_is_reached_only_through_its_own_link(world, login, link):
    other = make_link(world.site_a, "Tafel Altenburg")
    contact = PartnerContact.objects.create(link=other, **VALID)
    url = reverse("network:partner_contact_edit", args=[link.pk, contact.pk])
    assert login(world.user("caseworker")).get(url).status_code == 404


def test_delete_needs_post_and_anonymous_users_log_in(world, login, client, link):
    contact = PartnerContact.objects.create(link=link, **VALID)
    assert login(world.user("caseworker")).get(delete_url(contact)).status_code == 405
    for url in [create_url(link), edit_url(contact)]:
        response = login(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert login(None).post(delete_url(contact)).status_code == 302
    assert PartnerContact.objects.exists()
