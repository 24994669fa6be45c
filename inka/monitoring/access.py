"""Who sees which figures: the site's own team exactly, everyone else after suppression."""

from enum import StrEnum

from inka.core.permissions import SITE_STAFF, Role
from inka.core.scoping import SiteAccess

# Roles that may see a site's figures, and who outside the team sees them (SECURITY.md matrix).
SITE_FIGURE_ROLES = (*SITE_STAFF, Role.STEERING, Role.COORDINATOR)


class Audience(StrEnum):
    TEAM = "team"  # exact figures, months included
    OUTSIDE = "outside"  # steering group and programme coordination: suppressed, no person-level data


def audience_at(access: SiteAccess, site_id: int) -> Audience | None:
    """How the user sees the site's figures; None when they may not see them at all."""
    role = access.role_at(site_id)
    if role in SITE_STAFF:
        return Audience.TEAM
    if role == Role.STEERING or access.has_programme_role(Role.COORDINATOR):
        return Audience.OUTSIDE
    return None
