"""The site dashboard's pages: who reaches what, what each audience sees, the exports, query caps."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from inka.cases.tests.factories import make_case, make_contact
from inka.monitoring.catalogue import indicators
from inka.monitoring.quality import CHECKS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # published figures are cached by content; each test counts afresh


def dashboard(world) -> str:
    return reverse("monitoring:site_dashboard", args=[world.site_a.pk])


def test_home_leads_each_role_to_its_dashboard(world, login):
    for persona in ("caseworker", "reader", "steering"):
        response = login(world.user(persona)).get(reverse("monitoring:home"))
        assert response.status_code == 302 and response.url == dashboard(world), persona
    coordinator = login(world.user("coordinator"))
    assert coordinator.get(reverse("monitoring:home")).url == reverse("monitoring:programme_dashboard")
    # The site switcher on a dashboard sends the chosen site to the entry page.
    chosen = coordinator.get(reverse("monitoring:home"), {"site": world.site_b.pk})
    assert chosen.url == reverse("monitoring:site_dashboard", args=[world.site_b.pk])
    for persona in ("dpo", "admin"):
        assert login(world.user(persona)).get(reverse("monitoring:home")).status_code == 403
    anonymous = login(None).get(reverse("monitoring:home"))
    assert anonymous.status_code == 302 and "/anmelden/" in anonymous.url


def test_the_team_sees_months_and_the_steering_group_does_not(world, login):
    team = login(world.user("caseworker")).get(dashboard(world))
    assert team.status_code == 200
    assert not team.context["outside"] and not team.context["sites"]
    assert team.context["document"].filename.startswith("kennzahlen-nord-")
    outside = login(world.user("steering")).get(dashboard(world))
    assert outside.status_code == 200 and outside.context["outside"]
    # The key figures and each section's table: the team has one column more, this month's.
    for index in (0, 1):
        team_table = team.context["document"].sections[index].blocks[0]
        outside_table = outside.context["document"].sections[index].blocks[0]
        assert outside_table.columns == team_table.columns[1:]
    assert _("Figures below %(k)s are hidden") % {"k": 3} in outside.content.decode()
    assert _("Figures below %(k)s are hidden") % {"k": 3} not in team.content.decode()


def test_the_coordinator_gets_a_site_switcher(world, login):
    response = login(world.user("coordinator")).get(dashboard(world))
    assert response.status_code == 200
    assert [site.code for site in response.context["sites"]] == ["NORD", "SUED"]
    html = response.content.decode()
    assert 'name="site"' in html and f'action="{reverse("monitoring:home")}"' in html


def test_other_sites_staff_get_404_and_programme_roles_without_figures_403(world, login):
    assert login(world.user("other_caseworker")).get(dashboard(world)).status_code == 404
    for persona in ("dpo", "admin"):
        assert login(world.user(persona)).get(dashboard(world)).status_code == 403
    export = reverse("monitoring:site_dashboard_export", args=[world.site_a.pk, "csv"])
    assert login(world.user("other_caseworker")).get(export).status_code == 404
    assert login(world.user("dpo")).get(export).status_code == 403


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_exports_have_the_right_content_type(world, login, fmt, content_type):
    response = login(world.user("site_lead")).get(
        reverse("monitoring:site_dashboard_export", args=[world.site_a.pk, fmt])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "kennzahlen-nord-" in response["Content-Disposition"]


def test_an_unknown_export_format_is_404(world, login):
    url = reverse("monitoring:site_dashboard_export", args=[world.site_a.pk, "docx"])
    assert login(world.user("site_lead")).get(url).status_code == 404


def test_the_catalogue_has_an_entry_for_every_indicator(world, login):
    for persona in ("caseworker", "steering", "coordinator", "other_caseworker"):
        response = login(world.user(persona)).get(reverse("monitoring:catalogue"))
        assert response.status_code == 200, persona
    html = response.content.decode()
    for item in indicators():
        assert f'id="{item.code.replace(".", "-")}"' in html
    assert str(next(check.label for check in CHECKS if check.key == "stale_cases")) in html
    for persona in ("dpo", "admin"):
        assert login(world.user(persona)).get(reverse("monitoring:catalogue")).status_code == 403


def test_the_team_sees_its_quality_checks_and_the_coordinator_all_sites(world, login):
    caseworker = world.user("caseworker")
    case = make_case(world.site_a, caseworker, opened_on=date(2020, 1, 1))  # no contact for years
    team = login(caseworker).get(reverse("monitoring:quality"))
    assert team.status_code == 200
    stale = next(entry for entry in team.context["entries"] if entry["check"].key == "stale_cases")
    result = stale["result"]
    assert (result.incomplete, result.total, result.flagged) == (1, 1, True)
    assert str(stale["check"].label) in team.content.decode()
    coordinator = login(world.user("coordinator")).get(reverse("monitoring:quality"))
    assert coordinator.status_code == 200
    rows = coordinator.context["rows"]
    assert [site.code for site, _results in rows] == ["NORD", "SUED"]
    assert rows[0][1][0].flagged and not rows[1][1][0].flagged
    assert case.person.last_name not in coordinator.content.decode()  # shares only, no person
    for persona in ("steering", "dpo", "admin"):
        assert login(world.user(persona)).get(reverse("monitoring:quality")).status_code == 403


def test_a_flagged_site_shows_a_notice_naming_the_indicators(world, login):
    make_case(world.site_a, world.user("caseworker"), opened_on=date(2020, 1, 1))
    response = login(world.user("steering")).get(dashboard(world))
    flagged = response.context["flagged"]
    assert [str(notice["label"]) for notice in flagged] == [
        str(next(check.label for check in CHECKS if check.key == "stale_cases"))
    ]
    names = [str(item.name) for item in indicators() if item.quality == "stale_cases"]
    assert [str(name) for name in flagged[0]["names"]] == names
    assert names[0] in response.content.decode()


@pytest.mark.parametrize("persona", ["caseworker", "steering", "coordinator"])
def test_the_dashboard_page_has_a_query_cap(world, login, persona, django_assert_max_num_queries):
    caseworker = world.user("caseworker")
    for index in range(20):
        make_contact(world.site_a, caseworker, occurred_on=date(2025, 1 + index % 12, 10))
    client = login(world.user(persona))
    with django_assert_max_num_queries(130):
        assert client.get(dashboard(world)).status_code == 200
