"""The network picture: the figures of a hand-built network, suppression, the drawing and the page."""

from dataclasses import replace
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from defusedxml import ElementTree
from django.urls import reverse

from inka.cases.models import Referral
from inka.cases.tests.factories import make_case
from inka.community.models import Project, ProjectStatus
from inka.network.models import Agreement, NetworkActivity, Partner, PartnerKind, SitePartner
from inka.network.picture import (
    GrowthYear,
    NetworkYear,
    PartnerYear,
    Tie,
    network_year,
    suppress_referrals,
    year_choices,
)
from inka.network.picture_svg import MAX_NODE_RADIUS, growth_chart, network_drawing, short_lines

URL = reverse("network:network_picture")
SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 11, 1)


def link(site: Any, name: str, kind: str, since: date | None) -> Partner:
    partner = Partner.objects.get_or_create(name=name, defaults={"kind": kind})[0]
    SitePartner.objects.create(site=site, partner=partner, since=since)
    return partner


def refer(case: Any, partner: Partner, sent_on: date, times: int = 1, **fields: Any) -> None:
    for _ in range(times):
        Referral.objects.create(
            case=case, partner=partner, purpose="Beratung", consent_override_reason="Notlage",
            sent_on=sent_on, created_by=case.caseworker, **fields,
        )  # fmt: skip


def project(
    site: Any, user: Any, partners: list[Partner], starts_on: date, ends_on: date | None, **fields: Any
):
    made = Project.objects.create(
        site=site,
        title="Projekt",
        kind="festival",
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
        **fields,
    )
    made.partners.set(partners)
    return made


def activity(site: Any, partners: list[Partner], held_on: date) -> NetworkActivity:
    made = NetworkActivity.objects.create(site=site, kind="meeting", title="Netzwerktreffen", held_on=held_on)
    made.partners.set(partners)
    return made


