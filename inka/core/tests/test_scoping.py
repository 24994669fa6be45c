"""Site isolation guard tests (docs/site-isolation.md)."""

import pytest
from django.apps import apps
from django_scopes import ScopeError, scope

from inka.accounts.models import Membership
from inka.core.permissions import Role
from inka.core.scoping import NO_ACCESS, SiteAccess, site_access
from inka.programme.models import Site

# Models that are not owned by a site, each with the reason. Keep this list short.
UNSCOPED = {
    "accounts.User": "accounts exist across sites; visibility comes from memberships",
    "accounts.Membership": "read only by scoping.site_access() and the team selectors",
    "core.AuditEntry": "append-only log; selectors filter by site explicitly",
    "core.AccessLogEntry": "append-only log; selectors filter by site explicitly",
    "programme.Programme": "programme-wide settings",
    "programme.FundingRound": "programme-wide settings",
    "programme.District": "public reference data (the districts of Thuringia)",
    "programme.Carrier": "carrier organisations, shared by sites",
    "network.Partner": "partner institutions, shared by sites; each site's link (SitePartner) is scoped",
    "network.Service": "services of partner institutions, shared like the partners",
    "network.ServiceAudience": "part of a shared service",
    "network.ServiceLanguage": "part of a shared service",
    "network.SurveyInstrument": "programme-wide survey configuration",
    "network.SurveyDimension": "part of the survey configuration",
    "network.SurveyItem": "part of the survey configuration",
    "privacy.RetentionApproval": "programme-wide, ids only; read by the dpo's retention page and the run",
    "monitoring.FiguresSnapshot": "programme-wide aggregate numbers, no person; read by programme_published",
    "privacy.DeletionJournalEntry": "pseudonymous journal (model, id, rule); read by the retention run only",
}
INKA_MODELS = [model for model in apps.get_models() if model.__module__.startswith("inka.")]


def test_allow_list_names_existing_models():
    labels = {model._meta.label for model in INKA_MODELS}
    assert set(UNSCOPED) <= labels


@pytest.mark.parametrize(
    "model", [m for m in INKA_MODELS if m._meta.label not in UNSCOPED], ids=lambda m: m._meta.label
)
def test_every_site_owned_model_refuses_unscoped_queries(model, db):
    with scope(), pytest.raises(ScopeError):
        list(model.objects.all())


def test_scope_limits_sites_to_the_given_ids(world):
    with scope(site=[world.site_a.pk], social_site=[]):
        assert list(Site.objects.all()) == [world.site_a]
    with scope(site=[], social_site=[]):
        assert list(Site.objects.all()) == []


def test_site_roles_see_their_own_sites(world):
    access = site_access(world.user("caseworker"))
    assert access.visible_site_ids == [world.site_a.pk]
    assert access.social_site_ids == [world.site_a.pk]
    assert access.role_at(world.site_a.pk) == Role.CASEWORKER
    assert access.role_at(world.site_b.pk) is None


@pytest.mark.parametrize("persona", ["coordinator", "admin"])
def test_programme_roles_see_all_sites_but_no_person_level_data(world, persona):
    access = site_access(world.user(persona))
    assert access.visible_site_ids == sorted([world.site_a.pk, world.site_b.pk])
    assert access.social_site_ids == []


def test_dpo_reaches_person_level_data_of_all_sites(world):
    access = site_access(world.user("dpo"))
    assert access.social_site_ids == sorted([world.site_a.pk, world.site_b.pk])


def test_user_without_membership_sees_nothing(world):
    Membership.objects.filter(user=world.user("reader")).delete()
    access = site_access(world.user("reader"))
    assert access == SiteAccess(all_site_ids=())
    assert access.visible_site_ids == [] and access.social_site_ids == []


def test_inactive_user_sees_nothing(world):
    user = world.user("caseworker")
    user.is_active = False
    assert site_access(user) is NO_ACCESS


def test_role_change_takes_effect_on_the_next_request(world, login):
    client = login(world.user("site_lead"))
    team_url = f"/standorte/{world.site_a.pk}/team/"
    assert client.get(team_url).status_code == 200
    Membership.objects.filter(user=world.user("site_lead")).update(role=Role.CASEWORKER)
    assert client.get(team_url).status_code == 403
    Membership.objects.filter(user=world.user("site_lead")).update(site=world.site_b)
    assert client.get(team_url).status_code == 404


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Start"),
        ("/standorte/", "Standorte"),
        ("/protokolle/aenderungen/", "Protokolle"),
        ("/team/", "Team"),
    ],
)
def test_navigation_marks_the_best_fitting_entry(world, login, path, current):
    client = login(world.user("site_lead"))
    response = client.get(path, follow=True)
    items = response.context["nav_items"]
    assert [str(item["label"]) for item in items if item["current"]] == [current]
