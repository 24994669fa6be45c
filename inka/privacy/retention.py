"""Retention and anonymisation (S6): who is due, the run that anonymises them while every figure stays
the same, and the pseudonymous deletion journal that is replayed after a restore (docs/retention.md).

A person is due when none of their cases is open, nothing of theirs is still running (an ESF stay,
volunteering) and the retention end of the funding round that covers their last activity has
passed. Each app says in `inka/<app>/anonymise.py` what happens to every field of its records of a
person (`FIELDS`, rules below) and which records go altogether (`DELETE`); `anonymise(person_ids,
run=…)` applies them. The run itself scrubs the change history of those records, deletes access-log
rows past their own retention and journals each person.
"""

import importlib
import json
import os
import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, Protocol, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import CharField, Count, F, Max, Min, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.cases.models import Case, Contact, Person
from inka.community.models import Attendance, Volunteer, VolunteerHours
from inka.core.audit import audit, diff, snapshot
from inka.core.models import AccessLogEntry, AuditEntry
from inka.esf.models import Participation, Stay
from inka.privacy.graph import PERSON, person_filter, person_paths
from inka.privacy.models import DeletionJournalEntry, RetentionApproval
from inka.programme.models import FundingRound, Site

RULE = "esf_retention"
# What replaces a required text, and every value in the change history of an anonymised record.
ANONYMISED = "[anonymisiert]"
# Keys of change-history details that hold the id of a person's record, never a value.
REFERENCE_KEYS = ("person", "case", "participation")
BATCH = 200  # persons anonymised together


# --- What happens to a field ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    kind: str
    value: Any = None


KEEP = Rule("keep")  # a statistical fact, a date, a choice, a reference or metadata: unchanged
CLEAR = Rule("clear")  # emptied: "" (None where the field allows it)
NEUTRAL = Rule("neutral")  # a text whose presence counts (or a required one): ANONYMISED unless empty
PSEUDONYM = Rule("pseudonym")  # a random, unique pseudonym
ROW_NUMBER = Rule("row_number")  # "#<primary key>": a name that says nothing about the person
BIRTH_DATE = Rule("birth_date")  # another day of the same year that gives the same ages
NOW = Rule("now")  # the time of the run
BUMP = Rule("bump")  # version counter + 1, so a form opened before the run conflicts


def value(constant: Any) -> Rule:
    """Replaced by this constant (a derived value such as a search key)."""
    return Rule("value", constant)


def keep(*names: str) -> dict[str, Rule]:
    return dict.fromkeys(names, KEEP)


class Anonymiser(Protocol):
    """The module `inka/<app>/anonymise.py`."""

    FIELDS: Mapping[str, Mapping[str, Rule]]

    def anonymise(self, person_ids: list[int], *, run: "Run") -> None: ...


