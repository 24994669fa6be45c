"""Who may do what with data-subject rights, and the refusal of restricted records (Art. 18 GDPR).

A restricted person is refused on every page of the team with a page of its own (403, no content):
`refuse_if_restricted` raises `ProcessingRestricted`, and the 403 template shows the notice when the
exception carries `RESTRICTED`.
"""

from django.core.exceptions import PermissionDenied

from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS, Role

RESTRICTED = "inka.privacy.restricted"
# Matrix row "data-subject export of a person": caseworkers register requests, site leads and the
# data protection officer run the export.
REGISTER_ROLES = SITE_WRITERS
EXPORT_ROLES = (Role.SITE_LEAD, Role.DPO)


class ProcessingRestricted(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(RESTRICTED)


def refuse_if_restricted(person: object) -> None:
    """403 with the restriction notice when the person's processing is restricted."""
    if getattr(person, "restricted_at", None) is not None:
        raise ProcessingRestricted


def require_writer(request: InkaRequest, site_id: int) -> None:
    """403 unless the user works on the site's cases (caseworker or site lead)."""
    if not request.site_access.has_site_role(site_id, *SITE_WRITERS):
        raise PermissionDenied


def require_exporter(request: InkaRequest, site_id: int) -> None:
    """403 unless the user is the site's lead or the data protection officer."""
    if not request.site_access.has_site_role(site_id, *EXPORT_ROLES):
        raise PermissionDenied


def is_dpo(request: InkaRequest) -> bool:
    return request.site_access.has_programme_role(Role.DPO)
