"""Everything INKA holds about one person (Art. 15 GDPR, § 83 SGB X), as JSON (Art. 20) and as PDF.

The records come from the person graph (`graph.records_of`) and their fields from the field
registry, so a model or field added later is exported without anyone remembering it. Nothing of
another person is included: shared records are reached only through this person's own rows (a
community session only as this person's attendance), a link to another person shows no name, and
free texts that name another person of the site are flagged for review before release.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inka.cases.models import Person
from inka.core.audit import ACTION_LABELS, json_value
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.pdf import css_string, html_to_pdf, page_counter_css
from inka.core.registry import Activity, activity_of, field_registry, model_fields, verbose_name
from inka.privacy.graph import PERSON, records_of
from inka.privacy.models import ContestedValue

# Words that may be names: a capital letter, then letters (hyphenated names also count part by part).
NAME_WORD = re.compile(r"\b[A-ZÄÖÜ][^\W\d_]+(?:-[A-ZÄÖÜ][^\W\d_]+)*")


def review_text() -> str:
    return _("check before release (names another person)")


@dataclass
class FieldValue:
    name: str
    label: str
    value: Any  # as JSON holds it (dates as ISO strings, links as ids)
    display: str  # as a person reads it (choice labels, names, German dates)
    coded: bool = False  # a choice or a link: JSON carries the display text next to the value
    contested: ContestedValue | None = None
    review: bool = False


@dataclass
class Record:
    pk: Any
    fields: list[FieldValue]

    @property
    def review(self) -> bool:
        return any(value.review for value in self.fields)


@dataclass
class RecordType:
    label: str  # the model label, e.g. "cases.Contact"
    model: type[models.Model]
    name: str
    singular: str
    activity: Activity | None  # purpose, legal basis, storage period, recipients, source
    records: list[Record]
    same_as: str = ""  # the earlier record type with the same activity (the PDF refers to it)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: datetime
    actor: str
    role: str
    action: str
    action_label: str
    record_type: str
    record_id: str
    changes: list[Change]
    review: bool = False


@dataclass
class AccessRow:
    at: datetime
    actor: str
    role: str
    action: str
    record_type: str
    reason: str


@dataclass
class Export:
    person: Person
    generated_at: datetime
    generated_by: str
    record_types: list[RecordType]
    recipients: list[dict[str, str]]
    consents: list[dict[str, str]]
    history: list[HistoryRow]
    access: list[AccessRow]
    contested: list[ContestedValue] = field(default_factory=list)

    @property
    def review_count(self) -> int:
        records = sum(record.review for kind in self.record_types for record in kind.records)
        return records + sum(row.review for row in self.history)


def _registry_fields(label: str, model: type[models.Model]) -> list[Any]:
    """The fields the registry classifies for the model, in the model's order."""
    names = field_registry().get(label, {})
    return [item for item in model_fields(model) if item.name in names]


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def _plain(value: Any) -> str:
    """A value as a person reads it."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _related_display(model_field: Any, obj: Any, subject: Person) -> str:
    if obj is None:
        return "–"
    if isinstance(obj, Person):
        # A link to someone else never shows who it is.
        return str(subject) if obj.pk == subject.pk else _("another person")
    if model_field.related_model is ContentType:
        model = obj.model_class()
        return str(model._meta.verbose_name) if model else obj.model
    if obj._meta.label == settings.AUTH_USER_MODEL:
        return _user_name(obj)
    return str(obj)


def _field_value(record: models.Model, model_field: Any, subject: Person) -> FieldValue:
    label = verbose_name(model_field)
    if model_field.many_to_many:
        accessor = model_field.name if model_field.concrete else model_field.get_accessor_name()
        related = list(getattr(record, accessor).all())
        return FieldValue(
            model_field.name,
            label,
            [item.pk for item in related],
            ", ".join(_related_display(model_field, item, subject) for item in related) or "–",
            coded=True,
        )
    if model_field.is_relation:
        raw = getattr(record, model_field.attname)
        obj = getattr(record, model_field.name) if raw is not None else None
        return FieldValue(
            model_field.name,
            label,
            json_value(raw),
            _related_display(model_field, obj, subject),
            coded=True,
        )
    raw = getattr(record, model_field.attname)
    if model_field.choices:
        display = dict(model_field.flatchoices).get(raw, raw)
        return FieldValue(model_field.name, label, json_value(raw), _plain(display), coded=True)
    return FieldValue(model_field.name, label, json_value(raw), _plain(raw))


def _is_free_text(label: str, model_field: Any) -> bool:
    """Notes and other texts typed by staff (the person's own name fields are not "mentions")."""
    return (
        label != PERSON
        and isinstance(model_field, (models.CharField, models.TextField))
        and not model_field.choices
        and model_field.editable
    )


def _words(text: str) -> set[str]:
    words = set()
    for match in NAME_WORD.findall(text):
        words.add(match)
        words.update(match.split("-"))
    return words


def _other_names(person: Person, texts: Iterable[str]) -> set[str]:
    """Last names of other persons of the site that occur as words in `texts`, in one query."""
    words = set().union(*(_words(text) for text in texts))
    if not words:
        return set()
    names = Person._base_manager.filter(site_id=person.site_id, last_name__in=sorted(words))
    return set(names.exclude(pk=person.pk).values_list("last_name", flat=True))


def _names_another(text: Any, names: set[str]) -> bool:
    return isinstance(text, str) and bool(names) and not _words(text).isdisjoint(names)


def _activity(label: str) -> Activity | None:
    try:
        return activity_of(label)
    except LookupError:
        return None


def _contested(person: Person) -> dict[tuple[int, str, str], ContestedValue]:
    values = ContestedValue._base_manager.filter(person=person, resolved_on=None).select_related(
        "content_type"
    )
    return {(value.content_type_id, str(value.object_id), value.field_name): value for value in values}


def _records(person: Person, contested: dict[tuple[int, str, str], ContestedValue]) -> list[RecordType]:
    kinds = []
    for label, queryset in records_of([person.pk]).items():
        model = queryset.model
        fields = _registry_fields(label, model)
        links = [f.name for f in fields if f.is_relation and not f.many_to_many]
        several = [f.name if f.concrete else f.get_accessor_name() for f in fields if f.many_to_many]
        rows = list(queryset.select_related(*links).prefetch_related(*several))
        if not rows:
            continue
        content_type = ContentType.objects.get_for_model(model)
        records = []
        for row in rows:
            values = [_field_value(row, model_field, person) for model_field in fields]
            for value in values:
                value.contested = contested.get((content_type.pk, str(row.pk), value.name))
            records.append(Record(row.pk, values))
        names = str(model._meta.verbose_name_plural), str(model._meta.verbose_name)
        kinds.append(RecordType(label, model, *names, _activity(label), records))
    first: dict[str, str] = {}
    for kind in kinds:
        if kind.activity is not None:
            earlier = first.setdefault(kind.activity.key, kind.name)
            kind.same_as = "" if earlier == kind.name else earlier
    return kinds


def _flag_texts(person: Person, kinds: list[RecordType], history: list[HistoryRow]) -> None:
    """Mark free texts (and changes of them) that name another person of the site."""
    texts: list[tuple[FieldValue | Change | None, str]] = []
    free: dict[str, set[str]] = {}
    for kind in kinds:
        fields = _registry_fields(kind.label, kind.model)
        free[kind.label] = {f.name for f in fields if _is_free_text(kind.label, f)}
        for record in kind.records:
            texts += [(value, value.value) for value in record.fields if value.name in free[kind.label]]
    for row in history:
        texts += [(change, f"{change.old} {change.new}") for change in row.changes]
    names = _other_names(person, [text for _, text in texts if isinstance(text, str)])
    if not names:
        return
    for kind in kinds:
        for record in kind.records:
            for value in record.fields:
                value.review = value.name in free.get(kind.label, set()) and _names_another(
                    value.value, names
                )
    for row in history:
        row.review = any(_names_another(f"{change.old} {change.new}", names) for change in row.changes)


def _record_keys(kinds: list[RecordType]) -> dict[int, set[str]]:
    """{content type id: {record ids}} of the exported records."""
    return {
        ContentType.objects.get_for_model(kind.model).pk: {str(record.pk) for record in kind.records}
        for kind in kinds
    }


def _history(keys: dict[int, set[str]], subject: Person) -> list[HistoryRow]:
    """The change history of the person's records, oldest first."""
    condition = models.Q(pk__in=[])
    for content_type_id, ids in keys.items():
        condition |= models.Q(content_type_id=content_type_id, object_id__in=sorted(ids))
    entries = AuditEntry.objects.filter(condition).select_related("content_type").order_by("at", "pk")
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        changes = []
        for name, pair in sorted(entry.changes.items()):
            old, new = [*pair, None, None][:2] if isinstance(pair, list) else [None, pair]
            change = Change(
                _label_of(model, name), _change_text(model, name, old), _change_text(model, name, new)
            )
            if change.old or change.new:  # "nothing" → "empty" at creation is no change worth reading
                changes.append(change)
        rows.append(
            HistoryRow(
                at=entry.at,
                actor=entry.actor_label or _("the system"),
                role=entry.role,
                action=entry.action,
                action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
                record_type=str(model._meta.verbose_name) if model else "",
                record_id=entry.object_id,
                changes=changes,
            )
        )
    return rows


def _label_of(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except Exception:  # a field that no longer exists keeps its code
        return name


def _change_text(model: Any, name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        model_field = model._meta.get_field(name) if model else None
    except Exception:
        model_field = None
    if model_field is not None and model_field.choices and not isinstance(value, list):
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field is not None and model_field.related_model is Person:
        return _("another person") if isinstance(value, int) else str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _access_rows(person: Person, keys: dict[int, set[str]]) -> list[AccessRow]:
    """Who saw the person's records, when, in which role (site staff by name)."""
    entries = (
        AccessLogEntry.objects.filter(content_type_id__in=list(keys), outcome=AccessLogEntry.Outcome.ALLOWED)
        .filter(site_id=person.site_id)
        .select_related("content_type")
        .order_by("at", "pk")
    )
    rows = []
    for entry in entries.iterator():
        ids = {str(value) for value in entry.record_ids} or {entry.object_id}
        if ids & keys.get(entry.content_type_id or 0, set()):
            model = entry.content_type.model_class() if entry.content_type else None
            rows.append(
                AccessRow(
                    at=entry.at,
                    actor=entry.actor_label,
                    role=entry.role,
                    action=entry.action,
                    record_type=str(model._meta.verbose_name) if model else "",
                    reason=entry.reason,
                )
            )
    return rows


def _summaries(kinds: list[RecordType]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Recipients of referrals and shared data; the consents the person gave."""
    by_label = {kind.label: kind.records for kind in kinds}
    recipients, consents = [], []

    def values(record: Record) -> dict[str, str]:
        return {value.name: value.display for value in record.fields}

    for record in by_label.get("cases.Referral", []):
        row = values(record)
        recipients.append(
            {
                "recipient": row["partner"],
                "date": row["sent_on"],
                "purpose": row["purpose"],
                "status": row["status"],
            }
        )
    for record in by_label.get("cases.Consent", []):
        row = values(record)
        partner = row["partner"] if row["partner"] != "–" else row["partner_kind"]
        consents.append(
            {
                "purpose": row["purpose"],
                "recipient": partner if partner != "–" else "",
                "given_on": row["given_on"],
                "expires_on": row["expires_on"],
                "withdrawn_on": row["withdrawn_on"],
            }
        )
    return recipients, consents


def build_export(person: Person, *, by: Any) -> Export:
    """Everything about `person`, read unscoped (callers have checked the right to run it)."""
    contested = _contested(person)
    kinds = _records(person, contested)
    keys = _record_keys(kinds)
    history = _history(keys, person)
    _flag_texts(person, kinds, history)
    recipients, consents = _summaries(kinds)
    return Export(
        person=person,
        generated_at=timezone.now(),
        generated_by=_user_name(by),
        record_types=kinds,
        recipients=recipients,
        consents=consents,
        history=history,
        access=_access_rows(person, keys),
        contested=list(contested.values()),
    )


def _activity_json(activity: Any) -> dict[str, str] | None:
    if activity is None:
        return None
    keys = ("name", "purpose", "legal_basis", "recipients", "retention", "source")
    return {key: str(getattr(activity, key, "") or "") for key in keys}


def _field_json(value: FieldValue) -> dict[str, Any]:
    data: dict[str, Any] = {"field": value.name, "label": value.label, "value": value.value}
    if value.coded:
        data["display"] = value.display
    if value.contested is not None:
        data["contested"] = {
            "since": value.contested.contested_on.isoformat(),
            "statement": value.contested.statement,
        }
    if value.review:
        data["review"] = review_text()
    return data


def as_json(export: Export) -> bytes:
    """The machine-readable copy (Art. 20 GDPR): every record with every field, UTF-8 JSON."""
    person = export.person
    data = {
        "format": "inka-data-subject-export/1",
        "generated_at": export.generated_at.isoformat(),
        "generated_by": export.generated_by,
        "controller": person.site.name,
        "person": {"id": person.pk, "name": f"{person.first_name} {person.last_name}"},
        "review_needed": export.review_count,
        "recipients": export.recipients,
        "consents": export.consents,
        "records": [
            {
                "type": kind.label,
                "name": kind.name,
                "processing": _activity_json(kind.activity),
                "items": [
                    {
                        "id": record.pk,
                        "fields": [_field_json(value) for value in record.fields],
                        **({"review": review_text()} if record.review else {}),
                    }
                    for record in kind.records
                ],
            }
            for kind in export.record_types
        ],
        "history": [
            {
                "at": row.at.isoformat(),
                "by": row.actor,
                "role": row.role,
                "action": row.action,
                "action_label": row.action_label,
                "record_type": row.record_type,
                "record_id": row.record_id,
                "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in row.changes],
                **({"review": review_text()} if row.review else {}),
            }
            for row in export.history
        ],
        "access_log": [
            {
                "at": row.at.isoformat(),
                "by": row.actor,
                "role": row.role,
                "action": row.action,
                "record_type": row.record_type,
                **({"reason": row.reason} if row.reason else {}),
            }
            for row in export.access
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def export_context(export: Export) -> dict[str, Any]:
    return {"export": export, "person": export.person, "review_label": review_text()}


def pdf_html(export: Export) -> str:
    """The HTML the PDF is made of (German, with the page counter in the footer)."""
    title = _("Information about your data")
    return render_to_string(
        "privacy/export_pdf.html",
        {
            **export_context(export),
            "title": title,
            "page_counter": page_counter_css(),
            "footer_css": css_string(f"{title} · {export.person.site.name}"),
        },
    )


def as_pdf(export: Export) -> bytes:
    """The readable copy: a tagged PDF (PDF/UA-1) with "Page X of Y"."""
    return html_to_pdf(pdf_html(export))


def file_stem(person: Person, day: date) -> str:
    """No name in the file name: it may end up in logs and download folders."""
    return f"auskunft-person-{person.pk}-{day.isoformat()}"


def as_zip(export: Export, stem: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.json", as_json(export))
        archive.writestr(f"{stem}.pdf", as_pdf(export))
    return buffer.getvalue()
