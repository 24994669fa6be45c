"""What a user may do with the case work of one site: read, write, see special categories."""

from dataclasses import dataclass

from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, SPECIAL_CATEGORY_ROLES, require_site_role


@dataclass(frozen=True)
class CaseAccess:
    site_id: int
    can_write: bool
    can_see_special: bool


def case_access(request: InkaRequest, site_id: int) -> CaseAccess:
    """403 unless the user works at the site (caseworker, site lead or reader)."""
    require_site_role(request, site_id, *SITE_STAFF)
    role = request.site_access.role_at(site_id)
    return CaseAccess(site_id, role in SITE_WRITERS, role in SPECIAL_CATEGORY_ROLES)


def require_case_writer(request: InkaRequest, site_id: int) -> CaseAccess:
    """403 unless the user may change the site's case work."""
    require_site_role(request, site_id, *SITE_WRITERS)
    return case_access(request, site_id)
