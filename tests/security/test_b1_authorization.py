"""B1 of the security anchors: authorization and site scoping (tests 1–3, 5–7, 9–11).

The data of these tests is built by the permission matrix itself: every row of `POLICY` knows how to
make the objects its URL needs at "site A". Called a second time with a mirrored world (site B in the
place of site A, site B's team in the place of A's team), the same builders make one of everything at
site B. Every site-owned text value then gets a canary string that names its site (`ZqA0001q`,
`ZqB0002q`), so a leak shows up as a canary of the wrong site in a response.
"""

import importlib.util
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, models, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django_scopes import scopes_disabled
from django_scopes.manager import DisabledQuerySet

from inka.accounts.models import Membership
from inka.cases import uploads
from inka.cases.models import Case, Contact, Document, Person
from inka.cases.names import name_key
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.permissions import Role
from inka.core.registry import Category, field_registry
from inka.core.tests.policy_tables import Policy
from inka.network.models import Partner

ROOT = Path(__file__).resolve().parents[2]


def root_conftest() -> ModuleType:
    """The project's conftest.py (personas, the verified login). Not `import conftest`: once pytest has
    collected tests/browser, its own conftest.py holds that module name."""
    module = sys.modules.get("inka_root_conftest")
    if module is None:
        spec = importlib.util.spec_from_file_location("inka_root_conftest", ROOT / "conftest.py")
        assert spec is not None and spec.loader is not None
        module = sys.modules["inka_root_conftest"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


CONFTEST = root_conftest()
log_in_verified, make_user = CONFTEST.log_in_verified, CONFTEST.make_user
# The permission matrix imports `conftest` too: while it loads, that name is the project's.
_shadowing, sys.modules["conftest"] = sys.modules.get("conftest"), CONFTEST
from inka.core.tests.test_url_matrix import POLICY, case_work_a, expected, url_names  # noqa: E402

if _shadowing is not None:
    sys.modules["conftest"] = _shadowing

__all__ = ["POLICY", "case_work_a", "expected"]  # for the other security tests

SITE_STAFF_PERSONAS = ("caseworker", "site_lead")
# Text fields that hold no content anyone reads: file names on disk, hashes, search keys.
NOT_DISPLAYED = {"stored_name", "sha256", "token_hash", "name_key", "last_name_sound"}
# The site registry is public (map, site pages): it is not a site's secret, so it carries no canary.
PUBLIC_MODELS = {"programme.Site", "programme.SitePeriod"}
BIRTH_DATE = date(1961, 7, 23)
# Where a person's data can be shown; community, network and steering pages hold none.
PERSON_LEVEL_APPS = ("cases:", "employment:", "esf:", "privacy:", "monitoring:", "core:")


# --- the two sites' data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Canary:
    text: str
    site: str  # "A" or "B"
    model: str
    field: str
    pk: int
    social: bool  # person-level social data (the `social_site` scope)


def mirrored(world: Any) -> SimpleNamespace:
    """`world` seen from site B: site B in the place of site A, with a team of its own."""
    users = dict(world.users)
    users["caseworker"] = world.user("other_caseworker")
    for name, role in (("site_lead", Role.SITE_LEAD), ("reader", Role.READER), ("steering", Role.STEERING)):
        users[name] = make_user(f"{name}@sued.test", first_name=f"{name.title()} Süd")
        Membership.objects.create(user=users[name], site=world.site_b, role=role)
    return SimpleNamespace(
        site_a=world.site_b,
        site_b=world.site_a,
        district_a=world.district_b,
        district_b=world.district_a,
        users=users,
        user=users.__getitem__,
    )


def scoped_models() -> Iterator[tuple[type[models.Model], bool]]:
    """Every site-owned model (it declares `site_scoped`), and whether it holds person-level data."""
    for model in apps.get_models():
        manager = model._default_manager
        if hasattr(manager, "with_scope") and model._meta.label not in PUBLIC_MODELS:
            # A social model still misses its dimension when only the site-level one is set.
            social = isinstance(manager.with_scope(site=[]).get_queryset(), DisabledQuerySet)
            yield model, social


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.EmailField | models.URLField | models.SlugField)
        and not field.choices
        and (field.max_length or 1000) >= 8
        and field.name not in NOT_DISPLAYED
    ]


