"""Response headers that hold on every page (SECURITY.md): CSP, no caching of pages with data."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from inka.core.audit import log_access


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A short id that ties access-log rows to one request, with nothing personal in it.
        request.request_id = secrets.token_hex(8)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated:
            # Every signed-in page may show social data: never keep it in a browser or proxy cache.
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, private"
        return response


class DeniedAttemptLogMiddleware:
    """Logs every refused request of a signed-in user (403, or 404 on a named route) in the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if response.status_code in (403, 404) and match and match.url_name and request.user.is_authenticated:
            # The route and its ids (never names) are enough to see who probed what.
            # Under the site the user works at, so that its lead sees the attempt in the access log.
            site_id = getattr(request, "current_site_id", None)
            log_access(
                request,
                action=match.view_name,
                site_id=site_id,
                record_ids=match.kwargs.values(),
                denied=True,
            )
        return response
