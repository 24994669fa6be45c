from datetime import date

import pytest
from django.urls import reverse

from inka.accounts.models import Membership
from inka.core.models import AuditEntry
from inka.network.models import Partner, PartnerContact, PartnerKind, SitePartner
from inka.network.tests.relation_factories import make_activity, make_agreement, make_service

LIST = reverse("network:partner_list")
CREATE = reverse("network:partner_create")
VALID = {
    "name": "Schuldnerberatung der Diakonie Altenburg",
    "kind": "debt_counselling",
    "street": "Markt 1",
    "postcode": "04600",
    "town": "Altenburg",
    "phone": "03447 123456",
    "email": "info@diakonie-altenburg.example",
    "website": "diakonie-altenburg.example",
    "since": "2015-04-01",
    "contact_person": "Maria Beispiel",
    "contact_phone": "03447 123457",
    "contact_email": "m.beispiel@diakonie-altenburg.example",
    "link_notes": "Termine dienstags",
    "notes": "",
}


def detail_url(link):
    return reverse("network:partner_detail", args=[link.pk])


def edit_url(link):
    return reverse("network:partner_edit", args=[link.pk])


def edit_data(**changes):
    return {**VALID, "is_active": "on", **changes}


# List


def test_site_members_see_their_sites_partners_only(world, login, make_link):
    make_link(world.site_a, "Jobcenter Altenburger Land")
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    for persona in ["caseworker", "reader", "steering"]:
        html = login(world.user(persona)).get(LIST).content.decode()
        assert "Jobcenter Altenburger Land" in html
        assert "Jobcenter Gera" not in html
    html = login(world.user("other_caseworker")).get(LIST).content.decode()
    assert "Jobcenter Gera" in html
    assert "Jobcenter Altenburger Land" not in html


def test_only_writers_get_the_add_button(world, login):
    assert CREATE in login(world.user("caseworker")).get(LIST).content.decode()
    assert CREATE not in login(world.user("reader")).get(LIST).content.decode()


def test_the_list_follows_the_site_the_user_works_in(world, login, make_link):
    Membership.objects.create(user=world.user("caseworker"), site=world.site_b, role="caseworker")
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    client = login(world.user("caseworker"))
    assert "Jobcenter Gera" not in client.get(LIST).content.decode()
    client.post(reverse("accounts:site_switch"), {"site": world.site_b.pk})
    assert "Jobcenter Gera" in client.get(LIST).content.decode()


def test_search_and_kind_filter(world, login, make_link):
    make_link(world.site_a, "Wohnungsgesellschaft Altenburg mbH", kind=PartnerKind.HOUSING)
    make_link(world.site_a, "Tafel Altenburg e.V.", kind=PartnerKind.ASSOCIATION)
    client = login(world.user("caseworker"))
    rows = client.get(LIST, {"q": "tafel"}).context["page"].object_list
    assert [link.partner.name for link in rows] == ["Tafel Altenburg e.V."]
    rows = client.get(LIST, {"kind": "housing"}).context["page"].object_list
    assert [link.partner.name for link in rows] == ["Wohnungsgesellschaft Altenburg mbH"]
    response = client.get(LIST, {"kind": "castle"})
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


def test_the_list_is_paginated_by_50(world, login, make_link):
    for index in range(51):
        make_link(world.site_a, f"Partner {index:02}")
    client = login(world.user("reader"))
    page = client.get(LIST).context["page"]
    assert len(page.object_list) == 50
    response = client.get(LIST, {"page": 2, "q": "Partner"})
    assert [link.partner.name for link in response.context["page"].object_list] == ["Partner 50"]
    assert "q=Partner&amp;page=1" in response.content.decode()


def test_the_coordination_sees_every_partner_once_with_its_sites(world, login, make_link):
    make_link(world.site_a, "Agentur für Arbeit Altenburg-Gera", town="Gera")
    link_b = make_link(world.site_b, "Agentur für Arbeit Altenburg-Gera", town="Gera")
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    response = login(world.user("coordinator")).get(LIST)
    partners = response.context["page"].object_list
    assert [partner.name for partner in partners] == ["Agentur für Arbeit Altenburg-Gera", "Jobcenter Gera"]
    html = response.content.decode()
    assert "ThINKA Nord" in html and "ThINKA Süd" in html
    assert detail_url(link_b) in html
    assert CREATE not in html


@pytest.mark.parametrize("persona", ["dpo", "nobody"])
def test_the_data_protection_officer_and_users_without_role_get_403(world, login, persona):
    if persona == "nobody":
        Membership.objects.filter(user=world.user("reader")).delete()
        persona = "reader"
    assert login(world.user(persona)).get(LIST).status_code == 403


@pytest.mark.parametrize(
    ("persona", "rows"), [("caseworker", 1), ("caseworker", 50), ("coordinator", 1), ("coordinator", 50)]
)
def test_list_query_count_does_not_grow_with_rows(
    world, login, make_link, persona, rows, django_assert_max_num_queries
):
    for index in range(rows):
        make_link(world.site_a, f"Partner {index:02}", contact_person="Frau Beispiel")
        make_link(world.site_b, f"Partner {index:02}")
    client = login(world.user(persona))
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows


