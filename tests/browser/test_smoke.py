"""Proves the browser set-up works: Chromium starts, reaches the live server, and axe runs.

To be replaced by real browser tests.
"""

import pytest

SMOKE_PAGE = (
    '<!doctype html><html lang="de"><head><title>Test</title></head>'
    "<body><main><h1>Hallo</h1></main></body></html>"
)
# No lang attribute, an image without alt text.
BAD_PAGE = '<!doctype html><html><head><title>Test</title></head><body><img src="x.png"></body></html>'


@pytest.mark.django_db(transaction=True)
def test_live_server_serves_static_files(page, live_server):
    response = page.goto(live_server.url + "/static/vendor/kern/kern.min.css")
    assert response is not None
    assert response.status == 200


def test_axe_finds_no_violations_on_a_clean_page(page, check_axe):
    page.set_content(SMOKE_PAGE)
    assert check_axe(page) == []


def test_axe_reports_serious_violations(page, check_axe):
    """Guards against a check that always answers []."""
    page.set_content(BAD_PAGE)
    found = {violation["id"] for violation in check_axe(page)}
    assert {"html-has-lang", "image-alt"} <= found
