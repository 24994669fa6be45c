from datetime import date, timedelta

from inka.steering import selectors
from inka.steering.models import ActionStatus, MeetingStatus, MemberRole
from inka.steering.tests.conftest import today


def test_meeting_list_counts_decisions_and_open_action_items(group, members, held, make_meeting, make_item):
    make_item(held, members["housing"], status=ActionStatus.DONE)
    make_item(held, members["housing"], status=ActionStatus.IN_PROGRESS)
    planned = make_meeting(group, held_on=today() + timedelta(days=60), status=MeetingStatus.PLANNED)
    meetings = list(selectors.meeting_list(group=group))
    assert meetings == [planned, held]
    counts = [(m.decision_count, m.action_count, m.open_count) for m in meetings]
    assert counts == [(0, 0, 0), (1, 3, 2)]


def test_next_meeting_is_the_first_planned_one_from_today(group, make_meeting):
    make_meeting(group, held_on=today() - timedelta(days=1), status=MeetingStatus.PLANNED)
    make_meeting(group, held_on=today() + timedelta(days=3), status=MeetingStatus.CANCELLED)
    later = make_meeting(group, held_on=today() + timedelta(days=90), status=MeetingStatus.PLANNED)
    soon = make_meeting(group, held_on=today() + timedelta(days=10), status=MeetingStatus.PLANNED)
    assert selectors.next_meeting(group=group, today=today()) == soon
    soon.delete()
    assert selectors.next_meeting(group=group, today=today()) == later


def test_action_item_list_filters_by_status_and_owner(group, members, held, make_item):
    first = held.action_items.get()
    done = make_item(
        held, members["town"], "Erledigt", status=ActionStatus.DONE, due_on=first.due_on - timedelta(1)
    )
    working = make_item(held, members["town"], "In Arbeit", status=ActionStatus.IN_PROGRESS)
    assert list(selectors.action_item_list(group=group)) == [first, working]
    assert list(selectors.action_item_list(group=group, status=selectors.ALL)) == [done, first, working]
    assert list(selectors.action_item_list(group=group, status=ActionStatus.DONE)) == [done]
    assert list(selectors.action_item_list(group=group, owner=members["town"])) == [working]


def test_open_items_of_earlier_meetings_reach_the_next_agenda(group, members, held, make_meeting, make_item):
    done = make_item(held, members["town"], status=ActionStatus.DONE)
    open_item = held.action_items.exclude(pk=done.pk).get()
    following = make_meeting(group, held_on=today() + timedelta(days=80), status=MeetingStatus.PLANNED)
    later = make_item(following, members["town"])  # of the meeting itself, not an earlier one
    assert list(selectors.open_items_before(following)) == [open_item]
    assert list(selectors.open_items_before(held)) == []
    assert later not in selectors.open_items_before(following)


def test_members_at_a_day_and_those_to_keep(group, members, make_member):
    left = make_member(group, "Ehemalig", role=MemberRole.HOUSING, until=date(2025, 3, 31))
    new = make_member(group, "Neu", role=MemberRole.HOUSING, since=date(2025, 4, 1))
    assert left in selectors.members_at(group=group, day=date(2025, 3, 1))
    assert new not in selectors.members_at(group=group, day=date(2025, 3, 1))
    assert left not in selectors.members_at(group=group, day=date(2025, 5, 1))
    assert left in selectors.members_at(group=group, day=date(2025, 5, 1), keep=[left.pk])
    # The town comes first, then the housing company, then the carrier.
    roles = [member.role for member in selectors.members_at(group=group, day=today())]
    assert roles == [MemberRole.MUNICIPALITY, MemberRole.HOUSING, MemberRole.HOUSING, MemberRole.CARRIER]


def test_group_overview_for_the_coordination(world, group, members, held, make_meeting, make_item):
    make_meeting(group, held_on=date(today().year - 1, 6, 1))  # last year: not counted as this year's
    make_item(held, members["town"], status=ActionStatus.DONE)
    members["housing"].until = today()
    members["housing"].save()
    rows = {
        site.code: site
        for site in selectors.group_overview(site_ids=[world.site_a.pk, world.site_b.pk], year=today().year)
    }
    assert set(rows) == {"NORD", "SUED"}  # site B is active but has no group yet
    nord = rows["NORD"]
    assert (nord.group_pk, nord.group_name) == (group.pk, group.name)
    meetings_this_year = 1 if held.held_on.year == today().year else 0
    assert (nord.member_count, nord.meetings_this_year, nord.last_meeting, nord.open_items) == (
        2,
        meetings_this_year,
        held.held_on,
        1,
    )
    assert rows["SUED"].group_pk is None and rows["SUED"].open_items == 0