@cache
def anonymisers() -> dict[str, Anonymiser]:
    """Each INKA app's anonymiser by app label, found like the field registries."""
    found: dict[str, Anonymiser] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("inka."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.anonymise")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.anonymise":
                raise
            continue
        found[config.label] = cast(Anonymiser, module)
    return found


# --- The birth date ------------------------------------------------------------------------------


def _key(day: date) -> tuple[int, int]:
    return (day.month, day.day)


def age_on(born: date, day: date) -> int:
    """Completed years, as every age in INKA counts them (Person.age_on, the SQL age bands, the ESF
    engine): the birthday is passed when (month, day) of `day` is not before that of the birth, so a
    29 February birthday counts from 1 March in common years."""
    return day.year - born.year - (_key(day) < _key(born))


def replacement_birth_date(born: date, references: Iterable[date]) -> date | None:
    """The first day of the birth year, in calendar order, other than `born` that gives the same age
    on every reference day; None when there is none.

    The age on a day d is the same for two birth days of one year exactly when no (month, day) of
    a reference lies in [earlier, later) of the two, so the choice is the day after the last
    reference before the birthday, or else the day after the birthday.
    """
    keys = {_key(day) for day in references}
    birthday = _key(born)
    before = [key for key in keys if key < birthday]
    if before:
        month, day = max(before)
        try:
            first = date(born.year, month, day) + timedelta(days=1)
        except ValueError:  # 29 February of a leap year, the birth year is a common one
            first = date(born.year, 3, 1)
    else:
        first = date(born.year, 1, 1)
    if first < born:
        return first
    following = born + timedelta(days=1)
    if following.year == born.year and not any(birthday <= key < _key(following) for key in keys):
        return following
    return None


def _month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from the month of `first` to December of the year of `last`."""
    ends = []
    year, month = first.year, first.month
    while year <= last.year:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        ends.append(following - timedelta(days=1))
        year, month = following.year, following.month
    return ends


# --- Activity and who is due ---------------------------------------------------------------------


@dataclass
class Activity:
    """What a person did, as far as retention and ages need it."""

    created: date
    first: date | None = None
    last: date | None = None
    open_case: bool = False
    active: bool = False  # an ESF stay or a volunteering without an end
    days: set[date] = field(default_factory=set)  # days on which an age counts (sessions, ESF)

    def add(self, *days: date | None, counts_age: bool = False) -> None:
        for day in days:
            if day is None:
                continue
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)
            if counts_age:
                self.days.add(day)

    @property
    def last_activity(self) -> date:
        return self.last or self.created

    def reference_days(self) -> set[date]:
        """Every day on which a figure can count the person's age: the month, quarter and year ends
        from their first activity to the end of the year of the last, their sessions and ESF dates."""
        return {*_month_ends(self.first or self.created, self.last_activity), *self.days}


def activities(person_ids: Collection[int] | None = None) -> dict[int, Activity]:
    """The activity of these persons (default: every person not yet anonymised), by person id."""
    persons = Person._base_manager.all()
    if person_ids is None:
        persons = persons.filter(anonymised_at=None)
    else:
        persons = persons.filter(pk__in=list(person_ids))
    ids = persons.values("pk")
    found = {
        pk: Activity(created=timezone.localdate(created))
        for pk, created in persons.values_list("pk", "created_at")
    }
    contacts = (
        Contact._base_manager.filter(case__person__in=ids)
        .values("case__person")
        .annotate(first=Min("occurred_on"), last=Max("occurred_on"))
        .values_list("case__person", "first", "last")
    )
    for person, first, last in contacts:
        found[person].add(first, last)
    cases = (
        Case._base_manager.filter(person__in=ids)
        .values("person")
        .annotate(
            opened=Min("opened_on"),
            closed=Max("closed_on"),
            open=Count("pk", filter=Q(status=Case.Status.OPEN)),
        )
        .values_list("person", "opened", "closed", "open")
    )
    for person, opened, closed, open_cases in cases:
        found[person].add(opened, closed)
        found[person].open_case |= bool(open_cases)
    stays = chain(
        Stay._base_manager.filter(participation__person__in=ids).values_list(
            "participation__person", "entry_date", "exit_date"
        ),
        Participation._base_manager.filter(person__in=ids).values_list("person", "entry_date", "exit_date"),
    )
    for person, entry, exit_date in stays:
        found[person].add(entry, exit_date, counts_age=True)
        found[person].active |= exit_date is None
    for person, held_on in Attendance._base_manager.filter(person__in=ids).values_list(
        "person", "session__held_on"
    ):
        found[person].add(held_on, counts_age=True)
    for person, since, until in Volunteer._base_manager.filter(person__in=ids).values_list(
        "person", "since", "until"
    ):
        found[person].add(since, until)
        found[person].active |= until is None
    hours = (
        VolunteerHours._base_manager.filter(volunteer__person__in=ids)
        .values("volunteer__person")
        .annotate(last=Max(Coalesce("session__held_on", "month")))
        .values_list("volunteer__person", "last")
    )
    for person, last in hours:
        found[person].add(last)
    return found


class Reason(models.TextChoices):
    DUE = "due", _("due")
    OPEN_CASE = "open_case", _("a case is still open")
    ACTIVE = "active", _("still active (ESF participation or volunteering)")
    NO_ROUND = "no_round", _("no funding round")
    NO_FINAL_PAYMENT = "no_final_payment", _("final payment of the funding round not entered")
    RUNNING = "running", _("retention period still running")


class Problem(models.TextChoices):
    BIRTH_DATE_KEPT = "birth_date_kept", _("no other birth date keeps the ages: the birth date stays")


@dataclass(frozen=True)
class Assessment:
    person_id: int
    site_id: int
    last_activity: date
    round_id: int | None
    retention_ends_on: date | None
    reason: Reason


def _round_for(day: date, rounds: list[FundingRound]) -> FundingRound | None:
    """The round whose period contains the day, else the last round that started before it."""
    containing = [r for r in rounds if r.starts_on <= day <= r.ends_on]
    started = [r for r in rounds if r.starts_on <= day]
    chosen = containing or started
    return chosen[-1] if chosen else None


def assess(today: date, person_ids: Collection[int] | None = None) -> list[Assessment]:
    """Each person not yet anonymised (or these persons) with the reason they are due or not."""
    rounds = list(FundingRound.objects.order_by("starts_on", "pk"))
    sites = dict(Person._base_manager.values_list("pk", "site_id"))
    found = []
    for pk, activity in sorted(activities(person_ids).items()):
        last = activity.last_activity
        funding_round = _round_for(last, rounds)
        ends = funding_round.retention_ends_on if funding_round else None
        if activity.open_case:
            reason = Reason.OPEN_CASE
        elif activity.active:
            reason = Reason.ACTIVE
        elif funding_round is None:
            reason = Reason.NO_ROUND
        elif ends is None:
            reason = Reason.NO_FINAL_PAYMENT
        elif today <= ends:
            reason = Reason.RUNNING
        else:
            reason = Reason.DUE
        found.append(
            Assessment(pk, sites[pk], last, funding_round.pk if funding_round else None, ends, reason)
        )
    return found


def due(today: date) -> list[Assessment]:
    """The persons due for anonymisation on `today`, with the round and retention end that make it so."""
    return [item for item in assess(today) if item.reason == Reason.DUE]


# --- The run -------------------------------------------------------------------------------------


class ApprovalRequired(Exception):  # noqa: N818  (a refusal, not a failure)
    """Something is due but no unused approval of the data protection officer is there."""


@dataclass
class Run:
    """One anonymisation (or its dry run): what the anonymisers did, to report and to finish after
    the commit."""

    today: date
    dry_run: bool = False
    references: dict[int, set[date]] = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    now: datetime = field(default_factory=timezone.now)
    records: Counter[str] = field(default_factory=Counter)
    files: list[Path] = field(default_factory=list)
    problems: dict[int, str] = field(default_factory=dict)

    def birth_date(self, person_id: int, born: date) -> date:
        """The replacement of a birth date; the real one, reported, when no other day keeps the ages."""
        replacement = replacement_birth_date(born, self.references.get(person_id, set()))
        if replacement is None:
            self.problems[person_id] = Problem.BIRTH_DATE_KEPT
            return born
        return replacement

    def delete_files(self, paths: Iterable[Path]) -> None:
        """Files to delete once the run is committed (never in a dry run)."""
        self.files.extend(paths)

    def apply(
        self, rules: Mapping[str, Mapping[str, Rule]], person_ids: list[int], *, delete: Collection[str] = ()
    ) -> None:
        """Carry out the rules on every record of these persons; delete the records of `delete` models."""
        for label in [*rules, *delete]:
            fields = rules.get(label, {})
            model = apps.get_model(label)
            rows = model._base_manager.filter(person_filter(label, person_ids))
            self.records[label] += rows.count()
            if label in delete:
                if not self.dry_run:
                    rows.delete()
                continue
            constant: dict[str, Any] = {}
            per_row: list[str] = []
            for name, rule in fields.items():
                model_field = model._meta.get_field(name)
                if rule.kind == "clear":
                    constant[name] = None if model_field.null else ""
                elif rule.kind == "neutral":
                    constant[name] = models.Case(
                        When(**{name: ""}, then=Value("")), default=Value(ANONYMISED)
                    )
                elif rule.kind == "value":
                    constant[name] = rule.value
                elif rule.kind == "now":
                    constant[name] = self.now
                elif rule.kind == "bump":
                    constant[name] = F(name) + 1
                elif rule.kind == "row_number":
                    constant[name] = Concat(Value("#"), Cast("pk", output_field=CharField()))
                elif rule.kind in ("pseudonym", "birth_date"):
                    per_row.append(name)
                elif rule.kind != "keep":
                    raise ValueError(f"unknown rule {rule.kind!r} for {label}.{name}")
            if constant and not self.dry_run:
                rows.update(**constant)
            if per_row:
                self._per_row(model, label, rows, {name: fields[name] for name in per_row})

    def _per_row(
        self, model: type[models.Model], label: str, rows: models.QuerySet, fields: Mapping[str, Rule]
    ) -> None:
        person = person_paths()[label] or "pk"
        for pk, person_id, *values in rows.values_list("pk", person, *fields).order_by("pk"):
            changed: dict[str, Any] = {}
            for (name, rule), current in zip(fields.items(), values, strict=True):
                if rule.kind == "pseudonym":
                    changed[name] = f"anon-{secrets.token_hex(12)}"
                elif current is not None:
                    changed[name] = self.birth_date(person_id, current)
            if changed and not self.dry_run:
                model._base_manager.filter(pk=pk).update(**changed)


@dataclass
class Report:
    """What a run did, or in a dry run would do."""

    run_id: str
    today: date
    dry_run: bool
    persons: list[int] = field(default_factory=list)
    by_site: dict[str, int] = field(default_factory=dict)
    held: dict[str, int] = field(default_factory=dict)  # Reason → persons not due
    not_approved: list[int] = field(default_factory=list)
    records: dict[str, int] = field(default_factory=dict)  # model label → records of the persons
    documents: int = 0
    audit_entries: int = 0
    access_log_entries: int = 0
    problems: dict[int, str] = field(default_factory=dict)
    rounds_without_final_payment: list[str] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not self.persons and not self.access_log_entries


def _scrub(values: Any) -> Any:
    """Keep the keys (field names), replace every value."""
    if isinstance(values, dict):
        return {key: _scrub(item) if isinstance(item, list) else ANONYMISED for key, item in values.items()}
    if isinstance(values, list):
        return [ANONYMISED for _item in values]
    return ANONYMISED


def _scrub_history(person_ids: list[int], run: Run) -> int:
    """Replace the values in the change history of the persons' records; actor, time, action and
    field names stay. The only write to the history: a plain QuerySet, so the append-only manager
    stays in force everywhere else (on PostgreSQL the run needs the owner role, docs/retention.md)."""
    matches = Q()
    for label in person_paths():
        model = apps.get_model(label)
        keys = (
            model._base_manager.filter(person_filter(label, person_ids))
            .annotate(key=Cast("pk", output_field=CharField()))
            .values("key")
        )
        matches |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=keys)
    # Records deleted earlier (a removed result or goal step) are found by the ids in the details.
    references = {
        "person": person_ids,
        "case": list(Case._base_manager.filter(person__in=person_ids).values_list("pk", flat=True)),
        "participation": list(
            Participation._base_manager.filter(person__in=person_ids).values_list("pk", flat=True)
        ),
    }
    for key, ids in references.items():
        if ids:
            matches |= Q(**{f"data__{key}__in": ids})
    entries: models.QuerySet[AuditEntry] = models.QuerySet(model=AuditEntry)
    updates: dict[str, list[int]] = defaultdict(list)
    for pk, changes, data, label in entries.filter(matches).values_list(
        "pk", "changes", "data", "object_label"
    ):
        scrubbed = {
            "changes": _scrub(changes),
            "data": {key: item if key in REFERENCE_KEYS else ANONYMISED for key, item in data.items()},
            "object_label": ANONYMISED if label else "",
        }
        if scrubbed != {"changes": changes, "data": data, "object_label": label}:
            updates[json.dumps(scrubbed, sort_keys=True)].append(pk)
    if not run.dry_run:
        for payload, pks in updates.items():
            entries.filter(pk__in=pks).update(**json.loads(payload))
    return sum(len(pks) for pks in updates.values())


def _anonymise(person_ids: list[int], run: Run) -> int:
    """The change history, then every app's anonymiser; returns the history entries scrubbed.

    In batches of persons: a query names each person's records, and databases limit the number of
    parameters of one query (SQLite: 32766)."""
    scrubbed = 0
    for start in range(0, len(person_ids), BATCH):
        batch = person_ids[start : start + BATCH]
        run.references = {pk: activity.reference_days() for pk, activity in activities(batch).items()}
        scrubbed += _scrub_history(batch, run)  # first: records deleted by the run are still found
        for anonymiser in anonymisers().values():
            anonymiser.anonymise(batch, run=run)
    return scrubbed


def _journal_lines(person_ids: Iterable[int], run: Run, rule: str) -> list[str]:
    at = run.now.isoformat()
    return [
        json.dumps({"at": at, "run": run.id, "model": PERSON, "id": pk, "rule": rule}) + "\n"
        for pk in person_ids
    ]


def _append_journal(lines: list[str]) -> None:
    """Append to the journal file outside the database, which a restore does not overwrite."""
    path = Path(settings.DELETION_JOURNAL)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as journal:
        journal.writelines(lines)
        journal.flush()
        os.fsync(journal.fileno())


def _delete_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _finish(lines: list[str], files: list[Path]) -> None:
    """After the commit: journal the persons, then delete their files."""
    _append_journal(lines)
    _delete_files(files)


def _access_log_cutoff(today: date) -> datetime:
    day = today - timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    return timezone.make_aware(datetime.combine(day, time.min))


def latest_approval() -> RetentionApproval | None:
    return RetentionApproval.objects.filter(used_at=None).order_by("-created_at", "-pk").first()


def run(today: date, approval: RetentionApproval | None = None, dry_run: bool = False) -> Report:
    """Anonymise the persons that are due and approved (the latest unused approval unless one is
    given), delete access-log rows past their retention; all in one transaction. A dry run counts.

    Raises ApprovalRequired when there is something to do but no approval (not in a dry run).
    """
    with transaction.atomic():
        assessments = assess(today)
        due_ids = [item.person_id for item in assessments if item.reason == Reason.DUE]
        old_log: models.QuerySet[AccessLogEntry] = models.QuerySet(model=AccessLogEntry).filter(
            at__lt=_access_log_cutoff(today)
        )
        report = Report(run_id="", today=today, dry_run=dry_run)
        report.held = dict(Counter(str(item.reason) for item in assessments if item.reason != Reason.DUE))
        report.rounds_without_final_payment = list(
            FundingRound.objects.filter(final_payment_on=None)
            .order_by("starts_on")
            .values_list("name", flat=True)
        )
        chosen = due_ids
        if not dry_run and (due_ids or old_log.exists()):
            if approval is None:
                approval = latest_approval()
            if approval is None or approval.used_at is not None:
                raise ApprovalRequired
            approved = set(approval.person_ids)
            chosen = [pk for pk in due_ids if pk in approved]
            report.not_approved = [pk for pk in due_ids if pk not in approved]
        work = Run(today=today, dry_run=dry_run)
        report.run_id = work.id
        report.persons = chosen
        if chosen:
            report.audit_entries = _anonymise(chosen, work)
        report.records = dict(sorted(work.records.items()))
        report.documents = len(work.files)
        report.problems = dict(sorted(work.problems.items()))
        codes = dict(Site.objects.values_list("pk", "code"))
        anonymised = set(chosen)
        sites = Counter(codes[item.site_id] for item in assessments if item.person_id in anonymised)
        report.by_site = dict(sorted(sites.items()))
        if dry_run:
            report.access_log_entries = old_log.count()
            return report
        if report.nothing_to_do and approval is None:
            return report
        report.access_log_entries = old_log.delete()[0]
        DeletionJournalEntry.objects.bulk_create(
            [DeletionJournalEntry(run_id=work.id, model=PERSON, object_id=pk, rule=RULE) for pk in chosen],
            ignore_conflicts=True,
        )
        if approval is not None:
            approval.used_at = work.now
            approval.save(update_fields=["used_at", "updated_at"])
        audit(
            actor=None,
            action="inka.privacy.retention.run",
            obj=approval,
            run=work.id,
            persons=len(chosen),
            not_approved=len(report.not_approved),
            documents=report.documents,
            access_log_entries=report.access_log_entries,
            problems=sorted(report.problems),
        )
        lines = _journal_lines(chosen, work, RULE)
        files = list(work.files)
        transaction.on_commit(lambda: _finish(lines, files))
    return report


def approve(*, actor: Any, today: date, note: str = "") -> RetentionApproval:
    """The data protection officer's approval of everyone due today (ids only)."""
    with transaction.atomic():
        approval = RetentionApproval.objects.create(
            approved_by=actor, as_of=today, person_ids=[item.person_id for item in due(today)], note=note
        )
        audit(
            actor=actor,
            action="inka.privacy.retention.approved",
            obj=approval,
            persons=len(approval.person_ids),
        )
    return approval


MIN_RETENTION_YEARS = 5  # Art. 82 of Regulation (EU) 2021/1060; the funding notice may say more
FUNDING_ROUND_FIELDS = ["final_payment_on", "retention_years"]


def funding_round_retention_set(
    *, actor: Any, funding_round: FundingRound, final_payment_on: date | None, retention_years: int
) -> FundingRound:
    """Enter the final payment and the retention period of a funding round (the coordination)."""
    errors: dict[str, Any] = {}
    if retention_years < MIN_RETENTION_YEARS:
        errors["retention_years"] = _("At least %(years)d years (Art. 82 of Regulation (EU) 2021/1060).") % {
            "years": MIN_RETENTION_YEARS
        }
    if final_payment_on is not None and final_payment_on < funding_round.starts_on:
        errors["final_payment_on"] = _("The final payment cannot be before the start of the round.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = snapshot(FundingRound.objects.get(pk=funding_round.pk), FUNDING_ROUND_FIELDS)
        funding_round.final_payment_on, funding_round.retention_years = final_payment_on, retention_years
        funding_round.full_clean()
        funding_round.save(update_fields=[*FUNDING_ROUND_FIELDS, "updated_at"])
        changes = diff(before, snapshot(funding_round, FUNDING_ROUND_FIELDS))
        if changes:
            audit(
                actor=actor, action="inka.privacy.retention.funding_round", obj=funding_round, changes=changes
            )
    return funding_round


class JournalError(ValueError):
    """A line of the journal file that is not a journal entry."""


def read_journal() -> list[dict[str, Any]]:
    """The entries of the journal file, oldest first ([] when there is none yet)."""
    path = Path(settings.DELETION_JOURNAL)
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            valid = isinstance(entry, dict) and {"run", "model", "id", "rule"} <= entry.keys()
        except ValueError:
            valid = False
        if not valid or not isinstance(entry["id"], int):
            raise JournalError(f"{path}, Zeile {number}: kein Eintrag des Löschjournals")
        entries.append(entry)
    return entries


def replay_journal() -> int:
    """Anonymise again every person of the journal file that the database shows unanonymised (after
    a backup restore); returns their number."""
    journalled = {entry["id"]: entry for entry in read_journal() if entry["model"] == PERSON}
    with transaction.atomic():
        pending = sorted(
            Person._base_manager.filter(pk__in=list(journalled), anonymised_at=None).values_list(
                "pk", flat=True
            )
        )
        if not pending:
            return 0
        work = Run(today=timezone.localdate())
        _anonymise(pending, work)
        DeletionJournalEntry.objects.bulk_create(
            [
                DeletionJournalEntry(
                    run_id=journalled[pk]["run"], model=PERSON, object_id=pk, rule=journalled[pk]["rule"]
                )
                for pk in pending
            ],
            ignore_conflicts=True,
        )
        audit(actor=None, action="inka.privacy.retention.run", run=work.id, persons=len(pending), replay=True)
        files = list(work.files)
        transaction.on_commit(lambda: _delete_files(files))
    return len(pending)
