"""The services directory (N1): search, filters, who sees what, and keeping services on the partner page."""

import pytest
from django.urls import reverse
from django.utils import translation

from inka.core.models import AuditEntry
from inka.network import selectors
from inka.network.models import Cost, Language, PartnerKind, Service, ServiceAudience, ServiceLanguage
from inka.network.tests.relation_factories import make_link, make_service

LIST = reverse("network:service_list")


def names(services):
    return sorted(service.name for service in services)


@pytest.fixture
def directory(world):
    """Three partners of site A with services, and one partner that works with site B only."""
    debt = make_link(world.site_a, "Schuldnerberatung der Diakonie", kind=PartnerKind.DEBT_COUNSELLING)
    migration = make_link(
        world.site_a, "Migrationsberatung des DRK", kind=PartnerKind.MIGRATION, town="Schmölln"
    )
    school = make_link(world.site_a, "Regelschule Am Stadtpark", kind=PartnerKind.SCHOOL)
    gera = make_link(world.site_b, "Tafel Gera e.V.", kind=PartnerKind.ASSOCIATION, town="Gera")
    return {
        "sprechstunde": make_service(
            debt.partner,
            "Offene Sprechstunde Schuldnerberatung",
            description="Erste Orientierung ohne Termin: Strom, Miete, Pfändung.",
            audiences=("debt",),
        ),
        "insolvenz": make_service(
            debt.partner,
            "Insolvenzberatung",
            description="Begleitung im Verbraucherinsolvenzverfahren.",
            audiences=("debt",),
            cost=Cost.REDUCED,
        ),
        "mbe": make_service(
            migration.partner,
            "Migrationsberatung für Erwachsene",
            description="Übersetzung von Bescheiden, Aufenthalt und Sprachkurs.",
            audiences=("migrants",),
            languages=("de", "ar", "uk"),
        ),
        "schule": make_service(
            school.partner,
            "Schulsozialarbeit",
            description="Für Schülerinnen, Schüler und Eltern.",
            audiences=("children", "families"),
        ),
        "alle": make_service(school.partner, "Offener Elterntreff", audiences=("everyone",)),
        "tafel": make_service(
            gera.partner, "Lebensmittelausgabe", audiences=("everyone",), cost=Cost.REDUCED
        ),
        "links": {"debt": debt, "migration": migration, "school": school, "gera": gera},
    }


def search(world, **filters):
    return names(selectors.service_list(site_ids=[world.site_a.pk], **filters))


# Search (acceptance: description words, target group, language)


def test_search_finds_a_service_by_words_of_its_description(world, directory):
    assert search(world, q="pfändung") == ["Offene Sprechstunde Schuldnerberatung"]
    # Every word must match, in any of the fields, in any order and case.
    assert search(world, q="MIETE schuldner") == ["Offene Sprechstunde Schuldnerberatung"]
    assert search(world, q="miete sprachkurs") == []
    # Umlauts fold too, although SQLite folds only ASCII letters.
    assert search(world, q="übersetzung") == ["Migrationsberatung für Erwachsene"]


def test_search_covers_the_partners_name_and_town(world, directory):
    assert search(world, q="diakonie") == ["Insolvenzberatung", "Offene Sprechstunde Schuldnerberatung"]
    assert search(world, q="schmölln") == ["Migrationsberatung für Erwachsene"]


def test_search_words_also_find_target_groups_languages_and_kinds_of_partner(world, directory):
    beratung = make_link(world.site_a, "Beratungsstelle am Markt", kind=PartnerKind.DEBT_COUNSELLING).partner
    make_service(beratung, "Sprechstunde", audiences=("debt",), languages=("de", "ru"))
    with translation.override("en"):
        assert "Sprechstunde" in search(world, q="counselling")
        assert search(world, q="debt sprech") == ["Offene Sprechstunde Schuldnerberatung", "Sprechstunde"]
        assert search(world, q="russian") == ["Sprechstunde"]
        # Short words are not looked up in the labels.
        assert "Sprechstunde" not in search(world, q="in")


def test_a_target_group_finds_its_services_and_those_for_everyone(world, directory):
    assert search(world, audience="migrants") == ["Migrationsberatung für Erwachsene", "Offener Elterntreff"]
    assert search(world, audience="families") == ["Offener Elterntreff", "Schulsozialarbeit"]
    assert search(world, audience="everyone") == ["Offener Elterntreff"]


def test_a_language_finds_the_services_in_that_language(world, directory):
    assert search(world, language=Language.UKRAINIAN) == ["Migrationsberatung für Erwachsene"]
    assert search(world, language=Language.RUSSIAN) == []
    assert len(search(world, language=Language.GERMAN)) == 5


