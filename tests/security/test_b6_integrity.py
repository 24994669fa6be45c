"""B6 of the security anchors: no lost update (42) and the all-or-nothing, idempotent import (43)."""

import json
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from inka.cases import services
from inka.cases.models import Case
from inka.cases.tests.factories import make_case
from inka.core.models import AuditEntry
from inka.esf.interchange import import_participations
from inka.esf.models import Participation
from tests.security.test_b1_authorization import (
    body_text,
    changed_tables,
    client_for,
    database_snapshot,
    page_form,
)

# --- t42 -------------------------------------------------------------------------------------------


def test_t42_a_stale_form_gets_a_conflict_and_the_first_save_stays(world):
    case = make_case(world.site_a, world.user("caseworker"), life_situation="Ausgangslage")
    url = reverse("cases:case_edit", args=[case.pk])
    first, second = client_for(world.user("caseworker")), client_for(world.user("site_lead"))
    mine = page_form(body_text(first.get(url)), url)
    theirs = page_form(body_text(second.get(url)), url)
    assert mine["version"] == theirs["version"] == [str(case.version)]

    assert first.post(url, {**mine, "life_situation": "Fassung A"}).status_code == 302
    response = second.post(url, {**theirs, "life_situation": "Fassung B"})
    assert response.status_code == 409
    assert "Fassung A" in body_text(response), "the conflict page shows what the other person saved"
    saved = Case.objects.get(pk=case.pk)
    assert (saved.life_situation, saved.version) == ("Fassung A", case.version + 1)
    assert AuditEntry.objects.filter(action="inka.case.updated", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_t42_two_saves_at_the_same_moment_one_wins(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has a single writer: two saves cannot overlap there (PostgreSQL only)")
    case = make_case(world.site_a, world.user("caseworker"), life_situation="Ausgangslage")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user_name: str, text: str) -> None:
        try:
            with scopes_disabled():
                stale = Case.objects.get(pk=case.pk)
                barrier.wait(timeout=10)
                try:
                    services.case_update(
                        actor=world.user(user_name), case=stale, version=stale.version, needs=["money"],
                        life_situation=text,
                    )  # fmt: skip
                    outcomes.append(text)
                except services.EditConflict:
                    outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("caseworker", "Fassung A")),
        threading.Thread(target=save, args=("site_lead", "Fassung B")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("conflict") == 1, outcomes
    winner = next(text for text in outcomes if text != "conflict")
    saved = Case.objects.get(pk=case.pk)
    assert (saved.life_situation, saved.version) == (winner, case.version + 1)
    assert AuditEntry.objects.filter(action="inka.case.updated", object_id=str(case.pk)).count() == 1


# --- t43 -------------------------------------------------------------------------------------------

BAD_DATE, UNKNOWN_SITE = 537, 812


def participations(count: int, *, broken: bool) -> bytes:
    """A JSON Lines file of `count` participations; with `broken`, two lines carry mistakes."""
    lines = []
    for number in range(1, count + 1):
        record = {
            "participation_id": f"NORD-I{number:04d}",
            "person_key": f"K-I{number:04d}",
            "site": "NORD",
            "gender": "M" if number % 2 else "F",
            "date_of_birth": "1985-06-15",
            "stays": [{"entry": "2024-02-01", "exit": "2024-07-31"}],
            "labour_status_at_entry": "UNEMPLOYED",
            "unemployed_since": "2023-01-01",
            "isced_level": 2,
        }
        if broken and number == BAD_DATE:
            record["date_of_birth"] = "1985-02-30"
        if broken and number == UNKNOWN_SITE:
            record["site"] = "NIRGENDS"
        lines.append(json.dumps(record))
    return ("\n".join(lines) + "\n").encode()


def test_t43_an_import_with_bad_rows_writes_nothing_and_a_fixed_one_imports_once(world):
    name = "teilnahmen.jsonl"
    before = database_snapshot()
    for dry_run in (True, False):
        result = import_participations(name=name, content=participations(1000, broken=True), dry_run=dry_run)
        assert sorted((problem.row, problem.field) for problem in result.problems) == [
            (BAD_DATE, "date_of_birth"),
            (UNKNOWN_SITE, "site"),
        ]
        assert all(problem.reason for problem in result.problems)
        assert not result.written
        assert changed_tables(before, database_snapshot()) == {}, "not a single row was written"

    fixed = participations(1000, broken=False)
    result = import_participations(name=name, content=fixed)
    assert (result.created, result.problems, result.written) == (1000, (), True)
    assert Participation.objects.count() == 1000
    after_first = database_snapshot()
    again = import_participations(name=name, content=fixed)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 1000, False)
    assert changed_tables(after_first, database_snapshot()) == {}
