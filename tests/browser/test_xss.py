"""Stored XSS in Chromium (security test 21): the payloads in a person's and a case's texts stay text.

The context bypasses the Content-Security-Policy (for axe, see conftest.py), so this proves the
escaping itself: with CSP on top, an injected script would be blocked a second time.
"""

import sys
from pathlib import Path

import pytest
from django.conf import settings

# The payloads and the pages that show them are those of tests/security/test_b3_input.py (test 21),
# whose folder pytest puts on the path only when it collects it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from tests.security.test_b1_authorization import client_for
from tests.security.test_b3_input import XSS, plant_payloads

# Elements or attributes only an injection would add: the pages have no inline script or handler.
INJECTED = "script:not([src]), iframe, object, embed, [onerror], [onload], [onclick], a[href^='javascript:']"


@pytest.mark.django_db(transaction=True)
def test_t21_payloads_run_nothing_in_the_browser(page, live_server, world):
    pages = plant_payloads(world)
    # Signed in (second factor passed) through the test client; the browser takes over its session.
    session = client_for(world.user("caseworker")).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name in ("person", "case", "referral"):
        page.goto(live_server.url + pages[name])
        page.wait_for_load_state("load")
        assert page.locator(INJECTED).count() == 0, name
    page.goto(live_server.url + pages["person"])
    assert page.get_by_text(XSS[1]).count() >= 1, "the payload is shown as text"
    assert dialogs == []
