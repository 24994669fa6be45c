"""B5 of the security anchors: the retention run (test 38) and the journal part of test 39.

t38 runs on the demo data with every funding round's final payment entered and the clock past the
last retention end: after the dpo's approval the run leaves no name, birth date or phone number of
an anonymised person anywhere in the database or the documents folder, every monitoring figure and
every ESF report is the same as before, and a second run has nothing to do.
"""

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django_scopes import scopes_disabled

from inka.accounts.models import Membership, User
from inka.cases.models import Document, Person, Referral
from inka.cases.uploads import path_of
from inka.community.models import Volunteer
from inka.core.demo import demo_generate
from inka.core.permissions import Role
from inka.esf.engine import SETS
from inka.esf.models import Participation
from inka.esf.reporting import build_report
from inka.monitoring.figures import exact_figures
from inka.network.models import Partner, PartnerContact, SitePartner
from inka.privacy import retention
from inka.privacy.models import DeletionJournalEntry
from inka.privacy.tests.retention_people import Marked, person_with_everything
from inka.programme.models import FundingRound, Programme, Site
from inka.steering.models import Member

TODAY = date(2026, 11, 20)  # the demo data reach up to this day
FINAL_PAYMENTS = {date(2022, 7, 1): date(2026, 2, 10), date(2025, 7, 1): date(2029, 3, 2)}
AFTER = date(2035, 1, 2)  # past the last retention end (31 Dec 2034)
YEARS = (2023, 2024, 2025, 2026)


@pytest.fixture
def journal(settings, tmp_path):
    settings.DELETION_JOURNAL = tmp_path / "journal" / "deletion-journal.jsonl"
    return settings.DELETION_JOURNAL


@pytest.fixture
def demo(db, journal) -> Marked:
    """The demo data, one person made through the services (history, a document), final payments."""
    with time_machine.travel(TODAY, tick=False), scopes_disabled():
        demo_generate(scale=0.02)
    site = Site.objects.order_by("code").first()
    worker = Membership.objects.filter(site=site, role=Role.CASEWORKER).first().user
    marked = person_with_everything(
        site, worker, day=date(2025, 3, 12), last_name="Zwetschgenbaum", phone="0365 9876543",
        birth_date=date(1961, 8, 1), partner=Partner.objects.first(),
    )  # fmt: skip
    for starts_on, paid_on in FINAL_PAYMENTS.items():
        assert FundingRound.objects.filter(starts_on=starts_on).update(final_payment_on=paid_on) == 1
    return marked


def figures() -> dict[str, Any]:
    """Every monitoring figure (all sites, months of every year with data) and every ESF report."""
    site_ids = list(Site.objects.values_list("pk", flat=True))
    found: dict[str, Any] = {
        f"monitoring {year}": exact_figures(
            site_ids=site_ids, today=date(year, 12, 31), months=True
        ).as_json()
        for year in YEARS[1:]
    }
    for year in (2022, *YEARS):
        for indicator_set in SETS:
            report = build_report(
                site_codes=None,
                period_from=date(year, 1, 1),
                period_to=date(year, 12, 31),
                indicator_set=indicator_set,
            )
            found[f"esf {year} {indicator_set}"] = report.as_json()
    return found


def secrets_of(person_ids: list[int]) -> dict[str, set[str]]:
    """Last names, phone numbers and birth dates (ISO and German) of these persons."""
    persons = Person.objects.filter(pk__in=person_ids)
    births = {*persons.exclude(birth_date=None).values_list("birth_date", flat=True)}
    births |= {*Participation.objects.filter(person__in=person_ids).exclude(date_of_birth=None).values_list(
        "date_of_birth", flat=True
    )}  # fmt: skip
    return {
        "name": {*persons.values_list("last_name", flat=True)},
        "phone": {*persons.exclude(phone="").values_list("phone", flat=True)},
        "birth": {day.isoformat() for day in births} | {f"{day:%d.%m.%Y}" for day in births},
    }


def others() -> dict[str, str]:
    """What belongs to someone not anonymised: persons, users, volunteers, partner and steering people."""
    rows: list[Any] = []
    for person in Person.objects.filter(anonymised_at=None).values_list(
        "first_name", "last_name", "phone", "birth_date"
    ):
        born = person[3]
        rows.append([*person[:3], *([born.isoformat(), f"{born:%d.%m.%Y}"] if born else [])])
    rows += User.objects.values_list("first_name", "last_name")
    rows += Volunteer.objects.filter(person__anonymised_at=None).values_list(
        "first_name", "last_name", "phone"
    )
    rows += Volunteer.objects.filter(person=None).values_list("first_name", "last_name", "phone")
    rows += PartnerContact.objects.values_list("name", "phone")
    rows += SitePartner.objects.values_list("contact_person", "contact_phone")
    rows += Partner.objects.values_list("name", "phone")
    rows += Site.objects.values_list("contact_person", "phone")
    rows += Member.objects.values_list("name", "phone")
    rows += Referral.objects.filter(case__person__anonymised_at=None).values_list("answered_by")
    return {"others": "\n".join(str(value) for row in rows for value in row)}