def stamp_canaries(site: Any, label: str, make_text: Callable[[int], str] | None = None) -> list[Canary]:
    """Put a canary (or `make_text(number)`) into every text field of every row the site owns."""
    canaries = []
    for model, social in scoped_models():
        fields = text_fields(model)
        if not fields:
            continue
        scope = {"site": [site.pk], "social_site": [site.pk]}
        for row in model.objects.with_scope(**scope).all():  # type: ignore[attr-defined]
            for field in fields:
                number = len(stamped_texts) + 1
                text = make_text(number) if make_text else f"Zq{label}{number:04d}q"
                if len(text) > (field.max_length or len(text)):
                    continue
                try:
                    with transaction.atomic():
                        model._base_manager.filter(pk=row.pk).update(**{field.attname: text})
                except DatabaseError:
                    continue  # a rule of the model wants this field empty here (an anonymous contact's note)
                stamped_texts.append(text)
                canaries.append(Canary(text, label, model._meta.label, field.name, row.pk, social))
    return canaries


stamped_texts: list[str] = []


def build_site(world: Any, label: str) -> dict[str, dict[str, Any]]:
    """Every object of the permission matrix, more cases and an anonymous contact at the site;
    returns the URL parameters of each matrix row for the site."""
    kwargs = {name: policy.kwargs(world) for name, policy in POLICY.items()}
    caseworker = world.user("caseworker")
    for number in range(2 if label == "A" else 3):
        make_case(
            world.site_a, caseworker, make_person(world.site_a, f"Vorname{number}", f"Nachname{number}")
        )
    make_contact(world.site_a, caseworker)
    Person.objects.filter(site=world.site_a).update(birth_date=BIRTH_DATE)
    return kwargs


def make_room_for_the_second_site() -> None:
    """The builders use fixed names where the database wants unique ones: rename A's."""
    # Partners are shared by all sites (unique by name and town); B's builders make their own.
    Partner.objects.update(name=Concat("name", Value(" (A)")))
    for document in Document.objects.all():
        old = uploads.path_of(document.stored_name)
        document.stored_name = f"a-{document.stored_name}"
        old.rename(uploads.path_of(document.stored_name))
        document.save(update_fields=["stored_name"])


def build_two_sites(world: Any) -> SimpleNamespace:
    """Sites A and B with one of everything each, canaries in every text; A built first (lower ids)."""
    stamped_texts.clear()
    ours = build_site(world, "A")
    # Stamped before B is built: B's builders use the same fixed texts, some of them unique.
    canaries = stamp_canaries(world.site_a, "A")
    make_room_for_the_second_site()
    mirror = mirrored(world)
    theirs = build_site(mirror, "B")
    canaries += stamp_canaries(world.site_b, "B")
    for person in Person.objects.all():  # the search reads the spelling-independent name keys
        person.name_key = name_key(person.last_name, person.first_name)
        person.save(update_fields=["name_key"])
    return SimpleNamespace(world=world, mirror=mirror, canaries=canaries, ours=ours, theirs=theirs)