def test_partner_kind_and_cost_filters(world, directory):
    assert search(world, kind=PartnerKind.SCHOOL) == ["Offener Elterntreff", "Schulsozialarbeit"]
    assert search(world, cost=Cost.REDUCED) == ["Insolvenzberatung"]
    assert search(world, q="beratung", kind=PartnerKind.MIGRATION) == ["Migrationsberatung für Erwachsene"]


def test_only_offered_services_of_active_partners_are_listed(world, directory):
    Service.objects.filter(name="Insolvenzberatung").update(is_active=False)
    directory["links"]["school"].partner.__class__.objects.filter(name="Regelschule Am Stadtpark").update(
        is_active=False
    )
    assert search(world) == ["Migrationsberatung für Erwachsene", "Offene Sprechstunde Schuldnerberatung"]


def test_the_whole_programme_or_the_sites_partners_with_the_sites_links(world, directory):
    assert "Lebensmittelausgabe" not in search(world)
    services = list(selectors.service_list(site_ids=[world.site_a.pk], whole_programme=True))
    by_name = {service.name: service for service in services}
    assert "Lebensmittelausgabe" in by_name
    assert by_name["Lebensmittelausgabe"].partner.visible_links == []
    assert by_name["Insolvenzberatung"].partner.visible_links == [directory["links"]["debt"]]


# The directory page


def test_the_caseworker_searches_the_sites_partners_and_may_look_beyond(world, login, directory):
    client = login(world.user("caseworker"))
    response = client.get(LIST, {"q": "Pfändung"})
    assert response.status_code == 200
    assert names(response.context["page"].object_list) == ["Offene Sprechstunde Schuldnerberatung"]
    html = response.content.decode()
    assert directory["links"]["debt"].get_absolute_url() in html
    assert "Strom, Miete, Pfändung" in html
    response = client.get(LIST, {"audience": "everyone", "scope": "all"})
    assert names(response.context["page"].object_list) == ["Lebensmittelausgabe", "Offener Elterntreff"]
    html = response.content.decode()
    # A partner of another site only: no page of it here, but it can be put on the site's list.
    assert f'name="link_partner" value="{directory["links"]["gera"].partner_id}"' in html
    assert directory["links"]["gera"].get_absolute_url() not in html


def test_reader_and_steering_group_see_the_sites_services_without_buttons(world, login, directory):
    for persona in ["reader", "steering"]:
        response = login(world.user(persona)).get(LIST, {"scope": "all", "referral": "1"})
        assert response.status_code == 200
        assert "Lebensmittelausgabe" not in response.content.decode() or persona == "reader"
        assert "link_partner" not in response.content.decode()
        assert "?service=" not in response.content.decode()
    # The steering group has no choice of scope: its site's network only.
    response = login(world.user("steering")).get(LIST, {"scope": "all"})
    assert "scope" not in response.context["form"].fields
    assert "Lebensmittelausgabe" not in names(response.context["page"].object_list)


def test_the_coordination_sees_every_service_with_the_sites_of_its_partner(world, login, directory):
    make_link(world.site_b, "Schuldnerberatung der Diakonie")
    response = login(world.user("coordinator")).get(LIST, {"q": "insolvenz"})
    (service,) = response.context["page"].object_list
    assert [link.site for link in service.partner.visible_links] == [world.site_a, world.site_b]
    everything = login(world.user("coordinator")).get(LIST).context["page"].object_list
    assert "Lebensmittelausgabe" in names(everything)
    assert "link_partner" not in response.content.decode()


def test_dpo_admin_and_anonymous_users(world, login, client):
    assert login(world.user("dpo")).get(LIST).status_code == 403
    assert login(world.user("admin")).get(LIST).status_code == 403
    response = login(None).get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "params", [{"language": "xx"}, {"audience": "aliens"}, {"cost": "cheap"}, {"referral": "abc"}]
)
def test_bad_filters_are_400_at_the_field(world, login, directory, params):
    response = login(world.user("caseworker")).get(LIST, params)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == set(params)


def test_choosing_a_service_for_a_referral(world, login, directory):
    """From the referral form: each result offers "refer to this service" back to the form."""
    back = reverse("cases:referral_create", args=[41])
    response = login(world.user("caseworker")).get(LIST, {"referral": 41, "q": "beratung", "scope": "all"})
    html = response.content.decode()
    for key in ["sprechstunde", "insolvenz", "mbe"]:
        assert f"{back}?service={directory[key].pk}" in html
    assert 'name="referral" value="41"' in html
    # Readers cannot refer, so they get no buttons.
    html = login(world.user("reader")).get(LIST, {"referral": 41}).content.decode()
    assert back not in html