def test_navigation_has_the_partner_entry_for_site_roles_but_not_the_dpo(world, login):
    response = login(world.user("steering")).get(reverse("start"))
    assert LIST in [item["url"] for item in response.context["nav_items"]]
    response = login(world.user("dpo")).get(reverse("start"))
    assert LIST not in [item["url"] for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    "url_name",
    ["network:service_list", "network:agreement_list", "network:activity_list", "network:partner_list"],
)
def test_every_network_page_is_under_the_network_entry_with_its_tab(world, login, url_name):
    response = login(world.user("caseworker")).get(reverse(url_name))
    (current,) = [item for item in response.context["nav_items"] if item["current"]]
    assert current["url"] == LIST
    html = response.content.decode()
    assert 'class="subnav"' in html
    assert f'href="{reverse(url_name)}" aria-current="page"' in html


# Create


def test_caseworker_adds_a_partner_to_the_current_site(world, login):
    response = login(world.user("caseworker")).post(CREATE, VALID)
    assert response.status_code == 302
    assert response["Location"] == LIST
    link = SitePartner.objects.select_related("partner").get()
    assert link.site == world.site_a
    assert link.partner.kind == PartnerKind.DEBT_COUNSELLING
    assert link.partner.website == "https://diakonie-altenburg.example"
    assert link.partner.is_active
    assert link.since == date(2015, 4, 1)
    assert link.notes == "Termine dienstags"
    assert link.partner.notes == ""
    assert AuditEntry.objects.filter(
        action="inka.partner.created", actor_id=world.user("caseworker").pk
    ).exists()


