"""Import and export of ESF participations (ESF.md "Import format"), in three file formats.

* JSON Lines (`.jsonl`): one participation per line, exactly as ESF.md shows.
* XLSX (`.xlsx`): four sheets `participations`, `exit_events`, `qualifications`, `education_starts`.
* CSV (`.zip`): a ZIP file holding `participations.csv`, `exit_events.csv`, `qualifications.csv` and
  `education_starts.csv` (UTF-8, comma or semicolon, header row).

In XLSX and CSV the first row names the columns. A participation's stays are the `stays` column,
`2024-11-04/2024-12-20; 2025-03-03/2025-06-30` (an open last stay ends with `/`), or for a single
stay the columns `entry_date` and `exit_date`. The other three tables are keyed by `participation_id`
with the columns `date, type`, `date, title, recognised` and `date, title`. docs/esf.md describes
the layout for the carriers' staff.

An import is checked completely before anything is written; a file with a problem writes nothing,
and a valid file is written in one transaction. Participations are matched on `participation_id`:
a record in the file replaces the stored one (with its stays and results), an identical one is left
alone, so importing the same file twice changes nothing.
"""

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from inka.core.audit import diff, json_value
from inka.core.cleaning import lf
from inka.core.models import AccessLogEntry, AuditEntry
from inka.core.spreadsheets import Sheet, cell_value, unescape_formula, write_workbook
from inka.esf.codes import (
    GENDERS,
    NOT_ASKED,
    Answer,
    ExitEventType,
    FollowUpStatus,
    ImprovementReason,
    LabourStatus,
    Rural,
    SchoolCertificate,
    VocationalQualification,
)
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification, Stay
from inka.esf.records import ExitEvent as EventRecord
from inka.esf.records import Qualification as QualificationRecord
from inka.esf.records import Stay as StayRecord
from inka.programme.models import Site

FORMATS = ("jsonl", "xlsx", "csv")
EXTENSIONS = {".jsonl": "jsonl", ".xlsx": "xlsx", ".zip": "csv"}
TABLES = ("participations", "exit_events", "qualifications", "education_starts")
CHILD_COLUMNS = {
    "exit_events": ("participation_id", "date", "type"),
    "qualifications": ("participation_id", "date", "title", "recognised"),
    "education_starts": ("participation_id", "date", "title"),
}
# A CSV ZIP unpacks to at most this much text; more is no participant list but a ZIP bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_WRITE_BATCH = 500
_UPDATE_BATCH = 100


@dataclass(frozen=True)
class _Field:
    """A participation field of the file: how its value is read, and stored in the model."""

    name: str
    kind: str  # text | code | answer | rural | date | bool | flag | isced | note | stays
    choices: tuple[str, ...] = ()