def text_of_every_table() -> dict[str, str]:
    """Every text and JSON value of every table of the database, by table (dates are dates: a
    replacement birth date may be someone else's real one)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            # SQLite hands dates over as text: leave out the columns declared as dates.
            textual = [
                index
                for index, column in enumerate(columns)
                if not str(column.type_code).lower().startswith(("date", "datetime", "timestamp"))
            ]
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from the database)
            values = [row[index] for row in cursor.fetchall() for index in textual]
            found[table] = "\n".join(
                value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for value in values
                if isinstance(value, str | dict | list)
            )
    return found


def text_of_folders(*folders: Path) -> dict[str, str]:
    found = {}
    for folder in folders:
        for path in Path(folder).rglob("*") if Path(folder).exists() else ():
            if path.is_file():
                found[str(path)] = f"{path.name}\n{path.read_bytes().decode('utf-8', 'replace')}"
    return found


def occurrences(secrets: dict[str, set[str]], texts: dict[str, str]) -> list[tuple[str, str]]:
    """(where, value) for every secret found, names as whole words."""
    values = sorted(set().union(*secrets.values()), key=len, reverse=True)
    if not values:
        return []
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, values)) + r")(?![\w-])")
    return [(where, match) for where, text in texts.items() for match in set(pattern.findall(text))]


def test_t38_retention_run_anonymises_completely_keeps_every_figure_and_is_idempotent(
    demo, journal, django_capture_on_commit_callbacks
):
    document = Document.objects.get(case__person=demo.person)
    assert path_of(document.stored_name).exists()
    with time_machine.travel(AFTER, tick=False):
        before = figures()
        due = [item.person_id for item in retention.due(AFTER)]
        assert demo.person.pk in due and len(due) > 20
        secrets = secrets_of(due)
        births = dict(
            Person.objects.filter(pk__in=due).exclude(birth_date=None).values_list("pk", "birth_date")
        )
        # Before the run the scan finds them: it looks in the right places.
        assert {value for _where, value in occurrences(secrets, text_of_every_table())} >= {
            demo.last_name, demo.phone, "1961-08-01",
        }  # fmt: skip
        retention.approve(actor=User.objects.get(email="datenschutz@inka.example"), today=AFTER)

        with django_capture_on_commit_callbacks(execute=True):
            report = retention.run(AFTER)

        assert sorted(report.persons) == sorted(due) and not report.not_approved
        assert report.problems == {}
        assert report.documents == 1 and not path_of(document.stored_name).exists()
        assert Person.objects.filter(pk__in=due, anonymised_at=None).count() == 0

        # Every figure is the same.
        after = figures()
        for key in before:
            assert after[key] == before[key], key

        # No name, phone number or birth date of theirs anywhere, unless someone else has it too.
        in_use = {value for _where, value in occurrences(secrets, others())}
        secrets = {kind: values - in_use for kind, values in secrets.items()}
        assert demo.last_name in secrets["name"] and "1961-08-01" in secrets["birth"]
        texts = {**text_of_every_table(), **text_of_folders(settings.DOCUMENTS_DIR, settings.MEDIA_ROOT)}
        assert occurrences(secrets, texts) == []
        # Each birth date moved to another day of its year (the ages are checked by the figures).
        moved = dict(Person.objects.filter(pk__in=due).values_list("pk", "birth_date"))
        assert all(moved[pk] != born and moved[pk].year == born.year for pk, born in births.items())

        # The journal: one line per person, ids and the rule only.
        lines = [json.loads(line) for line in journal.read_text().splitlines()]
        assert sorted(line["id"] for line in lines) == sorted(due)
        assert {line["rule"] for line in lines} == {"esf_retention"}
        assert all(set(line) == {"at", "run", "model", "id", "rule"} for line in lines)
        assert occurrences(secrets, {"journal": journal.read_text()}) == []

        # The second run has nothing to do.
        second = retention.run(AFTER)
        assert second.nothing_to_do and second.persons == [] and second.access_log_entries == 0


def test_t39_journal_replay_anonymises_a_restored_person_again(
    world, journal, django_capture_on_commit_callbacks
):
    """The journal part of t39: an older copy of the person's rows comes back with a restore, and the
    replay anonymises them again; the journal holds ids and the rule only."""
    marked = person_with_everything(
        world.site_a, world.user("caseworker"), day=date(2024, 3, 12), last_name="Zwetschgenbaum",
        phone="0365 9876543", birth_date=date(1977, 7, 17),
    )  # fmt: skip
    person_row = Person.objects.filter(pk=marked.person.pk).values().get()
    with django_capture_on_commit_callbacks(execute=True):
        retention.run(date(2024, 12, 31), dry_run=True)  # no round: nothing due, nothing written
        assert not journal.exists()
        FundingRound.objects.create(
            programme=_programme(), name="2022–2025", starts_on=date(2022, 7, 1),
            ends_on=date(2025, 6, 30), final_payment_on=date(2025, 10, 1),
        )  # fmt: skip
        retention.approve(actor=world.user("dpo"), today=date(2031, 1, 2))
        retention.run(date(2031, 1, 2))
    text = journal.read_text()
    assert json.loads(text) == {
        "at": json.loads(text)["at"], "run": json.loads(text)["run"], "model": "cases.Person",
        "id": marked.person.pk, "rule": "esf_retention",
    }  # fmt: skip
    assert all(secret not in text for secret in marked.secrets)

    # The restore: last night's row of the person comes back, the journal table is older too.
    Person.objects.filter(pk=marked.person.pk).update(**{k: v for k, v in person_row.items() if k != "id"})
    DeletionJournalEntry.objects.all().delete()
    assert Person.objects.get(pk=marked.person.pk).last_name == "Zwetschgenbaum"

    assert retention.replay_journal() == 1

    person = Person.objects.get(pk=marked.person.pk)
    assert person.anonymised_at is not None and person.last_name == f"#{person.pk}"
    assert person.phone == "" and person.birth_date != marked.birth_date
    assert DeletionJournalEntry.objects.filter(object_id=person.pk, rule="esf_retention").exists()
    assert retention.replay_journal() == 0


def _programme() -> Any:
    return Programme.objects.create(name="ThINKA", short_name="ThINKA", coordinating_body="ThASG")
