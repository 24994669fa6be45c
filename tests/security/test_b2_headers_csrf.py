"""B2 of the security anchors: cookies and security headers in production (19), CSRF (20)."""

import importlib.util
import re
import secrets
from types import ModuleType

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from inka.cases.tests.factories import make_case
from inka.core.models import AccessLogEntry
from tests.security.test_b1_authorization import (
    POLICY,
    ROOT,
    body_text,
    build_site,
    changed_tables,
    database_snapshot,
    expected,
    log_in_verified,
    page_form,
)

# Settings that decide headers and cookies; taken over from the production settings module.
SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_")
SECURITY_NAMES = ("CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS")


def production_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> ModuleType:
    """inka/settings.py read afresh with the variables of a production server (docs/deployment.md)."""
    environment = {
        "INKA_DEBUG": "false",
        "INKA_HTTPS": "true",
        "INKA_SECRET_KEY": secrets.token_urlsafe(60),
        "INKA_ALLOWED_HOSTS": "inka.example.org",
        "INKA_DATA_DIR": str(tmp_path),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("inka_production_settings", ROOT / "inka" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def production(monkeypatch, tmp_path):
    module = production_settings(monkeypatch, tmp_path)
    values = {
        name: getattr(module, name)
        for name in dir(module)
        if name.startswith(SECURITY_PREFIXES) or name in SECURITY_NAMES
    }
    with override_settings(**values):
        yield module


def csp(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


def test_t19_production_headers_and_cookies(world, production):
    # Plain HTTP is sent to HTTPS.
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")

    client = Client()
    login_page = client.get(reverse("accounts:login"), secure=True)
    assert login_page.status_code == 200
    case = make_case(world.site_a, world.user("caseworker"))
    log_in_verified(client, world.user("caseworker"))
    case_page = client.get(case.get_absolute_url(), secure=True)
    assert case_page.status_code == 200
    for response in (login_page, case_page):
        hsts = dict(
            part.strip().partition("=")[::2] for part in response["Strict-Transport-Security"].split(";")
        )
        assert int(hsts["max-age"]) >= 31536000 and "includeSubDomains" in hsts
        policy = csp(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        for directive in ("default-src", "script-src", "style-src"):
            assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(policy.get(directive, [])), directive
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in case_page["Cache-Control"]

    # Cookies: Secure, __Host- (so no Domain and Path=/), SameSite=Lax; the session cookie HttpOnly.
    csrf = login_page.cookies[production.CSRF_COOKIE_NAME]
    session = case_page.cookies[production.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie.key.startswith("__Host-")
        assert cookie["secure"] is True and cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]
    assert session["httponly"] is True


def url_parameters(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, set[str]]:
    """URL name → the names of all its parameters."""
    found: dict[str, set[str]] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= url_parameters(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}{pattern.name}"] = set(pattern.pattern.converters)
    return found


# URL parameters: ids, one-time link tokens, codes, formats, years; never a name or a birth date.
URL_PARAMETERS = re.compile(r"(pk|[a-z_]+_pk|site_id|token|uidb64|code|fmt|year)")


def test_t19_no_personal_data_in_urls_or_in_the_logs_of_a_search(world, login):
    parameters = url_parameters()
    assert len(parameters) > 150
    for name, names in parameters.items():
        for parameter in names:
            assert URL_PARAMETERS.fullmatch(parameter), (name, parameter)
    # The person search is a GET form, so the name typed is in the query string of the search page.
    # That query never leaves INKA (Referrer-Policy same-origin, no third-party requests, no-store),
    # and the access log keeps the ids found, not the words searched for.
    make_case(world.site_a, world.user("caseworker"))
    client = login(world.user("caseworker"))
    response = client.get(reverse("cases:person_list"), {"q": "Müller"})
    assert response.status_code == 200 and response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    entry = AccessLogEntry.objects.get(action="person.search")
    assert "Müller" not in str([getattr(entry, field.attname) for field in entry._meta.concrete_fields])


# --- t20 -------------------------------------------------------------------------------------------


def writer_of(name: str) -> str | None:
    """A persona the matrix lets change something on this route (the form is checked, 400, or saved)."""
    post = POLICY[name].post
    for persona in ("caseworker", "site_lead", "coordinator", "admin", "dpo", "anonymous"):
        if expected(post, persona) in (200, 302, 400):
            return persona
    return None


def test_t20_csrf_every_state_changing_route_refuses_a_missing_or_foreign_token(world):
    kwargs = build_site(world, "A")
    routes = {name: writer_of(name) for name in POLICY if POLICY[name].post}
    routes = {name: persona for name, persona in routes.items() if persona}
    assert len(routes) > 60
    # Another session's token: the one a second browser got with its own login page.
    stranger = Client(enforce_csrf_checks=True)
    page = stranger.get(reverse("accounts:login"))
    foreign = page_form(body_text(page), reverse("accounts:login"))["csrfmiddlewaretoken"][0]

    clients: dict[str, Client] = {}
    for persona in set(routes.values()):
        client = clients[persona] = Client(enforce_csrf_checks=True)
        if persona != "anonymous":
            log_in_verified(client, world.user(persona))
        client.get(reverse("accounts:password_change"))  # the browser has its own CSRF cookie
    before = database_snapshot()
    for name, persona in sorted(routes.items()):
        url = reverse(name, kwargs=kwargs[name])
        for data in ({}, {"csrfmiddlewaretoken": foreign}):
            response = clients[persona].post(url, data)
            assert response.status_code == 403, (name, persona, data, response.status_code)
    assert changed_tables(before, database_snapshot()) == {}


def test_t20_get_never_changes_data(world):
    kwargs = build_site(world, "A")
    personas = ("caseworker", "site_lead", "reader", "steering", "coordinator", "dpo", "admin")
    clients = {}
    for persona in personas:
        clients[persona] = Client()
        log_in_verified(clients[persona], world.user(persona))
    before = database_snapshot()
    opened = 0
    for name, policy in sorted(POLICY.items()):
        for persona in personas:
            if expected(policy.get, persona) == 200:
                response = clients[persona].get(reverse(name, kwargs=kwargs[name]))
                opened += response.status_code == 200
                break  # one reader per route: the page, not the persona, would change data
    assert opened > 150
    assert changed_tables(before, database_snapshot()) == {}
