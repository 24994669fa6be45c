from inka.network import selectors
from inka.network.models import PartnerKind


def names(rows):
    return [row.partner.name for row in rows]


def test_partner_list_shows_only_the_given_sites_ordered_by_name(world, make_link):
    make_link(world.site_a, "Wohnungsgesellschaft Altenburg mbH", kind=PartnerKind.HOUSING)
    make_link(world.site_a, "Agentur für Arbeit Altenburg-Gera", town="Gera")
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    assert names(selectors.partner_list(site_ids=[world.site_a.pk])) == [
        "Agentur für Arbeit Altenburg-Gera",
        "Wohnungsgesellschaft Altenburg mbH",
    ]
    assert names(selectors.partner_list(site_ids=[])) == []


def test_partner_list_searches_name_and_town_and_filters_by_kind(world, make_link):
    make_link(world.site_a, "Wohnungsgesellschaft Altenburg mbH", kind=PartnerKind.HOUSING)
    make_link(world.site_a, "Tafel e.V.", town="Schmölln", kind=PartnerKind.ASSOCIATION)
    site_ids = [world.site_a.pk]
    assert names(selectors.partner_list(site_ids=site_ids, q="wohnung")) == [
        "Wohnungsgesellschaft Altenburg mbH"
    ]
    assert names(selectors.partner_list(site_ids=site_ids, q=" Schmölln ")) == ["Tafel e.V."]
    assert names(selectors.partner_list(site_ids=site_ids, kind=PartnerKind.HOUSING)) == [
        "Wohnungsgesellschaft Altenburg mbH"
    ]
    assert names(selectors.partner_list(site_ids=site_ids, q="Tafel", kind=PartnerKind.HOUSING)) == []


def test_partner_list_across_sites_has_one_row_per_partner_with_its_sites(world, make_link):
    make_link(world.site_a, "Agentur für Arbeit Altenburg-Gera", town="Gera")
    make_link(world.site_b, "Agentur für Arbeit Altenburg-Gera", town="Gera")
    make_link(world.site_b, "Jobcenter Gera", town="Gera")
    partners = list(selectors.partner_list_across_sites(site_ids=[world.site_a.pk, world.site_b.pk]))
    assert [partner.name for partner in partners] == ["Agentur für Arbeit Altenburg-Gera", "Jobcenter Gera"]
    assert [link.site for link in partners[0].visible_links] == [world.site_a, world.site_b]
    only_a = list(selectors.partner_list_across_sites(site_ids=[world.site_a.pk]))
    assert [link.site for link in only_a[0].visible_links] == [world.site_a]
    assert len(only_a) == 1


def test_partner_choices_are_the_active_partners_on_the_sites_list(world, make_link):
    make_link(world.site_a, "Wohnungsgesellschaft Altenburg mbH", kind=PartnerKind.HOUSING)
    make_link(world.site_a, "Jobcenter Altenburger Land", kind=PartnerKind.JOBCENTER)
    make_link(world.site_a, "Alte Beratungsstelle", kind=PartnerKind.DEBT_COUNSELLING, is_active=False)
    make_link(world.site_a, "Agentur für Arbeit Altenburg-Gera", kind=PartnerKind.EMPLOYMENT_AGENCY)
    make_link(world.site_b, "Jobcenter Gera", town="Gera", kind=PartnerKind.JOBCENTER)
    choices = selectors.partner_choices(site_id=world.site_a.pk)
    # By kind (its stored value), then name.
    assert [partner.name for partner in choices] == [
        "Agentur für Arbeit Altenburg-Gera",
        "Wohnungsgesellschaft Altenburg mbH",
        "Jobcenter Altenburger Land",
    ]
    assert [partner.name for partner in selectors.partner_choices(site_id=world.site_b.pk)] == [
        "Jobcenter Gera"
    ]


def test_partner_get_for_site(world, make_link):
    link = make_link(world.site_a, "Jobcenter Altenburger Land")
    assert selectors.partner_get_for_site(site_id=world.site_a.pk, partner_id=link.partner_id) == link
    assert selectors.partner_get_for_site(site_id=world.site_b.pk, partner_id=link.partner_id) is None
