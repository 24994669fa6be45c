import random
from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone
from faker import Faker

from inka.accounts import demo as accounts_demo
from inka.core.demo import DemoContext
from inka.network import demo as network_demo
from inka.programme import demo as programme_demo
from inka.programme.models import Site
from inka.steering import demo
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)


@pytest.fixture
def ctx(db):
    faker = Faker("de_DE")
    faker.seed_instance(7)
    ctx = DemoContext(seed=7, rng=random.Random(7), faker=faker, scale=0.02)
    programme_demo.generate(ctx)
    accounts_demo.generate(ctx)
    network_demo._generate_partners(ctx)
    return ctx


def test_every_active_site_gets_a_group_with_quarterly_meetings(ctx, django_assert_max_num_queries):
    # Bulk writes: three reads, then inserts in batches (SQLite takes 999 parameters a query), never a
    # query per record.
    with django_assert_max_num_queries(40):
        demo.generate(ctx)
    today = timezone.localdate()
    active = set(Site.objects.filter(status=Site.Status.ACTIVE).values_list("pk", flat=True))
    assert set(SteeringGroup.objects.values_list("site_id", flat=True)) == active
    for group in SteeringGroup.objects.all():
        group.full_clean()
        members = list(group.members.all())
        current = [member for member in members if member.until is None]
        assert 4 <= len(current) <= 7, group
        assert {MemberRole.MUNICIPALITY, MemberRole.HOUSING, MemberRole.CARRIER, MemberRole.JOBCENTER} <= {
            member.role for member in current
        }
        meetings = list(group.meetings.order_by("held_on"))
        planned = [meeting for meeting in meetings if meeting.status == MeetingStatus.PLANNED]
        assert len(planned) == 1 and planned[0] == meetings[-1] and planned[0].held_on > today
        assert planned[0].agenda.count() >= 4
        held = meetings[:-1]
        assert all(meeting.held_on <= today for meeting in held)
        assert all(b.held_on - a.held_on < timedelta(days=120) for a, b in pairwise(meetings))
        for meeting in held:
            meeting.full_clean()
            assert meeting.minutes and meeting.minutes_by
            assert 1 <= meeting.decisions.count() <= 3
            assert 1 <= meeting.action_items.count() <= 4
            assert set(meeting.present.all()) <= set(members)


def test_action_items_keep_the_rules_of_the_services(ctx):
    demo.generate(ctx)
    today = timezone.localdate()
    items = ActionItem.objects.select_related("meeting", "owner")
    assert items.exists()
    for item in items:
        item.full_clean()
        assert item.owner.group_id == item.meeting.group_id
        assert item.due_on >= item.meeting.held_on
        assert item.owner.since is None or item.owner.since <= item.meeting.held_on
        assert item.owner.until is None or item.owner.until >= item.meeting.held_on
        if item.done_on:
            assert item.meeting.held_on <= item.done_on <= today and item.status == ActionStatus.DONE
    statuses = Counter(items.values_list("status", flat=True))
    assert statuses[ActionStatus.DONE] > statuses[ActionStatus.OPEN] > 0


def test_the_demo_logins_at_alt_sit_in_the_group_and_own_open_items(ctx):
    demo.generate(ctx)
    today = timezone.localdate()
    linked = {
        member.user.email.split("@")[0]: member
        for member in Member.objects.filter(group__site__code="ALT", user__isnull=False)
    }
    assert set(linked) == {"steuerung.alt", "leitung.alt", "lotse.alt"}
    assert linked["steuerung.alt"].role == MemberRole.MUNICIPALITY
    assert linked["lotse.alt"].role == linked["leitung.alt"].role == MemberRole.CARRIER
    open_items = ActionItem.objects.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    assert open_items.filter(owner=linked["steuerung.alt"]).exists()
    assert open_items.filter(owner=linked["lotse.alt"], due_on__lt=today).exists()  # one is overdue
    assert open_items.filter(owner=linked["lotse.alt"], due_on__gte=today).exists()


def test_the_same_seed_gives_the_same_groups(ctx):
    demo.generate(ctx)
    first = list(
        Meeting.objects.order_by("group__site__code", "held_on").values_list(
            "group__site__code", "held_on", "minutes"
        )
    )
    assert first
    demo.generate(ctx)  # a second run leaves existing groups alone
    assert Meeting.objects.count() == len(first)
