from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from inka.accounts.models import Membership
from inka.core.models import AuditEntry
from inka.core.permissions import Role
from inka.network.models import Partner, PartnerKind, SitePartner
from inka.steering import services
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
from inka.steering.services import ActionEntry, DecisionEntry, due_before_meeting_message
from inka.steering.tests.conftest import today


def actions(action):
    return list(AuditEntry.objects.filter(action=action))


# Groups


def test_group_create_sets_up_one_group_per_site(world):
    lead = world.user("site_lead")
    group = services.group_create(actor=lead, site=world.site_a, name="  Steuerungsgruppe Nord ", rhythm="")
    assert group.name == "Steuerungsgruppe Nord"
    (entry,) = actions("inka.steering.group.created")
    assert entry.site_id == world.site_a.pk and entry.actor_id == lead.pk
    assert entry.changes["name"] == [None, "Steuerungsgruppe Nord"]
    with pytest.raises(ValidationError):
        services.group_create(actor=lead, site=world.site_a, name="Noch eine")
    assert SteeringGroup.objects.count() == 1


def test_group_update_records_only_real_changes(world, group):
    lead = world.user("site_lead")
    services.group_update(actor=lead, group=group, name=group.name, remit="Begleitet\r\ndie Arbeit")
    group.refresh_from_db()
    assert group.remit == "Begleitet\ndie Arbeit"
    services.group_update(actor=lead, group=group, name=group.name, remit="Begleitet\r\ndie Arbeit")
    assert len(actions("inka.steering.group.updated")) == 1
    with pytest.raises(TypeError):
        services.group_update(actor=lead, group=group, site=world.site_b)


# Members


def test_member_with_a_partner_and_an_account_of_the_site(world, group):
    partner = Partner.objects.create(name="Wohnungsgesellschaft Nord", kind=PartnerKind.HOUSING)
    SitePartner.objects.create(site=world.site_a, partner=partner)
    member = services.member_create(
        actor=world.user("caseworker"),
        group=group,
        name="Annelene Gehringer",
        organisation=partner.name,
        partner=partner,
        role=MemberRole.HOUSING,
        user=world.user("reader"),
        since=date(2024, 1, 1),
    )
    assert member.group == group and member.user == world.user("reader")
    (entry,) = actions("inka.steering.member.created")
    assert entry.site_id == world.site_a.pk


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"since": date(2025, 1, 1), "until": date(2024, 12, 31)}, "until"),
        ({"role": "mayor"}, "role"),
        ({"name": ""}, "name"),
    ],
)
def test_member_field_errors_write_nothing(world, group, fields, field):
    data = {"name": "Ben Geisel", "organisation": "Jobcenter", "role": MemberRole.JOBCENTER, **fields}
    with pytest.raises(ValidationError) as error:
        services.member_create(actor=world.user("caseworker"), group=group, **data)
    assert field in error.value.message_dict
    assert not Member.objects.exists()
    assert not AuditEntry.objects.exists()


def test_an_account_linked_to_a_member_must_belong_to_the_site(world, group):
    base = {"name": "Charlie", "organisation": "Stadt", "role": MemberRole.MUNICIPALITY}
    for user in [world.user("other_caseworker"), world.user("coordinator")]:
        with pytest.raises(ValidationError) as error:
            services.member_create(actor=world.user("caseworker"), group=group, user=user, **base)
        assert list(error.value.message_dict) == ["user"]
    assert not Member.objects.exists()


def test_one_account_is_linked_to_one_current_member(world, group, members):
    with pytest.raises(ValidationError) as error:
        services.member_create(
            actor=world.user("caseworker"),
            group=group,
            name="Petra Schubert (neu)",
            organisation="Stadt",
            role=MemberRole.MUNICIPALITY,
            user=world.user("steering"),
        )
    assert list(error.value.message_dict) == ["user"]


def test_the_institution_must_be_on_the_sites_partner_list(world, group):
    elsewhere = Partner.objects.create(name="Jobcenter Gera", kind=PartnerKind.JOBCENTER, town="Gera")
    SitePartner.objects.create(site=world.site_b, partner=elsewhere)
    with pytest.raises(ValidationError) as error:
        services.member_create(
            actor=world.user("caseworker"),
            group=group,
            name="Ben Geisel",
            organisation=elsewhere.name,
            partner=elsewhere,
            role=MemberRole.JOBCENTER,
        )
    assert list(error.value.message_dict) == ["partner"]


def test_ending_a_membership(world, members):
    member = members["housing"]
    services.member_update(actor=world.user("site_lead"), member=member, until=date(2025, 3, 31))
    member.refresh_from_db()
    assert member.until == date(2025, 3, 31) and not member.is_active
    (entry,) = actions("inka.steering.member.updated")
    assert entry.changes == {"until": [None, "2025-03-31"]}