def agreement(site: Any, partner: Partner, title: str, starts_on: date, ends_on: date | None) -> Agreement:
    return Agreement.objects.create(
        site=site, partner=partner, kind="cooperation", title=title, signed_on=starts_on,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip


@pytest.fixture
def net(world):
    """Site A's network, figures hand-computed for 2025 in the tests (today: 1 November 2025)."""
    a, b, user = world.site_a, world.site_b, world.user("caseworker")
    jc = link(a, "Jobcenter Altenburger Land", PartnerKind.JOBCENTER, date(2020, 5, 1))
    aa = link(a, "Agentur für Arbeit Altenburg-Gera", PartnerKind.EMPLOYMENT_AGENCY, None)
    sb = link(a, "Schuldnerberatung der Diakonie", PartnerKind.DEBT_COUNSELLING, date(2025, 3, 1))
    su = link(a, "Suchtberatung der Caritas", PartnerKind.ADDICTION_COUNSELLING, date(2024, 2, 1))
    ve = link(a, "Stadtteilverein Nord", PartnerKind.ASSOCIATION, date(2026, 1, 15))
    ki = link(a, "Kirchgemeinde Altenburg", PartnerKind.CHURCH, date(2023, 1, 1))
    SitePartner.objects.create(site=b, partner=jc)

    case = make_case(a, user)
    refer(case, jc, date(2025, 2, 3), times=5)
    refer(case, jc, date(2024, 6, 1))
    refer(case, sb, date(2025, 4, 1), times=2)
    refer(case, su, date(2025, 5, 1))
    refer(case, su, date(2025, 5, 2), status=Referral.Status.WITHDRAWN)
    refer(make_case(b, world.user("other_caseworker")), jc, date(2025, 2, 3), times=4)

    project(a, user, [jc, sb, ve], date(2025, 1, 1), date(2025, 6, 30))
    project(a, user, [sb, su], date(2024, 3, 1), None)
    project(a, user, [jc, su], date(2023, 1, 1), date(2023, 12, 31))
    project(a, user, [jc, aa], date(2025, 2, 1), None, status=ProjectStatus.CANCELLED)
    project(b, world.user("other_caseworker"), [jc], date(2025, 1, 1), None)

    activity(a, [jc, aa, su], date(2025, 4, 10))
    activity(a, [jc], date(2024, 11, 11))
    activity(a, [jc, sb], date(2025, 9, 1))
    activity(b, [jc], date(2025, 9, 1))

    agreement(a, jc, "Kooperation Jobcenter", date(2022, 1, 1), date(2025, 12, 31))
    agreement(a, aa, "Kooperation Agentur", date(2023, 1, 1), date(2024, 12, 31))
    agreement(a, su, "Kooperation Suchtberatung", date(2025, 6, 1), None)
    old = agreement(a, sb, "Kooperation Schuldnerberatung", date(2024, 1, 1), date(2025, 11, 20))
    old.renewed_by = agreement(a, sb, "Kooperation Schuldnerberatung (neu)", date(2025, 11, 21), None)
    old.save()
    agreement(b, jc, "Kooperation Gera", date(2025, 1, 1), date(2025, 12, 1))
    return SimpleNamespace(jc=jc, aa=aa, sb=sb, su=su, ve=ve, ki=ki)


def figures(network):
    return {
        p.name: (p.referrals, p.projects, p.activities, p.agreement, p.activity) for p in network.partners
    }


# The figures


def test_counts_per_partner_in_a_year(world, net):
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    assert figures(network) == {
        "Jobcenter Altenburger Land": (5, 1, 2, True, 9),
        "Agentur für Arbeit Altenburg-Gera": (0, 0, 1, False, 1),
        "Schuldnerberatung der Diakonie": (2, 2, 1, True, 6),
        "Suchtberatung der Caritas": (1, 1, 1, True, 4),
        "Kirchgemeinde Altenburg": (0, 0, 0, False, 0),
    }
    # By kind (in the order of PartnerKind), then by name; the association joins only in 2026.
    assert [p.kind for p in network.partners] == [
        "jobcenter", "employment_agency", "debt_counselling", "addiction_counselling", "church",
    ]  # fmt: skip
    assert network.active_partners == 4
    assert network.new_partners == 1
    assert [p.name for p in network.partners if p.is_new] == ["Schuldnerberatung der Diakonie"]
    assert network.referrals_total == 8
    assert [(row.kind, row.partners, row.referrals) for row in network.kinds] == [
        ("jobcenter", 1, 5), ("employment_agency", 1, 0), ("debt_counselling", 1, 2),
        ("addiction_counselling", 1, 1), ("church", 1, 0),
    ]  # fmt: skip


def test_ties_join_partners_of_the_same_project_or_activity(world, net):
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    pair = sorted
    assert {tuple(pair((tie.first, tie.second))): tie.count for tie in network.ties} == {
        tuple(pair((net.jc.pk, net.sb.pk))): 2,  # the first project and the September meeting
        tuple(pair((net.sb.pk, net.su.pk))): 1,
        tuple(pair((net.jc.pk, net.aa.pk))): 1,
        tuple(pair((net.jc.pk, net.su.pk))): 1,
        tuple(pair((net.aa.pk, net.su.pk))): 1,
    }
    assert all(isinstance(tie, Tie) and tie.first < tie.second for tie in network.ties)


def test_agreements_due_in_the_next_ninety_days_unless_renewed(world, net):
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    assert [(due.title, due.ends_on) for due in network.agreements_due] == [
        ("Kooperation Jobcenter", date(2025, 12, 31))
    ]
    assert network.due_until == date(2026, 1, 30)


def test_a_past_year_has_its_own_partners_figures_and_agreements(world, net):
    network = network_year(site_id=world.site_a.pk, year=2024, today=TODAY)
    assert figures(network) == {
        "Jobcenter Altenburger Land": (1, 0, 1, True, 3),
        "Agentur für Arbeit Altenburg-Gera": (0, 0, 0, True, 1),
        "Suchtberatung der Caritas": (0, 1, 0, False, 1),
        "Kirchgemeinde Altenburg": (0, 0, 0, False, 0),
    }
    assert network.active_partners == 3
    assert network.new_partners == 1
    # For a past year: the agreements that ended in it, renewed or not.
    assert [due.title for due in network.agreements_due] == ["Kooperation Agentur"]
    assert network.due_until is None


def test_growth_counts_the_list_at_the_end_of_each_year(world, net):
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    assert network.growth == (
        GrowthYear(2020, existing=1, new=1),
        GrowthYear(2021, existing=2, new=0),
        GrowthYear(2022, existing=2, new=0),
        GrowthYear(2023, existing=2, new=1),
        GrowthYear(2024, existing=3, new=1),
        GrowthYear(2025, existing=4, new=1),
    )


def test_an_empty_site_has_an_empty_picture(world):
    network = network_year(site_id=world.site_b.pk, year=2025, today=TODAY)
    assert network.partners == () and network.kinds == () and network.active_partners == 0
    drawing = network_drawing(suppress_referrals(network, k=3))
    assert drawing.nodes == () and drawing.edges == ()


def test_year_choices_run_from_the_site_start_but_not_before_2024():
    assert year_choices(date(2013, 3, 1), today=TODAY) == [2025, 2024]
    assert year_choices(date(2025, 7, 1), today=TODAY) == [2025]
    assert year_choices(None, today=date(2026, 1, 2)) == [2026, 2025, 2024]


# Suppression


def test_suppression_hides_small_referral_numbers_and_what_gives_them_away(world, net):
    network = suppress_referrals(network_year(site_id=world.site_a.pk, year=2025, today=TODAY), k=3)
    assert network.suppressed
    assert [(row.kind, row.referrals) for row in network.kinds] == [
        ("jobcenter", 5), ("employment_agency", None), ("debt_counselling", None),
        ("addiction_counselling", None), ("church", None),
    ]  # fmt: skip
    assert network.referrals_total == 8
    assert {p.name: p.referrals for p in network.partners} == {
        "Jobcenter Altenburger Land": 5,
        "Agentur für Arbeit Altenburg-Gera": None,
        "Schuldnerberatung der Diakonie": None,
        "Suchtberatung der Caritas": None,
        "Kirchgemeinde Altenburg": None,
    }
    # Hidden referrals neither size a node nor draw a line.
    assert {p.name: p.activity for p in network.partners}["Schuldnerberatung der Diakonie"] == 4
    drawing = network_drawing(network)
    referral_edges = [edge for edge in drawing.edges if edge.kind == "referral"]
    assert len(referral_edges) == 1


def test_partners_of_a_shown_kind_are_suppressed_as_a_line(world, net):
    second = link(world.site_a, "Jobcenter Außenstelle Schmölln", PartnerKind.JOBCENTER, None)
    refer(make_case(world.site_a, world.user("caseworker")), second, date(2025, 3, 3), times=1)
    network = suppress_referrals(network_year(site_id=world.site_a.pk, year=2025, today=TODAY), k=3)
    # Jobcenters: 5 + 1 = 6 shown; the 1 is hidden, and so is the 5 that would give it away.
    assert network.kinds[0].referrals == 6
    assert [p.referrals for p in network.partners if p.kind == "jobcenter"] == [None, None]


# The drawing


def parse(svg_text: str):
    return ElementTree.fromstring(svg_text)


def test_drawing_has_a_node_per_partner_and_edges_by_type(world, net):
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    drawing = network_drawing(network)
    assert len(drawing.nodes) == 5
    kinds = [edge.kind for edge in drawing.edges]
    assert kinds.count("referral") == 3  # Jobcenter, debt and addiction counselling
    assert kinds.count("joint") == 4  # everyone active but the church
    assert kinds.count("agreement") == 3
    assert len(drawing.ties) == 5
    by_name = {node.partner.name: node for node in drawing.nodes}
    assert by_name["Kirchgemeinde Altenburg"].r < by_name["Agentur für Arbeit Altenburg-Gera"].r
    assert by_name["Agentur für Arbeit Altenburg-Gera"].r < by_name["Jobcenter Altenburger Land"].r
    assert not by_name["Kirchgemeinde Altenburg"].active
    # Few partners: every one gets a label on a wide screen.
    assert len(drawing.labels) == 5


@pytest.mark.parametrize("count", [15, 40, 60])
def test_layout_keeps_nodes_apart_and_numbers_every_node(world, count):
    kinds = list(PartnerKind.values)
    for index in range(count):
        link(world.site_a, f"Partner Nummer {index:02d} mit langem Namen", kinds[index % len(kinds)], None)
    network = network_year(site_id=world.site_a.pk, year=2025, today=TODAY)
    partners = tuple(
        replace(partner, referrals=index % 7, projects=index % 3)
        for index, partner in enumerate(network.partners)
    )
    drawing = network_drawing(replace(network, partners=partners))
    nodes = drawing.nodes
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 > (a.r + b.r) ** 2, (a.partner.name, b.partner.name)
    # Names for as many nodes as fit on wide screens; a number for every node on phones.
    assert len(drawing.labels) >= min(count, 12)
    assert sorted(int(label.lines[0]) for label in drawing.narrow_labels) == list(range(1, count + 1))


def test_short_lines_balance_two_lines_and_cut_after_words():
    assert short_lines("Jobcenter Altenburger Land", chars=22) == ("Jobcenter", "Altenburger Land")
    assert short_lines("Tafel Altenburg e.V.", chars=22) == ("Tafel Altenburg e.V.",)
    assert short_lines("Schuldner- und Insolvenzberatung der Diakonie Altenburg", chars=22) == (
        "Schuldner- und",
        "Insolvenzberatung…",
    )
    assert short_lines("Wohnungsbaugenossenschaftsverwaltung", chars=13) == ("Wohnungsbaug…",)


def test_growth_chart_stacks_new_on_existing():
    chart = growth_chart([GrowthYear(2024, 10, 2), GrowthYear(2025, 12, 3)], selected=2025)
    first, second = chart.bars
    assert second.selected and not first.selected
    assert second.existing_y + second.existing_height == chart.baseline
    assert second.new_y + second.new_height == pytest.approx(second.existing_y)
    assert second.existing_height > first.existing_height
    assert [tick.value for tick in chart.ticks] == [0, 5, 10, 15]


# The page


@pytest.fixture
def today():
    with time_machine.travel(date(2025, 11, 1), tick=False):
        yield


def page(login, user, **query):
    return login(user).get(URL, query)


def svgs(html: str) -> list[Any]:
    """The <svg> elements of the page, each parsed on its own (well-formed XML or an error)."""
    parts = []
    while "<svg" in html:
        start = html.index("<svg")
        end = html.index("</svg>", start) + len("</svg>")
        parts.append(parse(html[start:end]))
        html = html[end:]
    return parts


def test_caseworker_sees_the_full_picture_of_the_current_site(world, net, login, today):
    response = page(login, world.user("caseworker"))
    assert response.status_code == 200
    html = response.content.decode()
    pictures = [svg for svg in svgs(html) if "np-graph" in svg.get("class", "")]
    assert len(pictures) == 2  # wide and narrow
    for svg in pictures:
        assert svg.get("role") == "img"
        ids = svg.get("aria-labelledby").split()
        assert {element.get("id") for element in svg.iter() if element.get("id")} >= set(ids)
        nodes = [g for g in svg.iter(f"{SVG}g") if "np-node" in g.get("class", "").split()]
        assert len(nodes) == 5
        classes = [path.get("class") for path in svg.iter(f"{SVG}path")]
        assert classes.count("np-edge np-edge--referral") == 3
        assert classes.count("np-edge np-edge--joint") == 4
        assert classes.count("np-edge np-edge--agreement") == 3
        assert classes.count("np-tie") == 5
    assert "Stadtteilverein Nord" not in html  # on the list from 2026 only
    assert "Kooperation Jobcenter" in html  # due
    assert response.context["network"].suppressed is False
    assert response.context["network"].kinds[2].referrals == 2


def test_steering_sees_its_own_site_without_small_numbers(world, net, login, today):
    response = page(login, world.user("steering"))
    assert response.status_code == 200
    network = response.context["network"]
    assert network.site_id == world.site_a.pk and network.suppressed
    html = response.content.decode()
    debt_row = html[html.index(">Schuldnerberatung</th>") :].split("</tr>")[0]  # referrals by kind
    assert "2" not in debt_row.replace("ausgeblendet", "")
    assert "ausgeblendet" in debt_row
    titles = [
        title.text
        for svg in svgs(html)
        for title in svg.iter(f"{SVG}title")
        if title.text and "Schuldnerberatung der Diakonie" in title.text
    ]
    assert len(titles) == 2  # wide and narrow picture
    for title in titles:
        referrals = title.split("–")[1].split("·")[0]
        assert "ausgeblendet" in referrals and "2" not in referrals


def test_coordinator_chooses_a_site(world, net, login, today):
    response = page(login, world.user("coordinator"), site=world.site_a.pk, year=2025)
    assert response.status_code == 200
    assert response.context["site"] == world.site_a
    assert response.context["network"].suppressed
    first = page(login, world.user("coordinator"))  # the first site by code: NORD
    assert first.context["site"] == world.site_a
    assert page(login, world.user("coordinator"), site=world.site_b.pk).context["site"] == world.site_b


def test_other_sites_caseworker_sees_their_own_site(world, net, login, today):
    response = page(login, world.user("other_caseworker"), site=world.site_a.pk)
    assert response.status_code == 200
    assert response.context["site"] == world.site_b
    assert "Suchtberatung der Caritas" not in response.content.decode()


def test_permissions(world, login, today):
    assert page(login, None).status_code == 302
    assert page(login, world.user("dpo")).status_code == 403
    assert page(login, world.user("reader")).status_code == 200


def test_bad_year_or_site_is_refused(world, login, today):
    assert page(login, world.user("caseworker"), year=2019).status_code == 400
    assert page(login, world.user("caseworker"), year="x").status_code == 400
    assert page(login, world.user("coordinator"), site=999999).status_code == 400


def test_past_year_from_the_selector(world, net, login, today):
    response = page(login, world.user("caseworker"), year=2024)
    assert response.status_code == 200
    assert response.context["network"].year == 2024
    assert response.context["network"].due_until is None  # what ended in 2024, not what is due now
    assert "Kooperation Agentur" in response.content.decode()


CAP = 16


@pytest.mark.parametrize("persona", ["caseworker", "steering", "coordinator"])
def test_queries_do_not_grow_with_the_network(world, login, today, django_assert_max_num_queries, persona):
    user = world.user(persona)

    def grow(total: int) -> None:
        case = make_case(world.site_a, world.user("caseworker"))
        kinds = list(PartnerKind.values)
        partners = [
            link(
                world.site_a, f"Partner {index:02d}", kinds[index % len(kinds)], date(2020 + index % 6, 1, 1)
            )
            for index in range(SitePartner.objects.filter(site=world.site_a).count(), total)
        ]
        for index, partner in enumerate(partners):
            refer(case, partner, date(2025, 3, 1), times=index % 4)
            agreement(
                world.site_a, partner, f"Vereinbarung {partner.pk}", date(2024, 1, 1), date(2025, 12, 1)
            )
        project(world.site_a, world.user("caseworker"), partners, date(2025, 1, 1), None)
        activity(world.site_a, partners, date(2025, 5, 1))

    client = login(user)
    grow(1)
    with django_assert_max_num_queries(CAP):
        assert client.get(URL).status_code == 200
    grow(50)
    with django_assert_max_num_queries(CAP):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["network"].partners) == 50


def test_a_lone_partner_is_drawn_full_size_with_its_name():
    partner = PartnerYear(1, 1, "Jobcenter Gera", "jobcenter", None, False, 3, 0, 0, False)
    network = NetworkYear(1, 2025, (partner,), (), (), 3, (), None, ())
    drawing = network_drawing(network)
    assert [node.r for node in drawing.nodes] == [MAX_NODE_RADIUS]
    assert [label.lines for label in drawing.labels] == [("Jobcenter Gera",)]
    assert drawing.sectors == ()  # the node carries the kind's letters itself
