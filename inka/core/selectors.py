"""Reads of the change history and the access log, always limited to the caller's sites."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, F, Func, Max, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from inka.core.audit import ACTION_LABELS
from inka.core.logsafe import visible_controls
from inka.core.models import AccessLogEntry, AuditEntry, LogEntry
from inka.privacy.graph import PERSON, person_paths

CASE = "cases.Case"
PARTICIPATION = "esf.Participation"

# Thresholds of the "anomalies" box (SECURITY.md): many refusals in a short time look like
# probing for ids; very many persons in an hour look like someone copying the register.
DENIED_LIMIT, DENIED_WINDOW = 20, timedelta(minutes=10)
PERSONS_LIMIT, PERSONS_WINDOW = 200, timedelta(hours=1)


class _HoldsAnyId(Func):
    """True when the JSON list `record_ids` holds one of `ids` (stored as a number or as text)."""

    output_field = BooleanField()

    def __init__(self, ids: Iterable[int]) -> None:
        super().__init__(F("record_ids"))
        self.ids = [str(value) for value in ids]

    def _exists(self, compiler: SQLCompiler, elements: str, value: str) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        marks = ", ".join(["%s"] * len(self.ids))
        # Only the column name and constant SQL go into the text; the ids are parameters.
        sql = f"EXISTS (SELECT 1 FROM {elements.format(column=column)} WHERE {value} IN ({marks}))"  # noqa: S608  # nosec B608
        return sql, [*params, *self.ids]

    def as_sql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        # SQLite: json_each gives numbers as numbers and text as text; compare both as text.
        return self._exists(compiler, "json_each({column})", "CAST(json_each.value AS TEXT)")

    def as_postgresql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self._exists(
            compiler, "jsonb_array_elements_text({column}) AS element(value)", "element.value"
        )


def _content_type(label: str) -> ContentType:
    return ContentType.objects.get_for_model(apps.get_model(label))


def _about(model: type[LogEntry], label: str, ids: Sequence[int], key: str) -> Q:
    """Entries about records of type `label` with these ids (`key`: the id's name in AuditEntry.data)."""
    if not ids:
        return Q(pk__in=[])
    if model is AccessLogEntry:
        held = Q(object_id__in=[str(value) for value in ids]) | Q(_HoldsAnyId(ids))
        return Q(content_type=_content_type(label)) & held
    # Changes of a case's parts name the case (and consents the person) in their details.
    return Q(content_type=_content_type(label), object_id__in=[str(value) for value in ids]) | Q(
        **{f"data__{key}__in": list(ids)}
    )


def _person_filter(model: type[LogEntry], person_id: int) -> Q:
    """Entries about the person, their cases and their ESF participations (the records that name
    the person's other records in the change history's details)."""
    found = _about(model, PERSON, [person_id], "person")
    for label, key in ((CASE, "case"), (PARTICIPATION, "participation")):
        ids = apps.get_model(label)._base_manager.filter(person_id=person_id).values_list("pk", flat=True)
        found |= _about(model, label, list(ids), key)
    return found


def _in_scope(model: type[LogEntry], site_ids: Sequence[int] | None) -> QuerySet:
    qs = model.objects.all()
    return qs if site_ids is None else qs.filter(site_id__in=site_ids)


def _log_list(
    model: type[LogEntry],
    *,
    site_ids: Sequence[int] | None,
    account: int | None = None,
    user: str = "",
    action: str = "",
    person: int | None = None,
    case: int | None = None,
    outcome: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet:
    """Entries of `model`; `site_ids` None means programme-wide (data protection officer only)."""
    qs = _in_scope(model, site_ids).select_related("content_type").order_by("-at", "-pk")
    if account:
        qs = qs.filter(actor_id=account)
    if user:
        qs = qs.filter(actor_label__icontains=user.strip())
    if action:
        qs = qs.filter(action=action)
    if person:
        qs = qs.filter(_person_filter(model, person))
    if case:
        qs = qs.filter(_about(model, CASE, [case], "case"))
    if outcome and model is AccessLogEntry:
        qs = qs.filter(outcome=outcome)
    if start:
        qs = qs.filter(at__gte=start)
    if end:
        qs = qs.filter(at__lte=end)
    return qs


def audit_entry_list(**filters: Any) -> QuerySet[AuditEntry]:
    """The change history, newest first."""
    return _log_list(AuditEntry, **filters)


def access_log_list(**filters: Any) -> QuerySet[AccessLogEntry]:
    """The access log, newest first."""
    return _log_list(AccessLogEntry, **filters)


def log_accounts(model: type[LogEntry], *, site_ids: Sequence[int] | None) -> list[tuple[int, str]]:
    """(user id, e-mail) of every account that appears in the log within the scope, by e-mail."""
    rows = _in_scope(model, site_ids).filter(actor_id__isnull=False).order_by().values("actor_id")
    labels = {
        actor_id: visible_controls(label)
        for actor_id, label in rows.annotate(label=Max("actor_label")).values_list("actor_id", "label")
    }
    return sorted(labels.items(), key=lambda item: (item[1].lower(), item[0]))


def log_actions(model: type[LogEntry], *, site_ids: Sequence[int] | None) -> list[tuple[str, str]]:
    """(code, readable name) of the actions one can filter by: those registered, and those in use."""
    used = set(_in_scope(model, site_ids).order_by().values_list("action", flat=True).distinct())
    # Change-history actions are named "inka.<what>.<done>" (audit.py); the access log's are shorter.
    registered = {code for code in ACTION_LABELS if code.startswith("inka.")}
    codes = used | (registered if model is AuditEntry else set())
    return sorted(((code, str(ACTION_LABELS.get(code, code))) for code in codes), key=lambda c: c[1].lower())


def site_names(site_ids: Iterable[int | None]) -> dict[int | None, str]:
    """Names of the sites, by id (log entries hold plain ids, which outlive a site's record)."""
    site_model = apps.get_model("programme", "Site")
    ids = {site_id for site_id in site_ids if site_id is not None}
    return dict(site_model._base_manager.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


# Anomalies


@dataclass(frozen=True)
class Anomaly:
    """An account whose reads in a short window stand out: `count` within the window from `start`."""

    actor_id: int | None
    actor_label: str
    kind: str  # "denied" or "persons"
    count: int
    start: datetime


def _peak(times: Sequence[datetime], ids: Sequence[Sequence[str]], window: timedelta) -> tuple[int, int]:
    """(most distinct ids within any `window`, index of that window's first row); rows sorted by time."""
    held: Counter[str] = Counter()
    best, best_first, first = 0, 0, 0
    for last, at in enumerate(times):
        held.update(ids[last])
        while times[first] < at - window:
            held.subtract(ids[first])
            for value in ids[first]:
                if held[value] <= 0:
                    del held[value]
            first += 1
        if len(held) > best:
            best, best_first = len(held), first
    return best, best_first


def _by_actor(rows: Iterable[tuple[Any, ...]]) -> dict[tuple[int | None, str], list[tuple[Any, ...]]]:
    grouped: dict[tuple[int | None, str], list[tuple[Any, ...]]] = defaultdict(list)
    labels: dict[int | None, str] = {}
    for actor_id, label, *rest in rows:
        grouped[(actor_id, labels.setdefault(actor_id, label))].append(tuple(rest))
    return grouped


def anomalies(*, site_ids: Sequence[int] | None, start: datetime, end: datetime) -> list[Anomaly]:
    """Accounts with more than DENIED_LIMIT refusals within DENIED_WINDOW, or more than PERSONS_LIMIT
    persons opened or listed within PERSONS_WINDOW, between `start` and `end`."""
    entries = (
        _in_scope(AccessLogEntry, site_ids).filter(at__gte=start, at__lte=end).order_by("actor_id", "at")
    )
    found = []
    denied = entries.filter(outcome=AccessLogEntry.Outcome.DENIED).values_list(
        "actor_id", "actor_label", "at"
    )
    for (actor_id, label), rows in _by_actor(denied).items():
        times = [at for (at,) in rows]
        count, first = _peak(times, [[str(index)] for index in range(len(times))], DENIED_WINDOW)
        if count > DENIED_LIMIT:
            found.append(Anomaly(actor_id, label, "denied", count, times[first]))
    persons = entries.filter(outcome=AccessLogEntry.Outcome.ALLOWED, content_type=_content_type(PERSON))
    for (actor_id, label), rows in _by_actor(
        persons.values_list("actor_id", "actor_label", "at", "record_ids")
    ).items():
        times = [at for at, __ in rows]
        count, first = _peak(times, [[str(value) for value in ids] for __, ids in rows], PERSONS_WINDOW)
        if count > PERSONS_LIMIT:
            found.append(Anomaly(actor_id, label, "persons", count, times[first]))
    return sorted(found, key=lambda anomaly: (anomaly.start, anomaly.actor_label))


# The breach question: which persons did an account see?


@dataclass(frozen=True)
class SeenPerson:
    """A person whose data the account saw: how often (access-log rows) and when first and last."""

    person_id: int
    last_name: str
    first_name: str
    site_name: str
    times: int
    first: datetime
    last: datetime
    restricted: bool
    anonymised: bool


@dataclass(frozen=True)
class BreachAnswer:
    persons: list[SeenPerson]
    denied: int  # refused attempts of the account in the window
    reads: int  # allowed access-log rows of the account in the window


def _persons_of(ids_by_type: dict[int, set[str]]) -> dict[tuple[int, str], int]:
    """(content type id, record id) → person id, one query per record type (not per row)."""
    types = ContentType.objects.in_bulk(list(ids_by_type))
    paths = person_paths()
    owner: dict[tuple[int, str], int] = {}
    for type_id, ids in ids_by_type.items():
        model = types[type_id].model_class() if type_id in types else None
        label = model._meta.label if model is not None else ""
        numeric = [int(value) for value in ids if value.isdigit()]
        if label not in paths or not numeric:
            continue  # records that are about no person (sites, reports)
        if label == PERSON:
            owner.update({(type_id, str(pk)): pk for pk in numeric})
            continue
        rows = model._base_manager.filter(pk__in=numeric, **{f"{paths[label]}__isnull": False})  # type: ignore[union-attr]
        owner.update({(type_id, str(pk)): person for pk, person in rows.values_list("pk", paths[label])})
    return owner


def persons_seen(
    *, actor_id: int, start: datetime, end: datetime, site_ids: Sequence[int] | None, show_restricted: bool
) -> BreachAnswer:
    """Every person whose data the account read between `start` and `end` (its allowed access-log rows,
    each record resolved to its person), with the number of refused attempts in the same window.

    Names of restricted persons are left empty unless `show_restricted` (the data protection officer).
    """
    window = _in_scope(AccessLogEntry, site_ids).filter(actor_id=actor_id, at__gte=start, at__lte=end)
    rows = list(
        window.filter(outcome=AccessLogEntry.Outcome.ALLOWED, content_type__isnull=False)
        .order_by("at", "pk")
        .values_list("at", "content_type_id", "record_ids")
    )
    ids_by_type: dict[int, set[str]] = defaultdict(set)
    for __, type_id, ids in rows:
        ids_by_type[type_id].update(str(value) for value in ids)
    owner = _persons_of(ids_by_type)
    seen: dict[int, list[datetime]] = defaultdict(list)
    for at, type_id, ids in rows:
        for person_id in {owner.get((type_id, str(value))) for value in ids} - {None}:
            seen[person_id].append(at)  # type: ignore[index]
    person_model = apps.get_model(PERSON)
    persons = person_model._base_manager.filter(pk__in=list(seen)).select_related("site")
    if site_ids is not None:
        persons = persons.filter(site_id__in=site_ids)
    found = []
    for person in persons:
        hidden = person.restricted_at is not None and not show_restricted
        times = seen[person.pk]
        found.append(
            SeenPerson(
                person_id=person.pk,
                last_name="" if hidden else person.last_name,
                first_name="" if hidden else person.first_name,
                site_name=person.site.name,
                times=len(times),
                first=times[0],
                last=times[-1],
                restricted=person.restricted_at is not None,
                anonymised=person.anonymised_at is not None,
            )
        )
    found.sort(
        key=lambda seen_person: (
            seen_person.last_name.lower(),
            seen_person.first_name.lower(),
            seen_person.person_id,
        )
    )
    denied = window.filter(outcome=AccessLogEntry.Outcome.DENIED).count()
    return BreachAnswer(found, denied, len(rows))
