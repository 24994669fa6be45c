"""Session rules: the absolute session limit and the second factor.

A session ends a fixed time after login, however active it was. The idle limit needs no code: the
session cookie lives SESSION_IDLE_SECONDS and every request renews it (SESSION_SAVE_EVERY_REQUEST).
Until a signed-in user has passed the second factor, only the steps to pass it are reachable.
"""

import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

LOGIN_AT_SESSION_KEY = "inka.login_at"
View = TypeVar("View", bound=Callable[..., HttpResponse])


def before_second_factor(view: View) -> View:
    """Mark a view as reachable with the password alone: the second-factor steps and logout."""
    view.before_second_factor = True  # type: ignore[attr-defined]
    return view


def second_factor_url(next_url: str = "") -> str:
    """The second-factor step, returning to `next_url` afterwards."""
    url = reverse("accounts:second_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@receiver(user_logged_in)
def remember_login_time(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    request.session[LOGIN_AT_SESSION_KEY] = int(time.time())


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            too_old = login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS
            if too_old:
                # logout() flushes the session: its row is gone, the old cookie is worthless.
                logout(request)
        else:
            self.forget_expired_session(request)
        return self.get_response(request)

    @staticmethod
    def forget_expired_session(request: HttpRequest) -> None:
        """An idle session that comes back is deleted at once, not only by the nightly clearsessions."""
        presented = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        # The session store drops the key of a session it refused to load (expired or unknown).
        if presented and request.session.session_key is None:
            Session.objects.filter(session_key=presented, expire_date__lte=timezone.now()).delete()


class SecondFactorMiddleware:
    """Sends a signed-in user whose session has not passed the second factor to that step.

    Public pages (login_not_required) show no data and stay reachable; so do the views marked
    `before_second_factor`. Runs after OTPMiddleware, which sets `request.user.is_verified()`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not settings.TWO_FACTOR or not user.is_authenticated or user.is_verified():
            return None
        public = not getattr(view_func, "login_required", True)
        if public or getattr(view_func, "before_second_factor", False):
            return None
        if getattr(request, "htmx", False):
            # A fragment is no page to come back to: the browser goes to the step itself.
            return HttpResponseClientRedirect(second_factor_url())
        next_url = request.get_full_path() if request.method == "GET" else ""
        return HttpResponseRedirect(second_factor_url(next_url))