def test_a_member_keeps_an_account_that_has_left_the_site_only_until_changed(world, members):
    Membership.objects.filter(user=world.user("steering")).delete()
    with pytest.raises(ValidationError):
        services.member_update(
            actor=world.user("site_lead"), member=members["town"], function="Sozialplanung"
        )
    Membership.objects.create(user=world.user("steering"), site=world.site_a, role=Role.STEERING)
    services.member_update(actor=world.user("site_lead"), member=members["town"], function="Sozialplanung")


# Meetings


def test_meeting_plan_numbers_the_agenda(world, group):
    day = today() + timedelta(days=30)
    meeting = services.meeting_plan(
        actor=world.user("site_lead"),
        group=group,
        held_on=day,
        place="Stadtteilbüro",
        agenda=["Begrüßung", "  ", "Bericht aus dem Stadtteilbüro\r"],
    )
    assert meeting.status == MeetingStatus.PLANNED
    assert list(meeting.agenda.values_list("position", "title")) == [
        (1, "Begrüßung"),
        (2, "Bericht aus dem Stadtteilbüro"),
    ]
    (entry,) = actions("inka.steering.meeting.planned")
    assert entry.changes["agenda"] == [None, ["Begrüßung", "Bericht aus dem Stadtteilbüro"]]
    assert entry.site_id == world.site_a.pk


def test_an_agenda_item_too_long_writes_nothing(world, group):
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(actor=world.user("site_lead"), group=group, held_on=today(), agenda=["x" * 301])
    assert list(error.value.message_dict) == ["agenda"]
    assert not Meeting.objects.exists()


