"""Browser tests: Playwright drives Debian's /usr/bin/chromium (Playwright's own build cannot be
downloaded here), and `check_axe` runs the vendored axe-core with German messages.

Tests that load pages from Django need `live_server` and `@pytest.mark.django_db(transaction=True)`,
so that the server thread sees the test's data.
"""

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AXE_DIR = HERE / "vendor" / "axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # runs as root in CI containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: the machines have no general internet access and tests must not depend on it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Everything in tests/browser gets the `browser` mark, so `-m "not browser"` skips Chromium."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = CHROMIUM_ARGS
    if browser_type_launch_args.get("headless") is False:  # `pytest --headed` for debugging
        args = [arg for arg in args if arg != "--headless"]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """Replaces pytest-playwright's fallback fixture, which pytest 9 warns about.

    Tests build their addresses from `live_server.url`.
    """
    return pytestconfig.getoption("--base-url") or None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        # Our Content-Security-Policy forbids inline scripts, which is how axe gets injected.
        "bypass_csp": True,
    }


@pytest.fixture(scope="session")
def _axe_locale():
    return json.loads((AXE_DIR / "de.json").read_text(encoding="utf-8"))


@pytest.fixture
def check_axe(_axe_locale):
    """check_axe(page) -> serious and critical WCAG 2.1 A/AA violations on the page, as short dicts.

    Use it as `assert check_axe(page) == []`; the dicts make a failure readable.
    """

    def check(page):
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(path=AXE_DIR / "axe.min.js")
            page.evaluate("locale => window.axe.configure({locale})", _axe_locale)
        result = page.evaluate(
            "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"][:3]],
            }
            for violation in result["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]

    return check


@pytest.fixture
def axe(check_axe):
    """Same function as `check_axe`, under the shorter name."""
    return check_axe
