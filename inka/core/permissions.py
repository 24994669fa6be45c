"""Roles and the role checks views use after a scoped fetch (hidden → 404, not allowed → 403)."""

from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from inka.core.http import InkaRequest

if TYPE_CHECKING:
    from inka.programme.models import Site


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SITE_LEAD = "site_lead", _("Site lead")
    READER = "reader", _("Reader")
    STEERING = "steering", _("Steering group")
    COORDINATOR = "coordinator", _("Programme coordination")
    DPO = "dpo", _("Data protection officer")
    ADMIN = "admin", _("Technical administration")


SITE_ROLES = frozenset({Role.CASEWORKER, Role.SITE_LEAD, Role.READER, Role.STEERING})
PROGRAMME_ROLES = frozenset({Role.COORDINATOR, Role.DPO, Role.ADMIN})
# Roles that work with the site's own records (persons, cases, community and network work).
SITE_STAFF = (Role.CASEWORKER, Role.SITE_LEAD, Role.READER)
SITE_WRITERS = (Role.CASEWORKER, Role.SITE_LEAD)


def require_site_role(request: InkaRequest, site_id: int, *roles: str) -> None:
    """403 unless the user holds one of `roles` at the site (or one of the programme roles given)."""
    if not request.site_access.has_site_role(site_id, *roles):
        raise PermissionDenied


def require_current_site(request: InkaRequest, *roles: str) -> "Site":
    """The site the user works in now, if they hold one of `roles` there (403 otherwise)."""
    site_id = request.current_site_id
    if site_id is None:
        raise PermissionDenied
    require_site_role(request, site_id, *roles)
    return get_object_or_404(apps.get_model("programme", "Site"), pk=site_id)


def require_programme_role(request: InkaRequest, *roles: str) -> None:
    """403 unless the user holds one of the programme-wide `roles`."""
    if not request.site_access.has_programme_role(*roles):
        raise PermissionDenied


# Special categories of personal data (Art. 9 GDPR) are for the people who work on the case only.
SPECIAL_CATEGORY_ROLES = SITE_WRITERS
