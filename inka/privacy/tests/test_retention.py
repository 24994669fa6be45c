"""The retention run: who is due, what each app's anonymiser does, approval, journal and replay."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.utils import timezone

from inka.cases.models import Case, Document, Person, Referral
from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.cases.uploads import path_of
from inka.cli import main
from inka.core.models import AccessLogEntry, AuditEntry
from inka.esf.models import Participation, Stay
from inka.privacy import retention
from inka.privacy.graph import records_of
from inka.privacy.models import DeletionJournalEntry, RetentionApproval
from inka.privacy.retention import ANONYMISED, ApprovalRequired, Reason, Run, anonymisers
from inka.privacy.tests.retention_people import Marked, person_with_everything
from inka.programme.models import FundingRound, Programme

DAY = date(2024, 3, 12)
AFTER = date(2031, 1, 2)  # the first round's retention ends on 31 Dec 2030


@pytest.fixture(autouse=True)
def journal(settings, tmp_path):
    settings.DELETION_JOURNAL = tmp_path / "journal" / "deletion-journal.jsonl"
    return settings.DELETION_JOURNAL


@pytest.fixture
def rounds(db):
    programme = Programme.objects.create(name="ThINKA", short_name="ThINKA", coordinating_body="ThASG")
    first = FundingRound.objects.create(
        programme=programme,
        name="2022–2025",
        starts_on=date(2022, 7, 1),
        ends_on=date(2025, 6, 30),
        final_payment_on=date(2025, 11, 3),
    )
    second = FundingRound.objects.create(
        programme=programme, name="2026–2028", starts_on=date(2026, 1, 1), ends_on=date(2028, 6, 30)
    )
    return first, second


@pytest.fixture
def marked(world) -> Marked:
    return person_with_everything(
        world.site_a,
        world.user("caseworker"),
        day=DAY,
        last_name="Zwetschgenbaum",
        phone="0365 9876543",
        birth_date=date(1977, 7, 17),
    )


def texts_of(person_ids: list[int]) -> str:
    """Every text value of every record of these persons."""
    found = []
    for queryset in records_of(person_ids).values():
        for row in queryset.values():
            found.extend(str(value) for value in row.values() if isinstance(value, str))
    return "\n".join(found)


def history_of(marked: Marked) -> str:
    entries = AuditEntry.objects.values_list("changes", "data", "object_label")
    return json.dumps(list(entries), ensure_ascii=False)


def approve(world: Any, today: date = AFTER) -> RetentionApproval:
    return retention.approve(actor=world.user("dpo"), today=today)


# --- Who is due ----------------------------------------------------------------------------------


def reasons(today: date) -> dict[int, str]:
    return {item.person_id: item.reason for item in retention.assess(today)}


def test_a_person_is_due_when_the_round_of_the_last_activity_has_ended_its_retention(world, rounds):
    worker = world.user("caseworker")
    case = make_case(world.site_a, worker, opened_on=date(2024, 1, 10))
    make_contact(world.site_a, worker, case, occurred_on=date(2025, 5, 2))
    person = case.person
    assert reasons(AFTER)[person.pk] == Reason.OPEN_CASE
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=date(2025, 6, 1))
    assert reasons(date(2030, 12, 31))[person.pk] == Reason.RUNNING
    assert reasons(AFTER)[person.pk] == Reason.DUE
    # The last activity decides: a contact in the second round, whose final payment is not entered.
    make_contact(world.site_a, worker, case, occurred_on=date(2026, 2, 1))
    assert reasons(AFTER)[person.pk] == Reason.NO_FINAL_PAYMENT
    assert retention.due(AFTER) == []


def test_between_rounds_the_earlier_round_counts_and_before_the_first_there_is_none(world, rounds):
    worker = world.user("caseworker")
    gap = make_case(
        world.site_a, worker, opened_on=date(2025, 8, 1), status="closed", closed_on=date(2025, 9, 1)
    )
    early = make_case(
        world.site_a,
        worker,
        make_person(world.site_a, last_name="Früh"),
        opened_on=date(2021, 3, 1),
        status="closed",
        closed_on=date(2021, 4, 1),
    )
    found = reasons(AFTER)
    assert found[gap.person_id] == Reason.DUE
    assert found[early.person_id] == Reason.NO_ROUND


def test_an_open_esf_stay_keeps_a_person_and_restricted_persons_are_due_like_others(world, rounds):
    worker = world.user("caseworker")
    case = make_case(
        world.site_a, worker, opened_on=date(2023, 1, 10), status="closed", closed_on=date(2023, 5, 1)
    )
    Person.objects.filter(pk=case.person_id).update(restricted_at=timezone.now())
    assert reasons(AFTER)[case.person_id] == Reason.DUE
    participation = Participation.objects.create(
        site=world.site_a,
        person=case.person,
        participation_id="P-1",
        person_key="K-1",
        entry_date=date(2023, 2, 1),
    )
    Stay.objects.create(participation=participation, entry_date=date(2023, 2, 1))
    assert reasons(AFTER)[case.person_id] == Reason.ACTIVE


# --- What each app's anonymiser does -------------------------------------------------------------


def snapshot(person_ids: list[int]) -> dict[tuple[str, int], dict[str, Any]]:
    return {
        (label, row["id"]): row
        for label, queryset in records_of(person_ids).items()
        for row in queryset.values()
    }


@pytest.mark.parametrize("app", ["cases", "employment", "esf", "community", "privacy"])
def test_each_apps_anonymiser_does_what_its_rules_say(marked, app):
    ids = [marked.person.pk]
    before = snapshot(ids)
    work = Run(today=AFTER, references={marked.person.pk: {DAY, date(2024, 12, 31)}})
    anonymiser = anonymisers()[app]
    anonymiser.anonymise(ids, run=work)
    after = snapshot(ids)
    delete = getattr(anonymiser, "DELETE", frozenset())
    checked = 0
    for (label, pk), old in before.items():
        if label in delete:
            assert (label, pk) not in after
            continue
        rules = anonymiser.FIELDS.get(label)
        if rules is None:  # another app's record: untouched
            assert after[(label, pk)] == old
            continue
        new = after[(label, pk)]
        for name, rule in rules.items():
            model_field = apps.get_model(label)._meta.get_field(name)
            was, now = old[model_field.attname], new[model_field.attname]
            if rule.kind == "keep":
                assert now == was, (label, name)
            elif rule.kind == "clear":
                assert now == (None if model_field.null else ""), (label, name)
            elif rule.kind == "neutral":
                assert was and now == ANONYMISED, (label, name)
            elif rule.kind == "value":
                assert now == rule.value, (label, name)
            elif rule.kind == "row_number":
                assert now == f"#{pk}", (label, name)
            elif rule.kind == "bump":
                assert now == was + 1, (label, name)
            elif rule.kind == "pseudonym":
                assert now != was and now.startswith("anon-"), (label, name)
            elif rule.kind == "birth_date":
                assert now == date(1977, 3, 13)  # the day after the last reference before 17 July
            else:
                assert rule.kind == "now" and now == work.now, (label, name)
            checked += 1
        assert marked.last_name not in json.dumps(new, default=str), label
        assert marked.phone not in json.dumps(new, default=str), label
    assert checked
    if app == "cases":
        assert work.files and all(path.exists() for path in work.files)  # deleted after the commit


# --- The run -------------------------------------------------------------------------------------


def test_the_run_needs_the_approval_of_the_dpo_and_anonymises_only_approved_due_persons(
    world, rounds, marked, journal, django_capture_on_commit_callbacks
):
    other = person_with_everything(
        world.site_a, world.user("caseworker"), day=DAY, last_name="Quittenbrot", phone="0365 1112223",
        birth_date=date(1980, 2, 29), partner=Referral.objects.get().partner,
    )  # fmt: skip
    document = Document.objects.get(case__person=marked.person)
    assert path_of(document.stored_name).exists()
    with pytest.raises(ApprovalRequired):
        retention.run(AFTER)
    approval = approve(world)
    assert sorted(approval.person_ids) == sorted([marked.person.pk, other.person.pk])
    approval.person_ids = [marked.person.pk]
    approval.save()

    with django_capture_on_commit_callbacks(execute=True):
        report = retention.run(AFTER)

    assert report.persons == [marked.person.pk] and report.not_approved == [other.person.pk]
    assert report.records["cases.Person"] == 1 and report.documents == 1
    assert report.by_site == {"NORD": 1}
    assert not path_of(document.stored_name).exists()
    person = Person.objects.get(pk=marked.person.pk)
    assert (person.first_name, person.last_name) == ("Anonymisiert", f"#{person.pk}")
    assert person.anonymised_at is not None and person.birth_date != marked.birth_date
    assert person.birth_date.year == 1977 and person.gender == "f" and person.household_size == 2
    for secret in marked.secrets[:2]:
        assert secret not in texts_of([person.pk])
        assert secret not in history_of(marked)
    # The other person is untouched, their history too.
    assert other.last_name in texts_of([other.person.pk]) and other.last_name in history_of(other)
    approval.refresh_from_db()
    assert approval.used_at is not None

    # The journal: in the database and in the file, ids and the rule only.
    entry = DeletionJournalEntry.objects.get()
    assert (entry.model, entry.object_id, entry.rule, entry.run_id) == (
        "cases.Person", person.pk, "esf_retention", report.run_id,
    )  # fmt: skip
    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [(line["model"], line["id"], line["rule"]) for line in lines] == [
        ("cases.Person", person.pk, "esf_retention")
    ]
    assert set(lines[0]) == {"at", "run", "model", "id", "rule"}

    # The change history keeps who did what when, and which fields; the values are gone.
    created = AuditEntry.objects.get(action="inka.person.created", object_id=str(person.pk))
    assert created.actor_id == world.user("caseworker").pk
    assert "last_name" in created.changes and created.changes["last_name"] == [ANONYMISED, ANONYMISED]
    assert created.object_label == ANONYMISED

    # The second run: the other person is due but not approved; with no approval it refuses.
    with pytest.raises(ApprovalRequired):
        retention.run(AFTER)
    second = retention.run(AFTER, approval=approve(world))
    assert second.persons == [other.person.pk]
    third = retention.run(AFTER)
    assert third.nothing_to_do and third.persons == [] and third.records == {}


def test_a_dry_run_changes_nothing_and_counts_what_the_run_would_do(world, rounds, marked):
    before = snapshot([marked.person.pk])
    history = history_of(marked)
    report = retention.run(AFTER, dry_run=True)
    assert report.persons == [marked.person.pk] and report.records["cases.Contact"] == 1
    assert report.documents == 1 and report.audit_entries > 5
    assert snapshot([marked.person.pk]) == before and history_of(marked) == history
    assert RetentionApproval.objects.count() == 0 and DeletionJournalEntry.objects.count() == 0
    assert report.rounds_without_final_payment == ["2026–2028"]


def test_access_log_rows_older_than_their_retention_are_deleted_by_the_run(world, rounds, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 730
    for day in (date(2028, 12, 31), date(2029, 1, 3)):
        with time_machine.travel(day, tick=False):
            AccessLogEntry.objects.create(action="inka.cases.person.viewed", record_ids=[1])
    assert retention.run(AFTER, dry_run=True).access_log_entries == 1
    report = retention.run(AFTER, approval=approve(world))
    assert report.access_log_entries == 1 and report.persons == []
    assert list(AccessLogEntry.objects.values_list("at__date", flat=True)) == [date(2029, 1, 3)]


def test_a_birth_date_without_a_replacement_is_kept_and_reported(world, rounds):
    worker = world.user("caseworker")
    person = make_person(world.site_a, last_name="Erster", birth_date=date(1990, 6, 1))
    make_case(
        world.site_a,
        worker,
        person,
        opened_on=date(2024, 1, 10),
        status="closed",
        closed_on=date(2024, 1, 10),
    )
    # An ESF entry on 1 June and the month end on 31 May leave no other day of 1990.
    participation = Participation.objects.create(
        site=world.site_a, person=person, participation_id="P-1", person_key="K-1",
        entry_date=date(2024, 6, 1), exit_date=date(2024, 6, 3), date_of_birth=date(1990, 6, 1),
    )  # fmt: skip
    assert retention.run(AFTER, dry_run=True).problems == {person.pk: "birth_date_kept"}
    report = retention.run(AFTER, approval=approve(world))
    assert report.problems == {person.pk: "birth_date_kept"}
    person.refresh_from_db()
    participation.refresh_from_db()
    assert person.anonymised_at and person.last_name == f"#{person.pk}"
    assert person.birth_date == participation.date_of_birth == date(1990, 6, 1)


# --- Replay after a restore ----------------------------------------------------------------------


def test_replaying_the_journal_anonymises_a_restored_person_again(
    world, rounds, marked, journal, django_capture_on_commit_callbacks
):
    restored = {
        label: list(queryset.model._base_manager.filter(pk__in=queryset.values("pk")).values())
        for label, queryset in records_of([marked.person.pk]).items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        retention.run(AFTER, approval=approve(world))
    assert retention.replay_journal() == 0
    # A restore of last night's backup brings back the person's old rows.
    for label, rows in restored.items():
        model: type[models.Model] = apps.get_model(label)
        for row in rows:
            model._base_manager.update_or_create(pk=row["id"], defaults=row)
    DeletionJournalEntry.objects.all().delete()
    assert marked.last_name in texts_of([marked.person.pk])

    assert retention.replay_journal() == 1

    person = Person.objects.get(pk=marked.person.pk)
    assert person.anonymised_at is not None
    assert marked.last_name not in texts_of([person.pk]) and marked.phone not in texts_of([person.pk])
    assert DeletionJournalEntry.objects.filter(object_id=person.pk).exists()
    assert retention.replay_journal() == 0
    assert journal.read_text().count("\n") == 1  # the replay does not journal twice


def test_a_broken_journal_line_is_reported_not_skipped(journal):
    journal.parent.mkdir(parents=True)
    journal.write_text('{"run": "x", "model": "cases.Person", "id": 1, "rule": "esf_retention"}\nKaputt\n')
    with pytest.raises(retention.JournalError, match="Zeile 2"):
        retention.read_journal()


# --- The command ---------------------------------------------------------------------------------


def test_the_command_refuses_without_approval_and_runs_with_it(world, rounds, marked, capsys):
    assert main(["retention", "run", "--dry-run", "--today", AFTER.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Probelauf" in out and "1 Person" in out
    assert Person.objects.get(pk=marked.person.pk).anonymised_at is None
    assert main(["retention", "run", "--today", AFTER.isoformat()]) == 1
    assert "Freigabe" in capsys.readouterr().err
    approve(world)
    assert main(["retention", "run", "--today", AFTER.isoformat()]) == 0
    assert "1 Person anonymisiert" in capsys.readouterr().out
    assert Person.objects.get(pk=marked.person.pk).anonymised_at is not None
    assert main(["retention", "run", "--today", AFTER.isoformat()]) == 0
    assert "Nichts zu tun" in capsys.readouterr().out
    assert main(["retention", "replay"]) == 0
    assert "0 Personen" in capsys.readouterr().out


def test_the_retention_end_of_a_round(rounds):
    first, second = rounds
    assert first.retention_ends_on == date(2030, 12, 31)
    assert second.retention_ends_on is None
    assert AFTER - timedelta(days=2) == first.retention_ends_on
