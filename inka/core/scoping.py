"""Site isolation, in one place (docs/site-isolation.md).

* `site_access(user)` is the only code that reads memberships to decide what a user may see.
* `SiteScopeMiddleware` runs every request inside `scope(...)` with the user's site ids.
* `site_scoped(path)` is the manager every site-owned model declares; a query outside a scope raises.

Two scope dimensions: `site` for site-level records (the registry, community, network, steering),
`social_site` for person-level social data. Programme roles see every site at the site level, but
person-level data only where a membership (or, for the data protection officer, the law) allows it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_scopes import ScopedManager, scope, scopes_disabled

from inka.core.permissions import PROGRAMME_ROLES, Role

SITE = "site"
SOCIAL = "social_site"


def site_scoped(path: str = "site", *, social: bool = False, manager: type = models.Manager) -> Any:
    """Manager that refuses queries outside a scope; `path` leads from the model to its site."""
    return ScopedManager(_manager_class=manager, **{SOCIAL if social else SITE: path})


@dataclass(frozen=True)
class SiteAccess:
    """What one user may see: their role per site and their programme-wide roles."""

    site_roles: dict[int, str] = field(default_factory=dict)
    programme_roles: frozenset[str] = frozenset()
    all_site_ids: tuple[int, ...] = ()

    @property
    def visible_site_ids(self) -> list[int]:
        if self.programme_roles:
            return list(self.all_site_ids)
        return sorted(self.site_roles)

    @property
    def social_site_ids(self) -> list[int]:
        if Role.DPO in self.programme_roles:
            return list(self.all_site_ids)
        return sorted(self.site_roles)

    def role_at(self, site_id: int) -> str | None:
        return self.site_roles.get(site_id)

    def has_site_role(self, site_id: int, *roles: str) -> bool:
        return self.site_roles.get(site_id) in roles or bool(self.programme_roles & set(roles))

    def has_programme_role(self, *roles: str) -> bool:
        return bool(self.programme_roles & set(roles))

    def has_any_role(self, *roles: str) -> bool:
        return bool(set(self.site_roles.values()) & set(roles)) or self.has_programme_role(*roles)

    def sites_with_role(self, *roles: str) -> list[int]:
        return sorted(site_id for site_id, role in self.site_roles.items() if role in roles)


NO_ACCESS = SiteAccess()


def site_access(user: Any) -> SiteAccess:
    """Sites and roles of `user`; empty for anonymous or inactive users (fails closed)."""
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    membership_model = apps.get_model("accounts", "Membership")
    site_model = apps.get_model("programme", "Site")
    site_roles: dict[int, str] = {}
    programme_roles: set[str] = set()
    for site_id, role in membership_model.objects.filter(user=user).values_list("site_id", "role"):
        if role in PROGRAMME_ROLES:
            programme_roles.add(role)
        elif site_id is not None:
            site_roles[site_id] = role
    all_site_ids: tuple[int, ...] = ()
    if programme_roles:
        # The site list itself is scoped; this is the one place that reads it unscoped.
        with scopes_disabled():
            all_site_ids = tuple(site_model.objects.order_by("pk").values_list("pk", flat=True))
    return SiteAccess(site_roles, frozenset(programme_roles), all_site_ids)


CURRENT_SITE_SESSION_KEY = "inka.current_site"


def current_site_id(request: HttpRequest, access: SiteAccess) -> int | None:
    """The site a member works in now: their choice in the site switcher, else their first site."""
    chosen = request.session.get(CURRENT_SITE_SESSION_KEY) if hasattr(request, "session") else None
    if chosen in access.site_roles:
        return int(chosen)
    return min(access.site_roles) if access.site_roles else None


class SiteScopeMiddleware:
    """Runs the view, and renders its template response, inside the user's scope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = site_access(request.user)
        request.site_access = access  # type: ignore[attr-defined]
        request.current_site_id = current_site_id(request, access)  # type: ignore[attr-defined]
        with scope(**{SITE: access.visible_site_ids, SOCIAL: access.social_site_ids}):
            response = self.get_response(request)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
        return response
