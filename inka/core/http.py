from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from inka.core.scoping import SiteAccess


class InkaRequest(HttpRequest):
    """A request after INKA's middleware: what the user may see, the current site, a request id."""

    site_access: "SiteAccess"
    current_site_id: int | None
    request_id: str


def posted(request: HttpRequest) -> Any:
    """The POST data, or None for a GET: an empty POST is a bound form that shows its errors."""
    return request.POST if request.method == "POST" else None


def form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page; after a POST that did not succeed (the form shows its errors), status 400."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)