_ANSWERS = (*Answer.values, NOT_ASKED)
# The participation columns in file order; ESF.md's fields first, then the rest of the entry questionnaire
# and follow-up, so that an export carries everything the import can store.
FIELDS = (
    _Field("participation_id", "text"),
    _Field("person_key", "text"),
    _Field("site", "text"),
    _Field("gender", "code", GENDERS),
    _Field("date_of_birth", "date"),
    _Field("stays", "stays"),
    _Field("labour_status_at_entry", "code", tuple(LabourStatus.values)),
    _Field("self_employed", "flag"),
    _Field("unemployed_since", "date"),
    _Field("in_education_or_training_at_entry", "bool"),
    _Field("isced_level", "isced"),
    _Field("school_certificate", "code", tuple(SchoolCertificate.values)),
    _Field("vocational_qualification", "code", tuple(VocationalQualification.values)),
    _Field("disability", "answer", _ANSWERS),
    _Field("third_country_national", "answer", _ANSWERS),
    _Field("foreign_background", "answer", _ANSWERS),
    _Field("minority", "answer", _ANSWERS),
    _Field("other_disadvantaged", "answer", _ANSWERS),
    _Field("homeless_or_housing_exclusion", "answer", _ANSWERS),
    _Field("rural", "rural", tuple(Rural.values)),
    _Field("household_jobless", "answer", _ANSWERS),
    _Field("household_dependent_children", "answer", _ANSWERS),
    _Field("household_single_adult", "answer", _ANSWERS),
    _Field("followup_6m_status", "code", tuple(FollowUpStatus.values)),
    _Field("followup_6m_improved", "bool"),
    _Field("followup_6m_improvement", "code", tuple(ImprovementReason.values)),
    _Field("followup_6m_recorded_on", "date"),
    _Field("leaflet_acknowledged_on", "date"),
    _Field("sensitive_asked_on", "date"),
    _Field("exit_no_answer_reason", "note"),
)
COLUMNS = tuple(item.name for item in FIELDS)
# The model fields an import sets (besides site, participation_id and the dates of the stays).
STORED_FIELDS = tuple(item.name for item in FIELDS if item.name not in ("participation_id", "site", "stays"))
_REQUIRED = ("participation_id", "person_key", "site")  # without them a record cannot be matched or placed
_SINGLE_STAY = ("entry_date", "exit_date")
_JSON_LISTS = ("exit_events", "education_training_starts", "qualifications")
_JSON_KEYS = frozenset((*COLUMNS, *_SINGLE_STAY, *_JSON_LISTS))
_SHEET_KEYS = frozenset((*COLUMNS, *_SINGLE_STAY))
_TEXT_LIMITS = {
    "participation_id": Participation._meta.get_field("participation_id").max_length,
    "person_key": Participation._meta.get_field("person_key").max_length,
    "title": Qualification._meta.get_field("title").max_length,
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


class UnsupportedFileError(ValueError):
    """The file name has no extension INKA can import or export."""


@dataclass(frozen=True)
class Problem:
    """Why an import is refused: where (table and row, or line), which field, and the reason."""

    row: int | None  # the line of a JSON Lines file; the row of a sheet or CSV file (header = 1)
    field: str | None
    reason: str
    table: str | None = None  # the sheet or CSV file; None for JSON Lines


@dataclass(frozen=True)
class EducationStartData:
    date: date
    title: str


@dataclass(frozen=True)
class ParticipationData:
    """One participation as a file carries it, with the values in the form the model stores them."""

    participation_id: str
    site: str  # the site's short code
    fields: Mapping[str, Any]  # STORED_FIELDS
    stays: tuple[StayRecord, ...]
    exit_events: tuple[EventRecord, ...] = ()
    education_starts: tuple[EducationStartData, ...] = ()
    qualifications: tuple[QualificationRecord, ...] = ()
    row: int | None = None  # where the record was read: line or row; None for a stored participation
    table: str | None = None

    def problem(self, name: str, reason: str) -> Problem:
        return Problem(self.row, name, reason, self.table)

    def snapshot(self) -> dict[str, Any]:
        """Every value as JSON, to compare a file's record with the stored one and to audit the change."""
        return {
            "site": self.site,
            **{name: json_value(self.fields[name]) for name in STORED_FIELDS},
            "stays": [[json_value(stay.entry), json_value(stay.exit)] for stay in self.stays],
            # Python's sort is stable: events of one day keep their order, which decides which one counts.
            "exit_events": [
                [event.date.isoformat(), event.type] for event in sorted(self.exit_events, key=_by_date)
            ],
            "education_training_starts": [
                [start.date.isoformat(), start.title] for start in sorted(self.education_starts, key=_by_date)
            ],
            "qualifications": [
                [item.date.isoformat(), item.title, item.recognised]
                for item in sorted(self.qualifications, key=_by_date)
            ],
        }


def _by_date(item: EventRecord | EducationStartData | QualificationRecord) -> date:
    return item.date


@dataclass(frozen=True)
class ImportResult:
    """What an import did, or with `dry_run` would do; nothing is written while there are problems."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: tuple[Problem, ...] = ()
    written: bool = False


# --- reading files --------------------------------------------------------------------------------------


class _InvalidValueError(Exception):
    """A value that cannot be read; the message is the reason shown to the user."""


@dataclass
class _Spot:
    """Where a value comes from; `prefix` names the item inside a JSON line, e.g. "exit_events[2]."."""

    table: str | None
    row: int
    prefix: str = ""

    def problem(self, name: str | None, reason: str) -> Problem:
        return Problem(
            self.row, f"{self.prefix}{name}" if name else self.prefix.rstrip(".") or None, reason, self.table
        )

    def inner(self, prefix: str) -> "_Spot":
        return _Spot(self.table, self.row, self.prefix + prefix)


@dataclass
class _Item:
    """One exit event, qualification or education start as read, before its values are checked."""

    spot: _Spot
    values: Any  # a mapping; in JSON an education start may also be a bare date


@dataclass
class _Raw:
    """One participation as read, before its values are checked."""

    spot: _Spot
    values: dict[str, Any]
    exit_events: list[_Item] = field(default_factory=list)
    education_starts: list[_Item] = field(default_factory=list)
    qualifications: list[_Item] = field(default_factory=list)


def file_format(name: str) -> str:
    """The format of a file by its extension: jsonl, xlsx or csv (a ZIP of CSV files)."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in EXTENSIONS:
        raise UnsupportedFileError(
            _("INKA reads and writes .jsonl, .xlsx and .zip (CSV files) only, not “%(name)s”.")
            % {"name": name}
        )
    return EXTENSIONS[suffix]


def _read_jsonl(content: bytes) -> tuple[list[_Raw], list[Problem]]:
    problems: list[Problem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(None, None, _("The file is not UTF-8 text."))]
    raws = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        spot = _Spot(None, number)
        try:
            values = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(
                spot.problem(None, _("This is not valid JSON: %(error)s.") % {"error": error.msg})
            )
            continue
        if not isinstance(values, dict):
            problems.append(spot.problem(None, _("A line must hold one JSON object.")))
            continue
        problems.extend(spot.problem(key, _("Unknown field.")) for key in values if key not in _JSON_KEYS)
        raw = _Raw(spot, {key: value for key, value in values.items() if key not in _JSON_LISTS})
        for key, target in (
            ("exit_events", raw.exit_events),
            ("education_training_starts", raw.education_starts),
            ("qualifications", raw.qualifications),
        ):
            items = values.get(key)
            if items is None:
                continue
            if not isinstance(items, list):
                problems.append(spot.problem(key, _("Expected a list.")))
                continue
            target.extend(_Item(spot.inner(f"{key}[{index}]."), item) for index, item in enumerate(items, 1))
        raws.append(raw)
    return raws, problems


def _read_tables(tables: Mapping[str, Sequence[Sequence[Any]]]) -> tuple[list[_Raw], list[Problem]]:
    """Participations from the rows of the four tables (sheets or CSV files), header row first."""
    problems: list[Problem] = []
    allowed = {
        "participations": _SHEET_KEYS,
        **{name: frozenset(cols) for name, cols in CHILD_COLUMNS.items()},
    }
    rows: dict[str, list[tuple[_Spot, dict[str, Any]]]] = {}
    for table in TABLES:
        if table not in tables:
            continue
        header, *table_rows = tables[table] or [()]
        names = [str(name).strip() if (name := _table_value(value)) is not None else None for value in header]
        for name in names:
            if name is not None and name not in allowed[table]:
                problems.append(Problem(1, name, _("Unknown column."), table))
        rows[table] = []
        for number, row in enumerate(table_rows, start=2):
            cells = [(name, _table_value(value)) for name, value in zip(names, row, strict=False)]
            if any(name is None and value is not None for name, value in cells):
                problems.append(Problem(number, None, _("A value stands in a column without a name."), table))
            values = {name: value for name, value in cells if name in allowed[table]}
            if any(value is not None for value in values.values()):
                rows[table].append((_Spot(table, number), values))
    if "participations" not in rows:
        problems.append(Problem(None, None, _("The table “participations” is missing."), "participations"))
        return [], problems
    raws = [_Raw(spot, values) for spot, values in rows["participations"]]
    by_id: dict[str, _Raw] = {}
    for raw in raws:
        key = _key(raw.values.get("participation_id"))
        if key is not None:
            by_id.setdefault(key, raw)
    for table, attribute in (
        ("exit_events", "exit_events"),
        ("qualifications", "qualifications"),
        ("education_starts", "education_starts"),
    ):
        for spot, values in rows.get(table, ()):
            key = _key(values.pop("participation_id", None))
            if key is None:
                problems.append(spot.problem("participation_id", _("This field is required.")))
            elif key not in by_id:
                problems.append(
                    spot.problem(
                        "participation_id", _("No participation with this ID in the table “participations”.")
                    )
                )
            else:
                getattr(by_id[key], attribute).append(_Item(spot, values))
    return raws, problems


def _table_value(value: Any) -> Any:
    """A cell as the import reads it: un-escaped (see inka.core.spreadsheets), empty text as None."""
    if isinstance(value, str):
        value = unescape_formula(value)
        return value if value.strip() else None
    return value


def _key(value: Any) -> str | None:
    try:
        return _text(value)
    except _InvalidValueError:
        return None


def _read_xlsx(content: bytes) -> tuple[list[_Raw], list[Problem]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a file that is no workbook
        return [], [Problem(None, None, _("The file is not an XLSX workbook."))]
    try:
        tables = {}
        problems = []
        for worksheet in workbook.worksheets:
            if worksheet.title in TABLES:
                tables[worksheet.title] = list(worksheet.iter_rows(values_only=True))
            elif any(value is not None for row in worksheet.iter_rows(values_only=True) for value in row):
                problems.append(Problem(None, None, _("Unknown sheet."), worksheet.title))
        raws, table_problems = _read_tables(tables)
        return raws, problems + table_problems
    finally:
        workbook.close()


def _read_csv_zip(content: bytes) -> tuple[list[_Raw], list[Problem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        return [], [Problem(None, None, _("The file is not a ZIP file."))]
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            return [], [Problem(None, None, _("The ZIP file is too large."))]
        tables: dict[str, list[list[str]]] = {}
        problems = []
        for info in members:
            name = info.filename.rsplit("/", 1)[-1]
            if name.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue  # the resource files some systems add when they pack a ZIP
            table = name.removesuffix(".csv")
            if not name.endswith(".csv") or table not in TABLES:
                problems.append(Problem(None, None, _("Unknown file in the ZIP file."), info.filename))
                continue
            if table in tables:
                problems.append(Problem(None, None, _("This file is twice in the ZIP file."), name))
                continue
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.append(Problem(None, None, _("The file is not UTF-8 text."), table))
                continue
            first_line = text.split("\n", 1)[0]
            # Spreadsheet programs set to German save CSV with semicolons.
            delimiter = ";" if ";" in first_line and "," not in first_line else ","
            tables[table] = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    raws, table_problems = _read_tables(tables)
    return raws, problems + table_problems


# --- checking values ------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet keeps a numeric ID as a number
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _InvalidValueError(_("Expected text."))
    return value.strip() or None


def _limited_text(value: Any, name: str) -> str | None:
    text = _text(value)
    limit = _TEXT_LIMITS.get(name)
    if text is not None and limit is not None and len(text) > limit:
        raise _InvalidValueError(_("At most %(limit)d characters.") % {"limit": limit})
    return text


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        german = _GERMAN_DATE.fullmatch(text)
        try:
            if german:
                return date(int(german[3]), int(german[2]), int(german[1]))
            if _DATE.fullmatch(text):
                return date.fromisoformat(text)
        except ValueError:
            pass
    raise _InvalidValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "ja", "nein"):
        return value.strip().lower() in ("true", "ja")
    raise _InvalidValueError(_("Expected true or false."))


def _code(value: Any, choices: Sequence[str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if text not in choices:
        raise _InvalidValueError(
            _("Unknown value “%(value)s”; allowed are %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)}
        )
    return str(text)


def _isced(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 8:
        raise _InvalidValueError(_("Unknown value “%(value)s”; allowed are 0 to 8.") % {"value": value})
    return value


def _stored(item: _Field, value: Any) -> Any:
    """The model's value of a participation field from the file's value."""
    if item.kind == "code":
        return _code(value, item.choices) or ""
    if item.kind == "answer":
        answer = _code(value, item.choices)
        return "" if answer in (None, NOT_ASKED) else answer
    if item.kind == "rural":
        return _code(value, item.choices) or Rural.UNKNOWN.value
    if item.kind == "date":
        return _date(value)
    if item.kind == "bool":
        return _bool(value)
    if item.kind == "flag":
        return bool(_bool(value))
    if item.kind == "isced":
        return _isced(value)
    if item.kind == "note":
        return lf(_text(value) or "")
    return _limited_text(value, item.name)


class _Checker:
    """Turns what was read into participation data, collecting every problem on the way."""

    def __init__(self, site_codes: Iterable[str]) -> None:
        self.site_codes = frozenset(site_codes)
        self.problems: list[Problem] = []

    def value(self, spot: _Spot, name: str, read: Any) -> Any:
        """`read()` of one value; on failure the problem is recorded and None returned."""
        try:
            return read()
        except _InvalidValueError as error:
            self.problems.append(spot.problem(name, str(error)))
            return None

    def participation(self, raw: _Raw) -> ParticipationData | None:
        spot, values = raw.spot, raw.values
        before = len(self.problems)
        read: dict[str, Any] = {}
        for item in FIELDS:
            if item.name == "stays":
                continue
            count = len(self.problems)
            read[item.name] = self.value(
                spot, item.name, lambda item=item: _stored(item, values.get(item.name))
            )
            if item.name in _REQUIRED and read[item.name] is None and len(self.problems) == count:
                self.problems.append(spot.problem(item.name, _("This field is required.")))
            if item.name == "site" and read["site"] is not None and read["site"] not in self.site_codes:
                self.problems.append(
                    spot.problem("site", _("Unknown site “%(code)s”.") % {"code": read["site"]})
                )
        fields = {name: read[name] for name in STORED_FIELDS}
        stays = self.stays(spot, values)
        entry = stays[0].entry if stays else None
        events = [self.exit_event(item, entry) for item in raw.exit_events]
        starts = [self.education_start(item, entry) for item in raw.education_starts]
        qualifications = [self.qualification(item, entry) for item in raw.qualifications]
        recorded = fields.get("followup_6m_recorded_on")
        if entry and recorded and recorded < entry:
            self.problems.append(spot.problem("followup_6m_recorded_on", _before_entry(entry)))
        if len(self.problems) > before:
            return None
        return ParticipationData(
            participation_id=read["participation_id"],
            site=read["site"],
            fields=fields,
            stays=stays,
            exit_events=tuple(event for event in events if event is not None),
            education_starts=tuple(start for start in starts if start is not None),
            qualifications=tuple(item for item in qualifications if item is not None),
            row=spot.row,
            table=spot.table,
        )

    def stays(self, spot: _Spot, values: Mapping[str, Any]) -> tuple[StayRecord, ...]:
        given = values.get("stays")
        single = [values.get(name) for name in _SINGLE_STAY]
        if given not in (None, "", []) and any(value not in (None, "") for value in single):
            self.problems.append(
                spot.problem("stays", _("Give either the stays or entry_date and exit_date."))
            )
            return ()
        if isinstance(given, str):
            stays = self.stays_from_text(spot, given)
        elif isinstance(given, list) and given:
            stays = self.stays_from_list(spot, given)
        elif given not in (None, []):
            self.problems.append(spot.problem("stays", _("Expected a list.")))
            return ()
        else:
            entry = self.value(spot, "entry_date", lambda: _date(single[0]))
            exit_ = self.value(spot, "exit_date", lambda: _date(single[1]))
            if entry is None:
                if single[0] in (None, ""):
                    self.problems.append(spot.problem("entry_date", _("The entry date is missing.")))
                return ()
            if exit_ is not None and exit_ < entry:
                self.problems.append(spot.problem("exit_date", _("The exit is before the entry.")))
                return ()
            return (StayRecord(entry, exit_),)
        return self.checked_stays(stays)

    def stays_from_text(self, spot: _Spot, text: str) -> list[tuple[_Spot, str, StayRecord | None]]:
        stays: list[tuple[_Spot, str, StayRecord | None]] = []
        for part in text.split(";"):
            entry_text, slash, exit_text = part.strip().partition("/")
            if not slash or not entry_text.strip():
                reason = _("“%(value)s” is no stay; write entry/exit, e.g. 2024-03-15/2024-09-30.")
                self.problems.append(spot.problem("stays", reason % {"value": part.strip()}))
                continue
            entry = self.value(spot, "stays", lambda entry_text=entry_text: _date(entry_text))
            exit_ = self.value(spot, "stays", lambda exit_text=exit_text: _date(exit_text))
            stays.append((spot, "stays", StayRecord(entry, exit_) if entry else None))
        return stays

    def stays_from_list(self, spot: _Spot, items: list[Any]) -> list[tuple[_Spot, str, StayRecord | None]]:
        stays: list[tuple[_Spot, str, StayRecord | None]] = []
        for index, item in enumerate(items, start=1):
            inner = spot.inner(f"stays[{index}].")
            if not isinstance(item, dict):
                self.problems.append(inner.problem(None, _("Expected an object with entry and exit.")))
                continue
            self.problems.extend(
                inner.problem(key, _("Unknown field.")) for key in item if key not in ("entry", "exit")
            )
            entry = self.value(inner, "entry", lambda item=item: _date(item.get("entry")))
            exit_ = self.value(inner, "exit", lambda item=item: _date(item.get("exit")))
            if entry is None and item.get("entry") in (None, ""):
                self.problems.append(inner.problem("entry", _("The entry date is missing.")))
            stays.append((inner, "", StayRecord(entry, exit_) if entry else None))
        return stays

    def checked_stays(self, stays: list[tuple[_Spot, str, StayRecord | None]]) -> tuple[StayRecord, ...]:
        """The stays in order, if none ends before it begins and none overlaps another.

        Each stay comes with the field to blame: `stays` for the column of a table; empty for a stay of
        a JSON line, where its `entry` or `exit` is named.
        """
        if not stays or any(stay is None for _spot, _name, stay in stays):
            return ()
        ordered = sorted(stays, key=lambda item: item[2].entry)  # type: ignore[union-attr]
        valid = True
        for index, (spot, name, stay) in enumerate(ordered):
            assert stay is not None
            if stay.exit is not None and stay.exit < stay.entry:
                self.problems.append(spot.problem(name or "exit", _("The exit is before the entry.")))
                valid = False
            if index == 0:
                continue
            previous = ordered[index - 1][2]
            assert previous is not None
            if previous.exit is None or stay.entry <= previous.exit:
                self.problems.append(spot.problem(name or "entry", _("This stay overlaps another stay.")))
                valid = False
        return tuple(stay for _spot, _name, stay in ordered if stay is not None) if valid else ()

    def _mapping(self, item: _Item, keys: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(item.values, dict):
            self.problems.append(item.spot.problem(None, _("Expected an object.")))
            return None
        unknown = [key for key in item.values if key not in keys]
        self.problems.extend(item.spot.problem(key, _("Unknown field.")) for key in unknown)
        return item.values

    def _dated(self, item: _Item, values: Mapping[str, Any], entry: date | None) -> date | None:
        day = self.value(item.spot, "date", lambda: _date(values.get("date")))
        if day is None:
            if values.get("date") in (None, ""):
                self.problems.append(item.spot.problem("date", _("This field is required.")))
        elif entry is not None and day < entry:
            self.problems.append(item.spot.problem("date", _before_entry(entry)))
            return None
        return day

    def exit_event(self, item: _Item, entry: date | None) -> EventRecord | None:
        values = self._mapping(item, ("date", "type"))
        if values is None:
            return None
        day = self._dated(item, values, entry)
        kind = self.value(item.spot, "type", lambda: _code(values.get("type"), ExitEventType.values))
        if kind is None and values.get("type") in (None, ""):
            self.problems.append(item.spot.problem("type", _("This field is required.")))
        return EventRecord(day, kind) if day and kind else None

    def education_start(self, item: _Item, entry: date | None) -> EducationStartData | None:
        # ESF.md lists the starts as dates; an object with a title is read as well.
        if not isinstance(item.values, dict):
            item = _Item(item.spot, {"date": item.values})
        values = self._mapping(item, ("date", "title"))
        if values is None:
            return None
        day = self._dated(item, values, entry)
        title = self.value(item.spot, "title", lambda: _limited_text(values.get("title"), "title"))
        return EducationStartData(day, title or "") if day else None

    def qualification(self, item: _Item, entry: date | None) -> QualificationRecord | None:
        values = self._mapping(item, ("date", "title", "recognised"))
        if values is None:
            return None
        day = self._dated(item, values, entry)
        title = self.value(item.spot, "title", lambda: _limited_text(values.get("title"), "title"))
        recognised = self.value(item.spot, "recognised", lambda: _bool(values.get("recognised")))
        # Unsaid, a qualification is recognised, as in the entry form (Qualification.recognised).
        return QualificationRecord(day, title or "", recognised is not False) if day else None


def _before_entry(entry: date) -> str:
    return _("The date is before the entry (%(entry)s).") % {"entry": entry.isoformat()}


def read_participations(*, name: str, content: bytes) -> tuple[list[ParticipationData], list[Problem]]:
    """The participations of a file and every problem in it, checked without the database but for sites."""
    reader = {"jsonl": _read_jsonl, "xlsx": _read_xlsx, "csv": _read_csv_zip}[file_format(name)]
    raws, problems = reader(content)
    checker = _Checker(Site.objects.values_list("code", flat=True))
    read = [(raw, checker.participation(raw)) for raw in raws]
    problems.extend(checker.problems)
    ids: dict[str, int] = {}
    keys: dict[tuple[str, str], int] = {}
    for raw, data in read:
        if data is None:
            continue
        first = ids.setdefault(data.participation_id, raw.spot.row)
        if first != raw.spot.row:
            problems.append(
                raw.spot.problem(
                    "participation_id", _("This participation ID is already in row %(row)d.") % {"row": first}
                )
            )
        key = (data.site, data.fields["person_key"])
        first = keys.setdefault(key, raw.spot.row)
        if first != raw.spot.row:
            problems.append(
                raw.spot.problem(
                    "person_key",
                    _("This person key is already in row %(row)d, at the same site.") % {"row": first},
                )
            )
    return [data for _raw, data in read if data is not None], _sorted(problems)


def _sorted(problems: list[Problem]) -> list[Problem]:
    """The problems by table and row; the sort is stable, so those of one row stay in field order."""
    table_order = {name: index for index, name in enumerate(TABLES)}
    return sorted(
        problems,
        key=lambda problem: (table_order.get(problem.table or "participations", -1), problem.row or 0),
    )


# --- comparing with the database and writing ------------------------------------------------------------


def stored_participations(participations: Iterable[Participation]) -> list[ParticipationData]:
    """The stored participations as file data, with their stays and results, in five queries at most."""
    rows = list(participations)
    ids = [row.pk for row in rows]
    stays: dict[int, list[StayRecord]] = defaultdict(list)
    for stay in Stay.objects.filter(participation_id__in=ids).order_by("entry_date", "pk"):
        stays[stay.participation_id].append(StayRecord(stay.entry_date, stay.exit_date))
    events: dict[int, list[EventRecord]] = defaultdict(list)
    for event in ExitEvent.objects.filter(participation_id__in=ids).order_by("occurred_on", "pk"):
        events[event.participation_id].append(EventRecord(event.occurred_on, event.type))
    starts: dict[int, list[EducationStartData]] = defaultdict(list)
    for start in EducationStart.objects.filter(participation_id__in=ids).order_by("started_on", "pk"):
        starts[start.participation_id].append(EducationStartData(start.started_on, start.title))
    qualifications: dict[int, list[QualificationRecord]] = defaultdict(list)
    for item in Qualification.objects.filter(participation_id__in=ids).order_by("awarded_on", "pk"):
        qualifications[item.participation_id].append(
            QualificationRecord(item.awarded_on, item.title, item.recognised)
        )
    return [
        ParticipationData(
            participation_id=row.participation_id,
            site=row.site.code,
            fields={name: getattr(row, name) for name in STORED_FIELDS},
            # A participation recorded before stays existed has its dates only; read them as one stay.
            stays=tuple(stays[row.pk]) or (StayRecord(row.entry_date, row.exit_date),),
            exit_events=tuple(events[row.pk]),
            education_starts=tuple(starts[row.pk]),
            qualifications=tuple(qualifications[row.pk]),
        )
        for row in rows
    ]


def import_participations(*, name: str, content: bytes, dry_run: bool = False) -> ImportResult:
    """Import a file of participations (ESF.md): all or nothing, one audit entry per changed participation.

    With `dry_run` the file is checked and compared, and nothing is written.
    """
    records, problems = read_participations(name=name, content=content)
    existing = {
        row.participation_id: row
        for row in Participation.objects.filter(
            participation_id__in=[record.participation_id for record in records]
        ).select_related("site")
    }
    problems = _sorted(problems + _database_problems(records, existing))
    if problems:
        return ImportResult(problems=tuple(problems))
    stored = {data.participation_id: data for data in stored_participations(existing.values())}
    created = [record for record in records if record.participation_id not in existing]
    updated = [
        record
        for record in records
        if record.participation_id in existing
        and record.snapshot() != stored[record.participation_id].snapshot()
    ]
    result = ImportResult(
        created=len(created), updated=len(updated), unchanged=len(records) - len(created) - len(updated)
    )
    if dry_run or not (created or updated):
        return result
    _write(created=created, updated=updated, existing=existing, stored=stored)
    return ImportResult(
        created=result.created, updated=result.updated, unchanged=result.unchanged, written=True
    )


def _database_problems(
    records: Sequence[ParticipationData], existing: Mapping[str, Participation]
) -> list[Problem]:
    """Person keys taken by another participation of the site, and participations that would move site."""
    problems = []
    taken = {
        (site, key): participation_id
        for site, key, participation_id in Participation.objects.filter(
            person_key__in={record.fields["person_key"] for record in records}
        ).values_list("site__code", "person_key", "participation_id")
    }
    for record in records:
        other = taken.get((record.site, record.fields["person_key"]))
        if other is not None and other != record.participation_id:
            reason = _("This person key is already used at the site by participation %(id)s.") % {"id": other}
            problems.append(record.problem("person_key", reason))
        stored = existing.get(record.participation_id)
        if stored is not None and stored.site.code != record.site:
            reason = _("The participation belongs to site %(code)s; an import cannot move it.") % {
                "code": stored.site.code
            }
            problems.append(record.problem("site", reason))
    return problems


_CHILD_LISTS = ("stays", "exit_events", "education_training_starts", "qualifications")


def _write(
    *,
    created: Sequence[ParticipationData],
    updated: Sequence[ParticipationData],
    existing: Mapping[str, Participation],
    stored: Mapping[str, ParticipationData],
) -> None:
    sites = dict(Site.objects.filter(code__in={record.site for record in created}).values_list("code", "pk"))
    changes = [diff(stored[record.participation_id].snapshot(), record.snapshot()) for record in updated]
    now = timezone.now()
    with transaction.atomic():
        new = [
            Participation(
                site_id=sites[record.site], participation_id=record.participation_id, **_model_values(record)
            )
            for record in created
        ]
        Participation.objects.bulk_create(new, batch_size=_WRITE_BATCH)
        changed = [existing[record.participation_id] for record in updated]
        fields = {"updated_at"}  # bulk_update does not touch auto_now fields
        for row, record, change in zip(changed, updated, changes, strict=True):
            for name, value in _model_values(record).items():
                setattr(row, name, value)
            row.updated_at = now
            fields.update(name for name in change if name in STORED_FIELDS)
            if "stays" in change:
                fields.update(("entry_date", "exit_date"))
        # bulk_update sets each field through a CASE over the whole batch: only the changed fields, in
        # small batches, keep an update of thousands of participations quick.
        Participation.objects.bulk_update(changed, sorted(fields), batch_size=_UPDATE_BATCH)
        # Only lists that changed are replaced, so results linked to a job outcome keep their link.
        replaced = {
            name: [
                *zip(new, created, strict=True),
                *(
                    (row, record)
                    for row, record, change in zip(changed, updated, changes, strict=True)
                    if name in change
                ),
            ]
            for name in _CHILD_LISTS
        }
        _replace_children(replaced, changed_ids={row.pk for row in changed})
        content_type = ContentType.objects.get_for_model(Participation)
        AuditEntry.objects.bulk_create(
            [
                *(
                    _audit_entry(row, content_type, "inka.esf.imported", diff({}, record.snapshot()))
                    for row, record in zip(new, created, strict=True)
                ),
                *(
                    _audit_entry(row, content_type, "inka.esf.import_updated", change)
                    for row, change in zip(changed, changes, strict=True)
                ),
            ],
            batch_size=_WRITE_BATCH,
        )


def _model_values(record: ParticipationData) -> dict[str, Any]:
    return {**record.fields, "entry_date": record.stays[0].entry, "exit_date": record.stays[-1].exit}


def _replace_children(
    replaced: Mapping[str, Sequence[tuple[Participation, ParticipationData]]], *, changed_ids: set[int]
) -> None:
    def ids(name: str) -> list[int]:
        return [row.pk for row, _record in replaced[name] if row.pk in changed_ids]

    Stay.objects.filter(participation_id__in=ids("stays")).delete()
    ExitEvent.objects.filter(participation_id__in=ids("exit_events")).delete()
    EducationStart.objects.filter(participation_id__in=ids("education_training_starts")).delete()
    Qualification.objects.filter(participation_id__in=ids("qualifications")).delete()
    Stay.objects.bulk_create(
        [
            Stay(participation=row, entry_date=stay.entry, exit_date=stay.exit)
            for row, record in replaced["stays"]
            for stay in record.stays
        ],
        batch_size=_WRITE_BATCH,
    )
    # Sorted by date as stored and compared; the sort is stable, so events of one day keep their order.
    ExitEvent.objects.bulk_create(
        [
            ExitEvent(participation=row, occurred_on=event.date, type=event.type)
            for row, record in replaced["exit_events"]
            for event in sorted(record.exit_events, key=_by_date)
        ],
        batch_size=_WRITE_BATCH,
    )
    EducationStart.objects.bulk_create(
        [
            EducationStart(participation=row, started_on=start.date, title=start.title)
            for row, record in replaced["education_training_starts"]
            for start in sorted(record.education_starts, key=_by_date)
        ],
        batch_size=_WRITE_BATCH,
    )
    Qualification.objects.bulk_create(
        [
            Qualification(
                participation=row, awarded_on=item.date, title=item.title, recognised=item.recognised
            )
            for row, record in replaced["qualifications"]
            for item in sorted(record.qualifications, key=_by_date)
        ],
        batch_size=_WRITE_BATCH,
    )


def _audit_entry(
    row: Participation, content_type: ContentType, action: str, changes: dict[str, list[Any]]
) -> AuditEntry:
    # The fields `audit()` sets for the system as actor; written in bulk for imports of thousands.
    return AuditEntry(
        actor_id=None,
        actor_label="",
        role="",
        site_id=row.site_id,
        action=action,
        content_type=content_type,
        object_id=str(row.pk),
        object_label=str(row)[:200],
        changes=changes,
        data={},
    )


# --- export ---------------------------------------------------------------------------------------------


def export_participations(*, site_codes: Sequence[str] | None, file_format: str) -> bytes:
    """The participations of the sites (None: all) as a file that imports back unchanged.

    The export is a read of social data, so each site's exported records get one access-log row.
    """
    from inka.esf.reporting import sites_by_code

    if file_format not in FORMATS:
        raise UnsupportedFileError(_("Unknown format “%(format)s”.") % {"format": file_format})
    sites = sites_by_code(site_codes)
    rows = list(
        Participation.objects.filter(site__in=sites)
        .select_related("site")
        .order_by("site__code", "participation_id")
    )
    content_type = ContentType.objects.get_for_model(Participation)
    for site in sites:
        AccessLogEntry.objects.create(
            actor_id=None,
            site_id=site.pk,
            action="inka.esf.exported",
            content_type=content_type,
            record_ids=[row.pk for row in rows if row.site_id == site.pk],
        )
    records = stored_participations(rows)
    if file_format == "jsonl":
        return "".join(
            json.dumps(_json_object(record), ensure_ascii=False) + "\n" for record in records
        ).encode()
    tables = _tables(records)
    if file_format == "xlsx":
        return write_workbook(Sheet(name, header, rows) for name, (header, rows) in tables.items())
    return _csv_zip(tables)


def _file_value(item: _Field, value: Any) -> Any:
    """The file's value of a participation field from the stored value: the inverse of `_stored`."""
    if item.kind in ("code", "note"):
        return value or None
    if item.kind == "answer":
        return value or NOT_ASKED
    return value


def _json_object(record: ParticipationData) -> dict[str, Any]:
    values: dict[str, Any] = {"participation_id": record.participation_id, "site": record.site}
    for item in FIELDS:
        if item.name == "stays":
            values["stays"] = [
                {"entry": stay.entry.isoformat(), "exit": json_value(stay.exit)} for stay in record.stays
            ]
        elif item.name in STORED_FIELDS:
            values[item.name] = json_value(_file_value(item, record.fields[item.name]))
    values["exit_events"] = [
        {"date": event.date.isoformat(), "type": event.type} for event in record.exit_events
    ]
    # ESF.md lists the starts as dates; a start with a title is written as an object to keep the title.
    values["education_training_starts"] = [
        {"date": start.date.isoformat(), "title": start.title} if start.title else start.date.isoformat()
        for start in record.education_starts
    ]
    values["qualifications"] = [
        {"date": item.date.isoformat(), "title": item.title, "recognised": item.recognised}
        for item in record.qualifications
    ]
    return {name: values[name] for name in (*COLUMNS, *_JSON_LISTS)}


def _stays_text(stays: Iterable[StayRecord]) -> str:
    """The stays as the `stays` column writes them: `2024-11-04/2024-12-20; 2025-03-03/`."""
    return "; ".join(
        f"{stay.entry.isoformat()}/{stay.exit.isoformat() if stay.exit else ''}" for stay in stays
    )


def _tables(records: Sequence[ParticipationData]) -> dict[str, tuple[Sequence[str], list[list[Any]]]]:
    participations = []
    for record in records:
        row: list[Any] = []
        for item in FIELDS:
            if item.name == "participation_id":
                row.append(record.participation_id)
            elif item.name == "site":
                row.append(record.site)
            elif item.name == "stays":
                row.append(_stays_text(record.stays))
            else:
                row.append(_file_value(item, record.fields[item.name]))
        participations.append(row)
    return {
        "participations": (COLUMNS, participations),
        "exit_events": (
            CHILD_COLUMNS["exit_events"],
            [
                [record.participation_id, event.date, event.type]
                for record in records
                for event in record.exit_events
            ],
        ),
        "qualifications": (
            CHILD_COLUMNS["qualifications"],
            [
                [record.participation_id, item.date, item.title, item.recognised]
                for record in records
                for item in record.qualifications
            ],
        ),
        "education_starts": (
            CHILD_COLUMNS["education_starts"],
            [
                [record.participation_id, start.date, start.title or None]
                for record in records
                for start in record.education_starts
            ],
        ),
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(cell_value(value))


def _csv_zip(tables: Mapping[str, tuple[Sequence[str], list[list[Any]]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (header, rows) in tables.items():
            text = io.StringIO(newline="")
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([_csv_cell(value) for value in row] for row in rows)
            archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()
