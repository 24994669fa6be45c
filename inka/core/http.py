from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from inka.core.scoping import SiteAccess


class InkaRequest(HttpRequest):
    """A request after INKA's middleware: what the user may see, the current site, a request id."""

    site_access: "SiteAccess"
    current_site_id: int | None
    request_id: str
