"""The permission matrix, generated from the URL conf (SECURITY.md; deny by default).

Every named URL must have a row in POLICY, so a new view cannot ship without a declared policy.
Each row says what every persona gets for GET (and for POST where the view changes data), with
objects of site A: members of A get 200/403 by role, the caseworker of site B gets 404, anonymous
users are sent to the login.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS
from inka.accounts.models import Membership

Kwargs = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Policy:
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)
    kwargs: Kwargs = lambda world: {}


LOGIN = 302  # anonymous users are redirected to the login page


def site_a(w: Any) -> dict[str, Any]:
    return {"pk": w.site_a.pk}


def team_a(w: Any) -> dict[str, Any]:
    return {"site_pk": w.site_a.pk}


def member_a(w: Any) -> dict[str, Any]:
    membership = Membership.objects.get(user=w.user("caseworker"), site=w.site_a)
    return {"site_pk": w.site_a.pk, "pk": membership.pk}


EVERYONE = {"anonymous": LOGIN, "default": 200}
PUBLIC = {"default": 200}
POST_ONLY = {"anonymous": LOGIN, "default": 405}
# Objects of site A: members of A and the programme roles see them; site B gets 404.
SITE_A_VISIBLE = {"anonymous": LOGIN, "other_caseworker": 404, "default": 200}
REGISTRY = {"anonymous": LOGIN, "other_caseworker": 404, "coordinator": 200, "admin": 200, "default": 403}
TEAM_A = {"anonymous": LOGIN, "other_caseworker": 404, "site_lead": 200, "admin": 200, "default": 403}
LOGS = {"anonymous": LOGIN, "site_lead": 200, "dpo": 200, "default": 403}

POLICY: dict[str, Policy] = {
    "start": Policy(get=EVERYONE),
    # Account pages
    "accounts:login": Policy(get={"anonymous": 200, "default": 302}),
    "accounts:logout": Policy(get={"anonymous": LOGIN, "default": 405}, post={"default": 302}),
    "accounts:password_change": Policy(get=EVERYONE, post={"anonymous": LOGIN, "default": 200}),
    "accounts:password_change_done": Policy(get=EVERYONE),
    "accounts:password_reset": Policy(get=PUBLIC),
    "accounts:password_reset_done": Policy(get=PUBLIC),
    "accounts:password_reset_confirm": Policy(
        get=PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Policy(get=PUBLIC),
    "accounts:site_switch": Policy(get=POST_ONLY),
    "accounts:my_team": Policy(get={"anonymous": LOGIN, "site_lead": 302, "default": 403}),
    "accounts:team": Policy(get=TEAM_A, kwargs=team_a),
    "accounts:member_invite": Policy(
        get=POST_ONLY, post={**TEAM_A, "site_lead": 400, "admin": 400}, kwargs=team_a
    ),
    "accounts:member_edit": Policy(
        get=TEAM_A, post={**TEAM_A, "site_lead": 400, "admin": 400}, kwargs=member_a
    ),
    "accounts:member_reinvite": Policy(
        get=POST_ONLY, post={**TEAM_A, "site_lead": 302, "admin": 302}, kwargs=member_a
    ),
    "accounts:user_list": Policy(get={"anonymous": LOGIN, "admin": 200, "default": 403}),
    "accounts:user_toggle_active": Policy(
        get=POST_ONLY,
        post={"anonymous": LOGIN, "admin": 302, "default": 403},
        kwargs=lambda w: {"pk": w.user("reader").pk},
    ),
    # Site registry
    "programme:site_list": Policy(get=EVERYONE),
    "programme:site_create": Policy(
        get={"anonymous": LOGIN, "coordinator": 200, "admin": 200, "default": 403},
        post={"anonymous": LOGIN, "coordinator": 400, "admin": 400, "default": 403},
    ),
    "programme:site_detail": Policy(get=SITE_A_VISIBLE, kwargs=site_a),
    "programme:site_edit": Policy(
        get=REGISTRY, post={**REGISTRY, "coordinator": 400, "admin": 400}, kwargs=site_a
    ),
    "programme:site_period_create": Policy(
        get=REGISTRY, post={**REGISTRY, "coordinator": 400, "admin": 400}, kwargs=site_a
    ),
    "programme:site_public": Policy(get=PUBLIC, kwargs=lambda w: {"code": w.site_a.code}),
    # Logs
    "core:access_log": Policy(get=LOGS),
    "core:audit_log": Policy(get=LOGS),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_declared_policy():
    assert url_names() - set(POLICY) == set(), "declare a policy for these URLs"
    assert set(POLICY) - url_names() == set(), "these policies name URLs that no longer exist"


def expected(table: dict[str, int], persona: str) -> int:
    return table.get(persona, table.get("default", 0))


CASES = [(name, persona) for name in sorted(POLICY) for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), CASES)
def test_get(url_name, persona, world, login):
    policy = POLICY[url_name]
    client = login(world.user(persona))
    response = client.get(reverse(url_name, kwargs=policy.kwargs(world)))
    assert response.status_code == expected(policy.get, persona)
    if response.status_code == LOGIN and persona == "anonymous" and url_name != "accounts:logout":
        assert response["Location"].startswith(reverse("accounts:login"))


POST_CASES = [(name, persona) for name in sorted(POLICY) if POLICY[name].post for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), POST_CASES)
def test_post_with_empty_form(url_name, persona, world, login):
    policy = POLICY[url_name]
    client = login(world.user(persona))
    response = client.post(reverse(url_name, kwargs=policy.kwargs(world)), {})
    assert response.status_code == expected(policy.post, persona)