def test_meeting_update_calls_a_planned_meeting_off_and_replaces_the_agenda(world, group):
    lead = world.user("site_lead")
    meeting = services.meeting_plan(actor=lead, group=group, held_on=today(), agenda=["A", "B"])
    services.meeting_update(actor=lead, meeting=meeting, held_on=today(), agenda=["B"], cancelled=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert list(meeting.agenda.values_list("title", flat=True)) == ["B"]
    (entry,) = actions("inka.steering.meeting.updated")
    assert entry.changes["status"] == ["planned", "cancelled"]


def test_a_minuted_meeting_cannot_move_behind_its_action_items_or_into_the_future(world, held):
    item = held.action_items.get()
    for day, field in [
        (item.due_on + timedelta(days=1), "held_on"),
        (today() + timedelta(days=1), "held_on"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.meeting_update(actor=world.user("site_lead"), meeting=held, held_on=day, cancelled=True)
        assert list(error.value.message_dict) == [field]
    held.refresh_from_db()
    assert held.held_on == today() - timedelta(days=7) and held.status == MeetingStatus.HELD


# Minutes


@pytest.fixture
def planned(world, group, members, make_meeting):
    return make_meeting(group, held_on=today(), status=MeetingStatus.PLANNED)


def record(world, meeting, **changes):
    data = {
        "held_on": meeting.held_on,
        "present": [],
        "minutes": "1. Begrüßung",
        "decisions": [],
        "action_items": [],
        **changes,
    }
    return services.meeting_record_minutes(actor=world.user("site_lead"), meeting=meeting, **data)


def test_minutes_with_presence_decisions_and_action_items(world, members, planned):
    due = today() + timedelta(days=14)
    record(
        world,
        planned,
        present=[members["town"], members["carrier"]],
        guests="Frau Kühn (Verbraucherzentrale)",
        minutes_by="Thomas Wagner",
        decisions=[DecisionEntry("Das Stadtteilfest findet im September statt.")],
        action_items=[ActionEntry("Genehmigung beantragen", members["town"], due, note="beim Ordnungsamt")],
    )
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.HELD
    assert set(planned.present.all()) == {members["town"], members["carrier"]}
    assert list(planned.decisions.values_list("text", flat=True)) == [
        "Das Stadtteilfest findet im September statt."
    ]
    item = planned.action_items.get()
    assert (item.title, item.owner, item.due_on, item.status) == (
        "Genehmigung beantragen",
        members["town"],
        due,
        ActionStatus.OPEN,
    )
    (entry,) = actions("inka.steering.meeting.minutes_recorded")
    assert entry.changes["status"] == ["planned", "held"]
    assert entry.changes["decisions"] == [[], ["Das Stadtteilfest findet im September statt."]]
    assert len(actions("inka.steering.action_item.created")) == 1


def test_an_action_item_due_before_its_meeting_writes_nothing(world, members, planned):
    with pytest.raises(ValidationError) as error:
        record(
            world,
            planned,
            decisions=[DecisionEntry("Beschluss")],
            action_items=[
                ActionEntry("Rechtzeitig", members["town"], today()),
                ActionEntry("Zu früh", members["town"], today() - timedelta(days=1)),
            ],
        )
    assert error.value.message_dict == {"action_items[1].due_on": [due_before_meeting_message()]}
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED and planned.minutes == ""
    assert not Decision.objects.exists() and not ActionItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_minutes_only_from_the_day_of_the_meeting(world, members, group, make_meeting):
    future = make_meeting(group, held_on=today() + timedelta(days=1), status=MeetingStatus.PLANNED)
    with pytest.raises(ValidationError) as error:
        record(world, future)
    assert list(error.value.message_dict) == ["held_on"]
    # Moved to today in the same form, the minutes can be recorded.
    record(world, future, held_on=today())
    assert Meeting.objects.get(pk=future.pk).status == MeetingStatus.HELD


def test_owners_and_those_present_must_be_members_of_the_group(
    world, members, planned, make_group, make_member
):
    stranger = make_member(make_group(world.site_b, "Steuerungsgruppe Süd"), "Fremd")
    with pytest.raises(ValidationError) as error:
        record(
            world,
            planned,
            present=[stranger],
            action_items=[ActionEntry("Etwas tun", stranger, today())],
        )
    assert set(error.value.message_dict) == {"present", "action_items[0].owner"}
    assert not ActionItem.objects.exists()


def test_recording_again_changes_keeps_and_removes_entries(world, members, held, make_item):
    kept = held.action_items.get()
    services.action_item_update(actor=world.user("caseworker"), item=kept, status=ActionStatus.IN_PROGRESS)
    removed = make_item(held, members["housing"], "Wird gestrichen")
    old_decision = held.decisions.get()
    due = today() + timedelta(days=30)
    record(
        world,
        held,
        held_on=held.held_on,
        decisions=[DecisionEntry("Neuer Beschluss")],
        action_items=[
            ActionEntry("Genehmigung beantragen (Ordnungsamt)", members["carrier"], due, pk=kept.pk),
            ActionEntry("Neue Aufgabe", members["housing"], due),
        ],
    )
    kept.refresh_from_db()
    assert kept.title == "Genehmigung beantragen (Ordnungsamt)" and kept.due_on == due
    assert kept.status == ActionStatus.IN_PROGRESS  # recording the minutes again leaves the progress alone
    assert not ActionItem.objects.filter(pk=removed.pk).exists()
    assert not Decision.objects.filter(pk=old_decision.pk).exists()
    assert list(held.decisions.values_list("text", flat=True)) == ["Neuer Beschluss"]
    assert [e.object_id for e in actions("inka.steering.action_item.removed")] == [str(removed.pk)]
    assert len(actions("inka.steering.action_item.created")) == 1


def test_entries_of_another_meeting_cannot_be_changed_through_the_minutes(world, members, held, planned):
    item = held.action_items.get()
    with pytest.raises(ValidationError):
        record(world, planned, action_items=[ActionEntry("Gekapert", members["town"], today(), pk=item.pk)])
    item.refresh_from_db()
    assert item.title == "Genehmigung für das Stadtteilfest beantragen" and item.meeting == held


# Action items


def test_marking_an_item_done_dates_it_and_reopening_clears_the_date(world, held):
    item = held.action_items.get()
    services.action_item_update(
        actor=world.user("steering"), item=item, status=ActionStatus.DONE, note="erledigt"
    )
    item.refresh_from_db()
    assert item.done_on == today() and item.note == "erledigt"
    services.action_item_update(actor=world.user("steering"), item=item, status=ActionStatus.OPEN)
    item.refresh_from_db()
    assert item.done_on is None
    entries = actions("inka.steering.action_item.updated")
    assert [entry.actor_id for entry in entries] == [world.user("steering").pk] * 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"due_on": "before"}, "due_on"),
        ({"status": ActionStatus.DONE, "done_on": "before"}, "done_on"),
        ({"status": ActionStatus.DONE, "done_on": "tomorrow"}, "done_on"),
    ],
)
def test_action_item_dates_follow_the_meeting(world, held, changes, field):
    item = held.action_items.get()
    days = {"before": held.held_on - timedelta(days=1), "tomorrow": today() + timedelta(days=1)}
    changes = {name: days.get(value, value) for name, value in changes.items()}
    with pytest.raises(ValidationError) as error:
        services.action_item_update(actor=world.user("caseworker"), item=item, **changes)
    assert list(error.value.message_dict) == [field]
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN and item.due_on > held.held_on


def test_action_item_owner_from_another_group_is_refused(world, held, make_group, make_member):
    stranger = make_member(make_group(world.site_b, "Steuerungsgruppe Süd"), "Fremd")
    with pytest.raises(ValidationError) as error:
        services.action_item_update(
            actor=world.user("caseworker"), item=held.action_items.get(), owner=stranger
        )
    assert list(error.value.message_dict) == ["owner"]
