"""The pages of retention and erasure: the dpo's dry run and approval, the funding rounds' periods."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from inka.core.models import AccessLogEntry, AuditEntry
from inka.privacy.models import RetentionApproval
from inka.privacy.tests.retention_people import person_with_everything
from inka.privacy.tests.test_retention import journal, rounds  # noqa: F401  (fixtures)
from inka.programme.models import FundingRound

AFTER = date(2031, 1, 2)


@pytest.fixture
def due_person(world, rounds):  # noqa: F811
    return person_with_everything(
        world.site_a, world.user("caseworker"), day=date(2024, 3, 12), last_name="Zwetschgenbaum",
        phone="0365 9876543", birth_date=date(1977, 7, 17),
    )  # fmt: skip


def test_the_dpo_sees_the_dry_run_without_names_and_approves(world, login, due_person):
    dpo = world.user("dpo")
    with time_machine.travel(AFTER, tick=False):
        client = login(dpo)
        response = client.get(reverse("privacy:retention"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Zwetschgenbaum" not in html and "0365" not in html
        assert "NORD" in html and "2026–2028" in html  # the site's count, the round without final payment
        assert (
            AccessLogEntry.objects.filter(action="retention.view", actor_id=world.user("dpo").pk).count() == 1
        )

        response = client.post(reverse("privacy:retention_approve"), {"note": "Prüfung 2031/1"})
        assert response.status_code == 302
    approval = RetentionApproval.objects.get()
    assert approval.person_ids == [due_person.person.pk] and approval.approved_by == dpo
    assert approval.note == "Prüfung 2031/1" and approval.as_of == AFTER
    assert AuditEntry.objects.filter(
        action="inka.privacy.retention.approved", object_id=str(approval.pk)
    ).exists()


def test_a_too_long_note_is_refused_at_the_field_and_nothing_is_approved(world, login, rounds):  # noqa: F811
    client = login(world.user("dpo"))
    response = client.post(reverse("privacy:retention_approve"), {"note": "x" * 2001})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert RetentionApproval.objects.count() == 0


def test_the_coordination_enters_the_final_payment_and_the_retention_years(world, login, rounds):  # noqa: F811
    second = rounds[1]
    client = login(world.user("coordinator"))
    url = reverse("privacy:funding_round_edit", args=[second.pk])
    assert client.get(reverse("privacy:funding_rounds")).status_code == 200

    response = client.post(url, {"final_payment_on": "2029-03-02", "retention_years": "4"})
    assert response.status_code == 400 and "retention_years" in response.context["form"].errors
    response = client.post(url, {"final_payment_on": "2025-12-31", "retention_years": "6"})
    assert response.status_code == 400 and "final_payment_on" in response.context["form"].errors
    second.refresh_from_db()
    assert (second.final_payment_on, second.retention_years) == (None, 5)

    response = client.post(url, {"final_payment_on": "02.03.2029", "retention_years": "6"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.retention_ends_on == date(2035, 12, 31)
    entry = AuditEntry.objects.get(action="inka.privacy.retention.funding_round")
    assert entry.changes == {"final_payment_on": [None, "2029-03-02"], "retention_years": [5, 6]}
    assert FundingRound.objects.get(pk=rounds[0].pk).final_payment_on == date(2025, 11, 3)