@pytest.mark.parametrize(
    ("persona", "rows"), [("caseworker", 1), ("caseworker", 50), ("coordinator", 1), ("coordinator", 50)]
)
def test_directory_query_count_does_not_grow_with_rows(
    world, login, persona, rows, django_assert_max_num_queries
):
    for index in range(rows):
        link = make_link(world.site_a, f"Partner {index:02}")
        make_link(world.site_b, f"Partner {index:02}")
        make_service(
            link.partner, f"Angebot {index:02}", audiences=("debt", "families"), languages=("de", "en")
        )
    client = login(world.user(persona))
    with django_assert_max_num_queries(14):
        response = client.get(LIST, {"language": "de"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 20)


# Services on the partner page


def create_url(link):
    return reverse("network:service_create", args=[link.pk])


def edit_url(link, service):
    return reverse("network:service_edit", args=[link.pk, service.pk])


VALID = {
    "name": "Offene Sprechstunde",
    "description": "Ohne Termin",
    "audiences": ["debt", "families"],
    "languages": ["de", "ru"],
    "place": "",
    "hours": "Di 9–12 Uhr",
    "access": "ohne Termin",
    "cost": "free",
    "cost_note": "",
    "phone": "",
    "email": "",
}


def test_the_caseworker_adds_a_service_with_target_groups_and_languages(world, login):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    client = login(world.user("caseworker"))
    form = client.get(create_url(link)).context["form"]
    assert form["languages"].value() == ["de"]
    response = client.post(create_url(link), VALID)
    assert response.status_code == 302
    assert response["Location"] == f"{link.get_absolute_url()}#angebote"
    service = Service.objects.get()
    assert (service.partner, service.hours, service.is_active) == (link.partner, "Di 9–12 Uhr", True)
    assert set(ServiceAudience.objects.values_list("audience", flat=True)) == {"debt", "families"}
    assert set(ServiceLanguage.objects.values_list("language", flat=True)) == {"de", "ru"}
    entry = AuditEntry.objects.get(action="inka.service.created")
    assert (entry.site_id, entry.actor_id) == (world.site_a.pk, world.user("caseworker").pk)
    assert entry.changes["audiences"] == [None, ["debt", "families"]]
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Offene Sprechstunde" in html and "Russisch" in html
    assert edit_url(link, service) in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audiences": []}, "audiences"),
        ({"languages": []}, "languages"),
        ({"languages": ["de", "klingon"]}, "languages"),
        ({"name": ""}, "name"),
        ({"email": "keine-adresse"}, "email"),
        ({"cost": "teuer"}, "cost"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_written(world, login, changes, field):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    response = login(world.user("site_lead")).post(create_url(link), {**VALID, **changes})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not Service.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_error_messages_are_german(world, login):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    response = login(world.user("caseworker")).post(create_url(link), {**VALID, "email": "x"})
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.content.decode()


def test_services_are_shared_and_edits_audited_with_the_site(world, login):
    link_a = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    link_b = make_link(world.site_b, "Schuldnerberatung der Diakonie")
    service = make_service(link_a.partner, "Sprechstunde", audiences=("debt",))
    client = login(world.user("other_caseworker"))
    form = client.get(edit_url(link_b, service)).context["form"]
    assert form["audiences"].value() == ["debt"]
    response = client.post(
        edit_url(link_b, service), {**VALID, "audiences": ["debt", "women"], "is_active": ""}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.is_active) == ("Offene Sprechstunde", False)
    entry = AuditEntry.objects.get(action="inka.service.updated")
    assert entry.site_id == world.site_b.pk
    assert entry.changes["audiences"] == [["debt"], ["debt", "women"]]
    assert entry.changes["is_active"] == [True, False]
    # Site A sees the change: the service is shared with the partner.
    html = login(world.user("reader")).get(link_a.get_absolute_url()).content.decode()
    assert "Offene Sprechstunde" in html and "kern-badge--warning" in html


def test_a_service_is_reached_only_through_a_link_to_its_own_partner(world, login):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    other = make_link(world.site_a, "Suchtberatung")
    service = make_service(other.partner, "Sprechstunde")
    client = login(world.user("caseworker"))
    assert client.get(edit_url(link, service)).status_code == 404
    assert client.post(edit_url(link, service), VALID).status_code == 404
    assert Service.objects.get().name == "Sprechstunde"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("reader", 403), ("steering", 403), ("coordinator", 403), ("dpo", 403), ("other_caseworker", 404)],
)
def test_only_writers_of_the_site_keep_services(world, login, persona, status):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    service = make_service(link.partner, "Sprechstunde")
    client = login(world.user(persona))
    assert client.get(create_url(link)).status_code == status
    assert client.post(create_url(link), VALID).status_code == status
    assert client.post(edit_url(link, service), VALID).status_code == status
    assert Service.objects.get().name == "Sprechstunde"
    assert not AuditEntry.objects.exists()


def test_anonymous_users_are_sent_to_the_login(world, client):
    link = make_link(world.site_a, "Schuldnerberatung der Diakonie")
    service = make_service(link.partner, "Sprechstunde")
    for url in [create_url(link), edit_url(link, service)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