@pytest.fixture(scope="module")
def built_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two sites, built once for this module inside a transaction that is rolled back at its end
    (like Django's setUpTestData); each test runs in its own savepoint inside it."""
    documents = tmp_path_factory.mktemp("documents")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with scopes_disabled(), override_settings(DOCUMENTS_DIR=documents):
                # The root conftest's `world` fixture, called as a function: the same personas.
                data = build_two_sites(CONFTEST.world.__wrapped__(None))
            yield data, documents
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def two_sites(built_once, db, settings) -> SimpleNamespace:
    data, documents = built_once
    settings.DOCUMENTS_DIR = documents
    return data


def canary_texts(canaries: list[Canary], site: str, *, social_only: bool = False) -> set[str]:
    return {c.text for c in canaries if c.site == site and (c.social or not social_only)}


def leaked(body: str, texts: set[str]) -> set[str]:
    return {text for text in re.findall(r"Zq[AB]\d{4}q", body) if text in texts}


def client_for(user: Any) -> Client:
    """A signed-in client of its own (several personas at once), past every login step."""
    client = Client()
    log_in_verified(client, user)
    return client


def body_text(response: Any) -> str:
    """The text of a response: spreadsheets unpacked, streamed files read."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


# --- the DB snapshot -------------------------------------------------------------------------------

# The logs grow with every request (denied attempts are logged): they are what must change.
LOG_MODELS = {AccessLogEntry, AuditEntry}


def database_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the application writes, except the logs, the sessions and the kept
    programme figures (counts that any page outside the teams may count anew and keep)."""
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label
        if model in LOG_MODELS or label.startswith(("sessions.", "axes.", "contenttypes.")):
            continue
        if label == "monitoring.FiguresSnapshot":
            continue
        snapshot[label] = list(model._base_manager.order_by("pk").values_list())
    return snapshot


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Table → its rows that differ (new or changed values first, then what they replaced)."""
    return {
        label: [row for row in after[label] if row not in rows]
        + [row for row in rows if row not in after[label]]
        for label, rows in before.items()
        if rows != after[label]
    }


# --- forms as a browser would send them ------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of every POST form of a page, with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "data": {}}
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        data = self._form["data"]
        if tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            data.setdefault(a["name"], []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea = a["name"]
            data[a["name"]] = [""]

    def handle_data(self, text: str) -> None:
        if self._form is not None and self._textarea:
            self._form["data"][self._textarea][0] += text

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._form is not None and self._select:
            chosen = [value for value, selected in self._options if selected] or [
                value for value, _selected in self._options[:1]
            ]
            self._form["data"][self._select] = chosen
            self._select = None


def page_form(html: str, path: str) -> dict[str, list[str]]:
    """The data of the page's own form (posting to itself), else of its largest POST form."""
    parser = FormParser()
    parser.feed(html)
    own = [form for form in parser.forms if form["action"] in ("", path)]
    candidates = own or parser.forms
    if not candidates:
        return {}
    return max(candidates, key=lambda form: len(form["data"]))["data"]


# --- t01 -------------------------------------------------------------------------------------------

# SECURITY.md's permission matrix, row by row: one route that stands for the row, and the statuses the
# row allows per persona ("–" = 403 for a visible resource, another site's objects = 404).
DENIED = {403, 404}
MATRIX_ROWS: dict[str, tuple[str, dict[str, set[int]]]] = {
    "persons, cases, contacts, ESF data of own site": (
        "cases:case_detail",
        {
            "caseworker": {200},
            "site_lead": {200},
            "reader": {200},
            "coordinator": DENIED,
            "steering": DENIED,
            "dpo": DENIED,
            "admin": DENIED,
        },
    ),
    "anything of another site": (
        "cases:person_detail",
        {"other_caseworker": {404}},
    ),
    "special-category fields (writers only; the edit form carries them)": (
        "cases:person_edit",
        {"caseworker": {200}, "site_lead": {200}, "reader": DENIED, "coordinator": DENIED},
    ),
    "referral / consent record": (
        "cases:referral_create",
        {"caseworker": {200}, "site_lead": {200}, "reader": DENIED, "coordinator": DENIED, "dpo": DENIED},
    ),
    "anonymous contacts of own site": (
        "cases:anonymous_contact_list",
        {"caseworker": {200}, "site_lead": {200}, "reader": {200}, "coordinator": DENIED, "admin": DENIED},
    ),
    "community, network, steering records of own site": (
        "community:project_detail",
        {
            "caseworker": {200},
            "site_lead": {200},
            "reader": {200},
            "coordinator": {200},
            "steering": {200},
            "other_caseworker": {404},
        },
    ),
    "site aggregates and reports": (
        "monitoring:site_dashboard",
        {
            "caseworker": {200},
            "site_lead": {200},
            "reader": {200},
            "coordinator": {200},
            "steering": {200},
            "dpo": DENIED,
        },
    ),
    "cross-site aggregates": (
        "monitoring:programme_dashboard",
        {"coordinator": {200}, "caseworker": DENIED, "site_lead": DENIED, "steering": DENIED, "dpo": DENIED},
    ),
    "person-level rows in any report or export": (
        "esf:participation_list",
        {"caseworker": {200}, "site_lead": {200}, "coordinator": DENIED, "steering": DENIED, "admin": DENIED},
    ),
    "access log": (
        "core:access_log",
        {"site_lead": {200}, "dpo": {200}, "caseworker": DENIED, "reader": DENIED, "coordinator": DENIED},
    ),
    "user accounts and roles": (
        "accounts:user_list",
        {"admin": {200}, "caseworker": DENIED, "site_lead": DENIED, "coordinator": DENIED, "dpo": DENIED},
    ),
    "own site's team (site lead)": (
        "accounts:team",
        {"site_lead": {200}, "caseworker": DENIED, "reader": DENIED, "other_caseworker": {404}},
    ),
    "programme settings, site registry": (
        "programme:site_edit",
        {"coordinator": {200}, "admin": {200}, "caseworker": DENIED, "site_lead": DENIED, "dpo": DENIED},
    ),
}


def test_t01_permission_matrix_covers_every_url_and_every_row_of_the_policy(two_sites):
    world = two_sites.world
    # The full matrix (every URL × every persona, GET and POST) runs in inka/core/tests/test_url_matrix.py;
    # here: it is complete, and SECURITY.md's rows are what its entries say.
    assert url_names() - set(POLICY) == set(), "URLs without a declared policy"
    assert set(POLICY) - url_names() == set(), "policies of URLs that no longer exist"
    clients: dict[str, Client] = {}
    for row, (url_name, allowed) in MATRIX_ROWS.items():
        policy = POLICY[url_name]
        url = reverse(url_name, kwargs=two_sites.ours[url_name])
        for persona, statuses in allowed.items():
            declared = expected(policy.get, persona)
            assert declared in statuses, f"{row}: POLICY[{url_name!r}] gives {persona} {declared}"
            if persona not in clients:
                clients[persona] = client_for(world.user(persona))
            observed = clients[persona].get(url).status_code
            assert observed == declared, f"{row}: {persona} got {observed} at {url}"


# --- t02 -------------------------------------------------------------------------------------------

# URLs with ids that are not a site's objects, and why another site's staff may call them.
NOT_SITE_OBJECTS = {
    "accounts:user_toggle_active": "user accounts belong to the programme; the administration's only",
    "accounts:user_end_sessions": "user accounts belong to the programme; the administration's only",
    "accounts:user_reset_second_factor": "user accounts belong to the programme; the administration's only",
    "monitoring:programme_report": "the id is a year",
    "monitoring:programme_report_export": "the id is a year",
}


def url_int_kwargs(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, set[str]]:
    """URL name → the names of its integer parameters."""
    found: dict[str, set[str]] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= url_int_kwargs(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = pattern.pattern.converters
            found[f"{namespace}{pattern.name}"] = {
                key for key, converter in converters.items() if type(converter).__name__ == "IntConverter"
            }
    return found


def object_urls() -> list[str]:
    """Every declared URL with ids of a site's objects (URLs without a policy fail t01 already)."""
    with_ids = {name for name, kwargs in url_int_kwargs().items() if kwargs}
    return sorted(with_ids & set(POLICY) - set(NOT_SITE_OBJECTS))


def id_variants(ours: dict[str, Any], theirs: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """Site B's ids, each id of B inside A's URL, and the next id after each of B's (an attacker
    counting up); with whether every persona tries it (the counted ids: the caseworker only)."""
    ints = [key for key, value in theirs.items() if isinstance(value, int)]
    variants = [(theirs, True)]
    if len(ints) > 1:
        variants += [({**ours, key: theirs[key]}, True) for key in ints]
    variants += [({**theirs, key: theirs[key] + 1}, False) for key in ints]
    return variants


def refusals(policy: Policy, persona: str, method: str) -> set[int]:
    """What the persona may get for another site's ids: 404. Where the role is refused the function on
    its own site too (403), or the method is not served (405), that same answer tells nothing either."""
    own = (
        expected(policy.get if method == "get" else policy.post, persona)
        if (method == "get" or policy.post)
        else 405
    )
    return {404} | ({own} & {403, 405})


def test_t02_idor_sweep_every_object_url_of_another_site_is_404_and_changes_nothing(two_sites):
    world = two_sites.world
    names = object_urls()
    assert len(names) > 80
    b_texts = canary_texts(two_sites.canaries, "B")
    assert len(b_texts) > 150, "every site-owned model got canaries"
    clients = {persona: client_for(world.user(persona)) for persona in SITE_STAFF_PERSONAS}

    # What a browser of A's caseworker would post on each page: A's own form, filled in.
    payloads: dict[str, dict[str, list[str]]] = {}
    for name in names:
        url = reverse(name, kwargs=two_sites.ours[name])
        response = clients["caseworker"].get(url)
        payloads[name] = page_form(body_text(response), url) if response.status_code == 200 else {}
    assert sum(1 for data in payloads.values() if data) > 40, "most object pages have a form to replay"

    before = database_snapshot()
    denied_before = AccessLogEntry.objects.filter(outcome=AccessLogEntry.Outcome.DENIED).count()
    refused = 0
    for name in names:
        policy = POLICY[name]
        for kwargs, everyone in id_variants(two_sites.ours[name], two_sites.theirs[name]):
            url = reverse(name, kwargs=kwargs)
            for persona in SITE_STAFF_PERSONAS if everyone else SITE_STAFF_PERSONAS[:1]:
                for method in ("get", "post"):
                    client = clients[persona]
                    response = client.get(url) if method == "get" else client.post(url, payloads[name])
                    allowed = refusals(policy, persona, method)
                    assert response.status_code in allowed, (persona, method, url, response.status_code)
                    assert not leaked(body_text(response), b_texts), (persona, method, url)
                    refused += response.status_code in (403, 404)
    assert changed_tables(before, database_snapshot()) == {}, "a POST with another site's ids changed data"
    denied = AccessLogEntry.objects.filter(outcome=AccessLogEntry.Outcome.DENIED).count() - denied_before
    assert denied == refused, "every refused request is logged as a denied attempt"


# --- t03 -------------------------------------------------------------------------------------------


REPORT_PERIOD = "?period_from=2024-01-01&period_to=2024-12-31"
# Extra queries per page: exports in each format, and searches (everything, B's canaries, a name of A).
QUERIES = {
    "esf:report": [REPORT_PERIOD + fmt for fmt in ("", "&format=csv", "&format=xlsx", "&format=json")],
    "cases:person_list": ["?q=Zq", "?q=ZqB"],
    "cases:case_list": ["?q=Zq", "?q=ZqB", "?status=closed"],
}


def page_variants(name: str, kwargs: dict[str, Any]) -> list[str]:
    """The page, each export format of it, and the queries above."""
    if "fmt" in kwargs:
        # PDFs hold compressed text; the same figures are checked in CSV and XLSX.
        return [reverse(name, kwargs={**kwargs, "fmt": fmt}) for fmt in ("csv", "xlsx")]
    base = reverse(name, kwargs=kwargs)
    return [base] + [base + query for query in QUERIES.get(name, [])]


def test_t03_lists_searches_and_exports_show_only_the_own_site(two_sites):
    world = two_sites.world
    a_texts, b_texts = canary_texts(two_sites.canaries, "A"), canary_texts(two_sites.canaries, "B")
    names = [name for name, policy in POLICY.items() if expected(policy.get, "caseworker") == 200]
    site_level = {name for name in names if not two_sites.ours[name]}
    assert {"cases:person_list", "cases:case_list", "esf:participation_list", "esf:report"} <= site_level
    assert {"monitoring:site_dashboard_export", "monitoring:report_export"} <= set(names)
    for persona in SITE_STAFF_PERSONAS:
        client = client_for(world.user(persona))
        seen_a: set[str] = set()
        for name in [name for name in names if expected(POLICY[name].get, persona) == 200]:
            for url in page_variants(name, two_sites.ours[name]):
                response = client.get(url)
                # A page that creates something once (the steering group) sends on to it.
                assert response.status_code in (200, 302), (persona, url, response.status_code)
                body = body_text(response)
                assert not leaked(body, b_texts), (persona, url, leaked(body, b_texts))
                seen_a |= leaked(body, a_texts)
        assert len(seen_a) > 100, "the canaries of the own site do show up"

        # Counts equal the own site's (restricted persons leave lists and search).
        listed = Person.objects.filter(site=world.site_a, restricted_at=None)
        found = client.get(reverse("cases:person_list") + "?q=Zq").context["page"].paginator.count
        assert found == listed.count() != Person.objects.filter(site=world.site_b, restricted_at=None).count()
        cases = client.get(reverse("cases:case_list")).context["page"].paginator.count
        assert cases == Case.objects.filter(site=world.site_a, person__restricted_at=None).count()
        assert cases != Case.objects.filter(site=world.site_b).count()
        contacts = client.get(reverse("cases:anonymous_contact_list")).context
        shown = {contact.pk for contact in page_rows(contacts)}
        assert shown == set(Contact.objects.filter(site=world.site_a, case=None).values_list("pk", flat=True))


def page_rows(context: Any) -> list[Any]:
    for key in ("rows", "contacts", "page"):
        if key in context:
            value = context[key]
            return list(value.object_list if hasattr(value, "object_list") else value)
    raise AssertionError("the list page names its rows")


def by_link(name: str, kwargs: dict[str, Any]) -> bool:
    """Pages an outside partner opens with a one-time link (a referral, a survey): the link is the
    key, not an account, so they show what was sent to the partner to whoever holds it."""
    return expected(POLICY[name].get, "anonymous") == 200 and "token" in kwargs


# --- t05 -------------------------------------------------------------------------------------------


def test_t05_a_role_change_takes_effect_on_the_next_request(two_sites):
    world, ours = two_sites.world, two_sites.ours
    detail = reverse("cases:case_detail", kwargs=ours["cases:case_detail"])
    edit = reverse("cases:case_edit", kwargs=ours["cases:case_edit"])
    caseworker, lead = world.user("caseworker"), world.user("site_lead")
    moved, demoted = client_for(caseworker), client_for(lead)
    assert moved.get(detail).status_code == 200
    assert demoted.get(edit).status_code == 200

    # Same sessions, no new login: the caseworker now works at site B, the site lead only reads.
    Membership.objects.filter(user=caseworker, site=world.site_a).update(site=world.site_b)
    Membership.objects.filter(user=lead, site=world.site_a).update(role=Role.READER)
    assert moved.get(detail).status_code == 404
    assert demoted.get(edit).status_code == 403
    assert demoted.get(detail).status_code == 200
    assert demoted.get(reverse("accounts:team", kwargs={"site_pk": world.site_a.pk})).status_code == 403
    Membership.objects.filter(user=lead).delete()
    assert demoted.get(detail).status_code == 404


# --- t06 -------------------------------------------------------------------------------------------


def test_t06_a_user_without_a_site_sees_nothing(two_sites):
    world = two_sites.world
    every_canary = canary_texts(two_sites.canaries, "A") | canary_texts(two_sites.canaries, "B")
    # A reader whose membership was removed, still signed in: every page of the matrix.
    dropped = client_for(world.user("reader"))
    Membership.objects.filter(user=world.user("reader")).delete()
    opened = []
    for name in sorted(POLICY):
        if expected(POLICY[name].get, "anonymous") == 200:
            continue  # public pages (the site's public page, a partner's link) are public anyway
        url = reverse(name, kwargs=two_sites.ours[name])
        response = dropped.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), (url, response.status_code)
        assert not leaked(body_text(response), every_canary), url
        if response.status_code == 200:
            opened.append(name)
    # What opens is the user's own account and the site registry, never a list of any site.
    assert not [name for name in opened if name.startswith(PERSON_LEVEL_APPS)], opened
    # A new account that never had a site: the same lists are closed.
    nobody = client_for(make_user("ohne-standort@nord.test"))
    for name in ("cases:person_list", "cases:case_list", "esf:participation_list", "core:access_log"):
        for client in (dropped, nobody):
            assert client.get(reverse(name)).status_code in (403, 404), name


# --- t07 -------------------------------------------------------------------------------------------

BIRTH_DATE_TEXTS = (BIRTH_DATE.isoformat(), BIRTH_DATE.strftime("%d.%m.%Y"), "23. Juli 1961")
# Ways a report might be talked into person-level detail.
DETAIL_QUERIES = [f"{REPORT_PERIOD}&detail=1&format={fmt}" for fmt in ("csv", "json", "xlsx")]


def test_t07_coordinator_and_steering_get_no_personal_data(two_sites):
    world = two_sites.world
    person = Person.objects.filter(site=world.site_a).first()
    assert person is not None
    social = canary_texts(two_sites.canaries, "A", social_only=True)
    social |= canary_texts(two_sites.canaries, "B", social_only=True)
    assert len(social) > 50
    for persona in ("coordinator", "steering"):
        client = client_for(world.user(persona))
        opened = 0
        for name, policy in sorted(POLICY.items()):
            kwargs = two_sites.ours[name]
            if expected(policy.get, persona) != 200 or by_link(name, kwargs):
                continue
            urls = page_variants(name, kwargs) if "fmt" in kwargs else []
            base = reverse(name, kwargs=kwargs)
            urls += [base] + [
                f"{base}{query}&person={person.pk}".replace("?&", "?") for query in DETAIL_QUERIES
            ]
            for url in urls:
                response = client.get(url)
                assert response.status_code in (200, 302, 400), (persona, url, response.status_code)
                body = body_text(response)
                assert not leaked(body, social), (persona, url, leaked(body, social))
                assert not [text for text in BIRTH_DATE_TEXTS if text in body], (persona, url)
                opened += response.status_code == 200
        assert opened > 20
        # Person-level pages are refused outright.
        for name in (
            "cases:person_detail",
            "cases:case_detail",
            "esf:participation_detail",
            "privacy:export",
        ):
            status = client.get(reverse(name, kwargs=two_sites.ours[name])).status_code
            assert status in (403, 404), (persona, name, status)


# --- t09 -------------------------------------------------------------------------------------------


def special_fields() -> dict[str, set[str]]:
    """Model label → its fields the registry classifies as special categories (Art. 9 GDPR)."""
    return {
        label: {name for name, category in fields.items() if category == Category.SPECIAL}
        for label, fields in field_registry().items()
        if Category.SPECIAL in fields.values()
    }


def test_t09_special_categories_are_absent_for_readers_and_the_coordinator(two_sites):
    world = two_sites.world
    specials = special_fields()
    assert {"residence_status", "disability"} <= specials["cases.Person"]
    special_texts = {
        c.text for c in two_sites.canaries if c.site == "A" and c.field in specials.get(c.model, set())
    }
    assert len(special_texts) >= 3, "the free-text special categories carry canaries"
    person = Person.objects.get(pk=two_sites.ours["cases:person_detail"]["pk"])
    person.residence_status, person.disability = "asylum", "recognised"
    person.save(update_fields=["residence_status", "disability"])
    with translation.override("de"):
        labels = {str(person.get_residence_status_display()), str(person.get_disability_display())}

    def reads(persona: str) -> str:
        client = client_for(world.user(persona))
        bodies = []
        for name, policy in POLICY.items():
            if name.startswith(PERSON_LEVEL_APPS) and expected(policy.get, persona) == 200:
                for url in page_variants(name, two_sites.ours[name]):
                    bodies.append(body_text(client.get(url)))
        return "\n".join(bodies)

    # The case's writers do see them: the check below can fail.
    seen = reads("caseworker")
    assert special_texts & set(re.findall(r"ZqA\d{4}q", seen)) and labels <= {x for x in labels if x in seen}
    for persona in ("reader", "coordinator"):
        seen = reads(persona)
        assert not leaked(seen, special_texts), persona
        assert not [label for label in labels if label in seen], persona


# --- t10 -------------------------------------------------------------------------------------------

CASE_CONTENT_PAGES = (
    "cases:person_detail",
    "cases:person_edit",
    "cases:case_detail",
    "cases:case_history",
    "cases:contact_list",
    "cases:contact_edit",
    "cases:referral_detail",
    "cases:document_download",
    "esf:participation_detail",
    "employment:application_edit",
)


def test_t10_the_technical_administration_cannot_read_case_content(two_sites):
    world = two_sites.world
    client = client_for(world.user("admin"))
    social = canary_texts(two_sites.canaries, "A", social_only=True)
    for name in CASE_CONTENT_PAGES:
        response = client.get(reverse(name, kwargs=two_sites.ours[name]))
        # Outside the administration's scope: not even the existence of the record is confirmed.
        assert response.status_code == 404 == expected(POLICY[name].get, "admin"), name
        assert not leaked(body_text(response), social)
    for name in ("cases:person_list", "cases:case_list", "esf:participation_list", "core:access_log"):
        assert client.get(reverse(name)).status_code == 403, name
    # Django's admin site is not installed, so there is no back door to the models.
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    for path in ("/admin/", "/admin/cases/case/", "/django-admin/"):
        assert client.get(path).status_code == 404


# --- t11 -------------------------------------------------------------------------------------------


def test_t11_mass_assignment_is_ignored_or_refused(two_sites):
    world, ours = two_sites.world, two_sites.ours
    client = client_for(world.user("caseworker"))
    case = Case.objects.get(pk=ours["cases:case_edit"]["pk"])
    person_b = Person.objects.filter(site=world.site_b).first()
    assert person_b is not None
    smuggled = {
        "site": world.site_b.pk,
        "site_id": world.site_b.pk,
        "person": person_b.pk,
        "reference": "SUED-2024-9999",
        "restricted_at": "2024-01-01T00:00",
        "anonymised_at": "2024-01-01T00:00",
        "created_at": "2020-01-01T00:00",
    }

    url = reverse("cases:case_edit", kwargs=ours["cases:case_edit"])
    form = page_form(body_text(client.get(url)), url)
    assert client.post(url, {**form, **smuggled}).status_code == 302
    saved = Case.objects.get(pk=case.pk)
    assert (saved.site_id, saved.person_id, saved.reference) == (case.site_id, case.person_id, case.reference)
    assert saved.version == case.version + 1

    # The version is the lock: a made-up one is a conflict; another site's caseworker is no choice.
    before = database_snapshot()
    current = page_form(body_text(client.get(url)), url)
    assert client.post(url, {**current, "version": "999"}).status_code == 409
    other = world.user("other_caseworker").pk
    assert client.post(url, {**current, "caseworker": str(other)}).status_code == 400
    assert changed_tables(before, database_snapshot()) == {}

    url = reverse("cases:person_edit", kwargs=ours["cases:person_edit"])
    form = page_form(body_text(client.get(url)), url)
    assert client.post(url, {**form, **smuggled, "name_key": "x"}).status_code == 302
    person = Person.objects.get(pk=ours["cases:person_edit"]["pk"])
    assert (person.site_id, person.restricted_at, person.anonymised_at) == (world.site_a.pk, None, None)
    assert person.name_key == name_key(person.last_name, person.first_name)


def model_forms() -> list[type[forms.ModelForm]]:
    """Every ModelForm of INKA (the forms modules imported first)."""
    for path in sorted((ROOT / "inka").glob("**/forms.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        __import__(module)
    found, todo = [], list(forms.ModelForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo += form.__subclasses__()
        if form.__module__.startswith("inka.") and form._meta.model is not None:  # bases have no model
            found.append(form)
    return found


def test_t11_no_model_form_takes_every_field():
    checked = model_forms()
    assert len(checked) > 20
    for form in checked:
        meta = form._meta
        assert meta.fields is not None and meta.fields != "__all__", form
        assert not meta.exclude, form
    sources = [path for path in (ROOT / "inka").glob("**/*.py") if "tests" not in path.parts]
    offenders = [
        path
        for path in sources
        if re.search(r"""fields\s*=\s*["']__all__["']|^\s*exclude\s*=""", path.read_text(), re.M)
    ]
    assert offenders == []
