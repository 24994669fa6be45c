"""The six-month follow-up on the caseworker's work list (through inka/cases/worklist.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from inka.cases.tests.factories import make_case, make_person
from inka.cases.worklist import work_list_providers
from inka.core.models import AccessLogEntry
from inka.esf import services
from inka.esf.engine import add_months
from inka.esf.selectors import followups_due_for, six_month_reference

WORK_LIST = reverse("cases:work_list")


def today():
    return timezone.localdate()


@pytest.fixture
def worker(world):
    return world.user("caseworker")


def left(world, worker, name, reference_in_days, caseworker=None):
    """A participation whose six-month reference date lies `reference_in_days` from today."""
    exit_date = add_months(today() + timedelta(days=reference_in_days), -6)
    case = make_case(
        world.site_a,
        caseworker or worker,
        make_person(world.site_a, name, "Krüger"),
        opened_on=exit_date - timedelta(days=60),
    )
    participation = services.participation_start(actor=worker, case=case, entry_date=case.opened_on)
    return services.participation_exit(actor=worker, participation=participation, exit_date=exit_date)


def test_the_esf_provider_is_registered():
    assert "esf-nachbefragung" in [provider.key for provider in work_list_providers()]


def test_due_and_overdue_follow_ups_are_on_the_caseworkers_work_list(world, login, worker):
    overdue = left(world, worker, "Ulla", -10)
    soon = left(world, worker, "Bernd", 14)
    left(world, worker, "Later", 15)
    recorded = left(world, worker, "Done", -3)
    services.followup_record(actor=worker, participation=recorded, status="NO_RESPONSE", recorded_on=today())
    left(world, worker, "Lead", 2, caseworker=world.user("site_lead"))

    response = login(worker).get(WORK_LIST)
    assert response.status_code == 200
    (section,) = [s for s in response.context["extra_sections"] if s.provider.key == "esf-nachbefragung"]
    assert [item.case for item in section.items] == [overdue.case, soon.case]
    assert [item.due_on for item in section.items] == [
        six_month_reference(overdue.exit_date),
        six_month_reference(soon.exit_date),
    ]
    html = response.content.decode()
    assert "Krüger, Ulla" in html and "Krüger, Bernd" in html
    assert "Later" not in html and "Done" not in html and "Lead" not in html
    assert reverse("esf:participation_detail", args=[overdue.pk]) + "#nachbefragung" in html
    assert 'class="overdue"' in html
    entry = AccessLogEntry.objects.get(action="work_list.view")
    assert sorted(entry.record_ids) == sorted([overdue.case.pk, soon.case.pk])

    lead_items = followups_due_for(user=world.user("site_lead"), site_ids=[world.site_a.pk], today=today())
    assert [p.person.first_name for p in lead_items] == ["Lead"]


def test_open_participations_and_other_sites_are_not_on_it(world, login, worker):
    case = make_case(world.site_a, worker, make_person(world.site_a, "Offen", "Krüger"))
    services.participation_start(actor=worker, case=case, entry_date=case.opened_on)
    left(world, worker, "Anna", 1)
    assert followups_due_for(user=worker, site_ids=[world.site_b.pk], today=today()) == []
    html = login(worker).get(WORK_LIST).content.decode()
    assert "Offen" not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_the_work_list_stays_within_its_query_count(
    world, login, worker, rows, django_assert_max_num_queries
):
    for index in range(rows):
        left(world, worker, f"Vorname{index:02}", -index)
    client = login(worker)
    with django_assert_max_num_queries(15):  # as the case-work test: one query per extra section
        response = client.get(WORK_LIST)
    (section,) = [s for s in response.context["extra_sections"] if s.provider.key == "esf-nachbefragung"]
    assert len(section.items) == rows