def test_create_returns_to_a_local_next_url_only(world, login):
    client = login(world.user("site_lead"))
    response = client.post(f"{CREATE}?next=/faelle/7/vermittlung/", VALID)
    assert response["Location"] == "/faelle/7/vermittlung/"
    response = client.post(CREATE, {**VALID, "name": "Zweiter Partner", "next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_the_form_keeps_the_next_url(world, login):
    html = login(world.user("caseworker")).get(CREATE, {"next": "/faelle/7/"}).content.decode()
    assert 'name="next" value="/faelle/7/"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Dieses Feld ist zwingend erforderlich."),
        ({"kind": "castle"}, "kind", "Bitte eine gültige Auswahl treffen."),
        ({"email": "kein-mail"}, "email", "gültige E-Mail-Adresse"),
        ({"contact_email": "kein-mail"}, "contact_email", "gültige E-Mail-Adresse"),
        ({"since": "gestern"}, "since", "gültiges Datum"),
        ({"postcode": "4600"}, "postcode", ""),
    ],
)
def test_create_with_bad_input_shows_the_error_at_the_field_and_writes_nothing(
    world, login, changes, field, message
):
    response = login(world.user("caseworker")).post(CREATE, {**VALID, **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html
    assert not Partner.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_duplicate_is_refused_at_the_name_and_the_existing_partner_offered(world, login, make_link):
    existing = make_link(world.site_b, VALID["name"]).partner
    client = login(world.user("caseworker"))
    response = client.post(f"{CREATE}?next=/faelle/7/", {**VALID, "name": VALID["name"].upper()})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert response.context["duplicate"] == existing
    html = response.content.decode()
    assert f'name="link_partner" value="{existing.pk}"' in html
    assert Partner.objects.count() == 1
    response = client.post(CREATE, {"link_partner": existing.pk, "next": "/faelle/7/"})
    assert response["Location"] == "/faelle/7/"
    assert SitePartner.objects.filter(site=world.site_a, partner=existing).exists()
    assert AuditEntry.objects.filter(action="inka.partner.linked", site_id=world.site_a.pk).count() == 1
    # Once linked, the form says so instead of offering the link again.
    response = client.post(CREATE, VALID)
    assert response.context["duplicate_link"].site == world.site_a


def test_linking_an_unknown_partner_is_404(world, login):
    client = login(world.user("caseworker"))
    assert client.post(CREATE, {"link_partner": "999999"}).status_code == 404
    assert client.post(CREATE, {"link_partner": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator", "dpo"])
def test_only_writers_may_add_partners(world, login, persona):
    client = login(world.user(persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, VALID).status_code == 403
    assert not Partner.objects.exists()


def test_reader_cannot_link_an_existing_partner(world, login, make_link):
    partner = make_link(world.site_b, "Jobcenter Gera", town="Gera").partner
    assert login(world.user("reader")).post(CREATE, {"link_partner": partner.pk}).status_code == 403
    assert not SitePartner.objects.filter(site=world.site_a).exists()


# Detail


def test_detail_shows_the_partner_and_the_sites_cooperation(world, login, make_link):
    link = make_link(
        world.site_a, "Jobcenter Altenburger Land", contact_person="Frau Beispiel", notes="Nur vormittags"
    )
    response = login(world.user("reader")).get(detail_url(link))
    html = response.content.decode()
    assert "Jobcenter Altenburger Land" in html
    assert "Frau Beispiel" in html and "Nur vormittags" in html
    assert edit_url(link) not in html
    assert edit_url(link) in login(world.user("caseworker")).get(detail_url(link)).content.decode()


def test_detail_shows_services_contacts_agreements_and_activities(world, login, make_link):
    link = make_link(world.site_a, "Jobcenter Altenburger Land", kind=PartnerKind.JOBCENTER)
    make_service(link.partner, "Beratung zum Bürgergeld", hours="Mo 8–12 Uhr")
    PartnerContact.objects.create(link=link, name="Frau Fallmanagerin")
    agreement = make_agreement(world.site_a, link.partner, title="Zusammenarbeit Jobcenter")
    make_activity(world.site_a, "AG Übergang Schule–Beruf", partners=(link.partner,))
    make_activity(world.site_a, "Treffen ohne das Jobcenter")
    html = login(world.user("reader")).get(detail_url(link)).content.decode()
    for text in ["Beratung zum Bürgergeld", "Mo 8–12 Uhr", "Frau Fallmanagerin", "Zusammenarbeit Jobcenter"]:
        assert text in html
    assert agreement.get_absolute_url() in html
    assert "AG Übergang Schule–Beruf" in html and "Treffen ohne das Jobcenter" not in html
    assert reverse("network:service_create", args=[link.pk]) not in html
    html = login(world.user("caseworker")).get(detail_url(link)).content.decode()
    assert reverse("network:service_create", args=[link.pk]) in html
    assert reverse("network:partner_contact_create", args=[link.pk]) in html


def test_detail_of_another_sites_link_is_404(world, login, make_link):
    link = make_link(world.site_b, "Jobcenter Gera", town="Gera")
    client = login(world.user("caseworker"))
    assert client.get(detail_url(link)).status_code == 404
    assert client.get(edit_url(link)).status_code == 404
    assert client.post(edit_url(link), edit_data(name="Gekapert")).status_code == 404
    assert Partner.objects.get().name == "Jobcenter Gera"


def test_detail_for_programme_roles(world, login, make_link):
    link = make_link(world.site_b, "Jobcenter Gera", town="Gera", contact_person="Herr Beispiel")
    response = login(world.user("coordinator")).get(detail_url(link))
    assert response.status_code == 200
    assert edit_url(link) not in response.content.decode()
    assert login(world.user("dpo")).get(detail_url(link)).status_code == 403


def test_anonymous_users_are_sent_to_the_login(world, client, make_link):
    link = make_link(world.site_a, "Jobcenter Altenburger Land")
    for url in [LIST, CREATE, detail_url(link), edit_url(link)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# Edit


def test_site_lead_edits_partner_and_cooperation_together(world, login, make_link):
    link = make_link(world.site_a, "Schuldnerberatung Altenburg", kind=PartnerKind.DEBT_COUNSELLING)
    client = login(world.user("site_lead"))
    form = client.get(edit_url(link)).context["form"]
    assert form["name"].value() == "Schuldnerberatung Altenburg"
    assert "is_active" in form.fields
    response = client.post(edit_url(link), edit_data(is_active=""))
    assert response.status_code == 302
    assert response["Location"] == detail_url(link)
    link.refresh_from_db()
    link.partner.refresh_from_db()
    assert link.partner.name == VALID["name"]
    assert not link.partner.is_active
    assert link.contact_person == "Maria Beispiel"
    assert link.notes == "Termine dienstags"
    updated = AuditEntry.objects.get(action="inka.partner.updated")
    assert updated.changes["is_active"] == [True, False]
    assert updated.site_id == world.site_a.pk
    assert AuditEntry.objects.get(action="inka.partner.link_updated").changes["notes"] == [
        "",
        "Termine dienstags",
    ]


def test_a_failed_edit_saves_neither_partner_nor_cooperation(world, login, make_link):
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    link = make_link(world.site_a, "Schuldnerberatung Altenburg", contact_person="Alt")
    response = login(world.user("caseworker")).post(
        edit_url(link), edit_data(name="Jobcenter Gera", town="Gera", contact_person="Neu")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert "Schuldnerberatung Altenburg" in response.content.decode()
    link.refresh_from_db()
    assert link.contact_person == "Alt"
    assert link.partner.name == "Schuldnerberatung Altenburg"
    assert not AuditEntry.objects.exists()


def test_edit_with_bad_input_is_400_at_the_field(world, login, make_link):
    link = make_link(world.site_a, "Schuldnerberatung Altenburg")
    response = login(world.user("caseworker")).post(edit_url(link), edit_data(website="kein link", name=""))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"website", "name"}
    assert Partner.objects.get().name == "Schuldnerberatung Altenburg"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("persona", ["reader", "steering", "coordinator", "admin", "dpo"])
def test_only_writers_of_the_site_may_edit(world, login, make_link, persona):
    link = make_link(world.site_a, "Schuldnerberatung Altenburg")
    client = login(world.user(persona))
    assert client.get(edit_url(link)).status_code == 403
    assert client.post(edit_url(link), edit_data(name="Gekapert")).status_code == 403
    assert Partner.objects.get().name == "Schuldnerberatung Altenburg"
