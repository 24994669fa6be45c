"""The absolute session limit: a session ends a fixed time after login, however active it was.

The idle limit needs no code: the session cookie lives SESSION_IDLE_SECONDS and every request
renews it (SESSION_SAVE_EVERY_REQUEST).
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

LOGIN_AT_SESSION_KEY = "inka.login_at"


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
        return self.get_response(request)
