"""Action items on their owners' work lists (through inka/cases/worklist.py)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import formats

from inka.cases.worklist import work_list_providers
from inka.steering.models import ActionStatus
from inka.steering.tests.conftest import today
from inka.steering.worklist import work_list_items

WORK_LIST = reverse("cases:work_list")


def section(response):
    (found,) = [s for s in response.context["extra_sections"] if s.provider.key == "steuerungsgruppe"]
    return found


def test_the_provider_is_registered_for_writers_and_the_steering_group():
    (provider,) = [p for p in work_list_providers() if p.key == "steuerungsgruppe"]
    assert set(provider.roles) == {"caseworker", "site_lead", "steering"}


def test_a_steering_member_sees_their_action_items_and_no_case_work(world, login, members, held, make_item):
    overdue = make_item(
        held, members["town"], "Stellungnahme einholen", due_on=held.held_on + timedelta(days=2)
    )
    later = make_item(held, members["town"], "Runden Tisch vorbereiten", due_on=today() + timedelta(days=30))
    make_item(held, members["town"], "Schon erledigt", status=ActionStatus.DONE)
    response = login(world.user("steering")).get(WORK_LIST)
    assert response.status_code == 200
    assert response.context["work"] is None  # no follow-ups, referrals or other case work
    items = section(response).items
    assert [item.text for item in items] == ["Stellungnahme einholen", "Runden Tisch vorbereiten"]
    assert items[0].url == reverse("steering:action_item_edit", args=[overdue.pk])
    assert items[0].due_on < today() <= items[1].due_on == later.due_on
    label = str(items[0].label)
    assert formats.date_format(held.held_on, "SHORT_DATE_FORMAT") in label and held.group.name in label
    html = response.content.decode()
    assert "Stellungnahme einholen" in html and "Schon erledigt" not in html


def test_the_caseworker_sees_the_items_of_the_member_linked_to_them(world, login, members, held):
    response = login(world.user("caseworker")).get(WORK_LIST)
    assert response.context["work"] is not None
    assert [item.text for item in section(response).items] == ["Genehmigung für das Stadtteilfest beantragen"]


def test_without_an_action_item_the_steering_member_gets_an_empty_section(world, login, group):
    response = login(world.user("steering")).get(WORK_LIST)
    assert response.status_code == 200
    assert section(response).items == []


def test_items_of_other_sites_and_other_people_stay_off_the_list(world, members, held, make_item):
    make_item(held, members["housing"], "Nicht verknüpft")
    items = work_list_items(user=world.user("steering"), site_ids=[world.site_b.pk], today=today())
    assert items == []
    items = work_list_items(user=world.user("steering"), site_ids=[world.site_a.pk], today=today())
    assert items == []  # the town's member has no open item here; the carrier's is not theirs
