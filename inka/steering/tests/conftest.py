from datetime import date, timedelta

import pytest
from django.utils import timezone

from inka.steering.models import (
    ActionItem,
    ActionStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def make_group():
    def make(site, name="Steuerungsgruppe Nordviertel", **fields):
        return SteeringGroup.objects.create(site=site, name=name, **fields)

    return make


@pytest.fixture
def group(world, make_group):
    return make_group(world.site_a)


@pytest.fixture
def make_member():
    def make(
        group, name="Petra Schubert", organisation="Stadt Altenburg", role=MemberRole.MUNICIPALITY, **fields
    ):
        return Member.objects.create(group=group, name=name, organisation=organisation, role=role, **fields)

    return make


@pytest.fixture
def members(world, group, make_member):
    """The group of site A: the town (linked to the steering persona), the housing company, the carrier."""
    return {
        "town": make_member(group, user=world.user("steering")),
        "housing": make_member(group, "Annelene Gehringer", "Wohnungsgesellschaft Nord", MemberRole.HOUSING),
        "carrier": make_member(
            group, "Anna Berger", "AWO Altenburg", MemberRole.CARRIER, user=world.user("caseworker")
        ),
    }


@pytest.fixture
def make_meeting():
    def make(group, held_on=None, status=MeetingStatus.HELD, **fields):
        held_on = held_on or today() - timedelta(days=7)
        return Meeting.objects.create(group=group, held_on=held_on, status=status, **fields)

    return make


@pytest.fixture
def held(group, members, make_meeting):
    """A meeting of site A's group a week ago with a decision and an action item of the carrier."""
    meeting = make_meeting(group, minutes="Bericht aus dem Stadtteilbüro", place="Stadtteilbüro")
    meeting.present.set([members["town"], members["carrier"]])
    Decision.objects.create(meeting=meeting, text="Das Stadtteilfest findet im September statt.")
    ActionItem.objects.create(
        meeting=meeting,
        title="Genehmigung für das Stadtteilfest beantragen",
        owner=members["carrier"],
        due_on=today() + timedelta(days=14),
    )
    return meeting


@pytest.fixture
def make_item():
    def make(meeting, owner, title="Raumfrage klären", due_on=None, status=ActionStatus.OPEN, **fields):
        due_on = due_on or meeting.held_on + timedelta(days=21)
        return ActionItem.objects.create(
            meeting=meeting, owner=owner, title=title, due_on=due_on, status=status, **fields
        )

    return make
