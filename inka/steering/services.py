"""Writes to steering groups: validated, atomic, with an audit entry naming the actor.

Rules that need other rows (the owner of an action item belongs to the group, an account linked to a
member belongs to the site, an action item is not due before its meeting) are checked here, before
anything is written, and raised as field errors in German.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.accounts.models import Membership
from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import allowed_fields, clean_text
from inka.network.models import SitePartner
from inka.programme.models import Site
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    SteeringGroup,
)

GROUP_FIELDS = ["name", "founded_on", "rhythm", "remit"]
MEMBER_FIELDS = [
    "name", "organisation", "partner", "role", "function", "email", "phone", "user", "since", "until",
]  # fmt: skip
MEETING_FIELDS = ["held_on", "starts_at", "place", "status"]
MINUTES_FIELDS = ["held_on", "status", "guests", "minutes", "minutes_by"]
ACTION_FIELDS = ["title", "owner", "due_on", "status", "done_on", "note"]

Errors = dict[str, list[str]]


def due_before_meeting_message() -> str:
    return _("The action item cannot be due before the meeting.")


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _full_clean(
    obj: models.Model, errors: Errors, *, prefix: str = "", exclude: list[str] | None = None
) -> None:
    """Collect the model's own field errors under `prefix` (e.g. "action_items[0]."), raise nothing."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            for message in messages:
                _add(errors, f"{prefix}{field}", message)


# Groups


@transaction.atomic
def group_create(*, actor: Any, site: Site, **fields: Any) -> SteeringGroup:
    """Set up the steering group of `site`; a site has one."""
    if SteeringGroup.objects.filter(site=site).exists():
        raise ValidationError(_("This site already has a steering group."))
    group = SteeringGroup(site=site, **allowed_fields(fields, GROUP_FIELDS, service="group_create"))
    group.full_clean()
    group.save()
    audit(
        actor=actor,
        action="inka.steering.group.created",
        obj=group,
        changes=diff({}, snapshot(group, GROUP_FIELDS)),
    )
    return group


@transaction.atomic
def group_update(*, actor: Any, group: SteeringGroup, **fields: Any) -> SteeringGroup:
    """Change the name, founding date, rhythm or remit of a steering group."""
    before = snapshot(group, GROUP_FIELDS)
    for name, value in allowed_fields(fields, GROUP_FIELDS, service="group_update").items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    changes = diff(before, snapshot(group, GROUP_FIELDS))
    if changes:
        audit(actor=actor, action="inka.steering.group.updated", obj=group, changes=changes)
    return group


# Members


def _check_member(member: Member, group: SteeringGroup) -> None:
    errors: Errors = {}
    if member.since and member.until and member.until < member.since:
        _add(errors, "until", _("The membership cannot end before it began."))
    if member.user_id is not None:
        if not Membership.objects.filter(user_id=member.user_id, site_id=group.site_id).exists():
            _add(errors, "user", _("This account has no role at the site of the steering group."))
        elif (
            Member.objects.filter(group=group, user_id=member.user_id, until__isnull=True)
            .exclude(pk=member.pk)
            .exists()
        ):
            _add(errors, "user", _("This account is already linked to another member of the group."))
    if (
        member.partner_id is not None
        and not SitePartner.objects.filter(site_id=group.site_id, partner_id=member.partner_id).exists()
    ):
        _add(errors, "partner", _("This institution is not on the site's partner list."))
    _full_clean(member, errors, exclude=["group"])
    _raise(errors)


@transaction.atomic
def member_create(*, actor: Any, group: SteeringGroup, **fields: Any) -> Member:
    """Add a member (a representative of an institution) to the steering group."""
    member = Member(group=group, **allowed_fields(fields, MEMBER_FIELDS, service="member_create"))
    _check_member(member, group)
    member.save()
    audit(
        actor=actor,
        action="inka.steering.member.created",
        obj=member,
        site_id=group.site_id,
        changes=diff({}, snapshot(member, MEMBER_FIELDS)),
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **fields: Any) -> Member:
    """Change a member; an end date ends the membership (past meetings and action items stay)."""
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in allowed_fields(fields, MEMBER_FIELDS, service="member_update").items():
        setattr(member, name, value)
    _check_member(member, member.group)
    member.save()
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.steering.member.updated",
            obj=member,
            site_id=member.group.site_id,
            changes=changes,
        )
    return member


# Meetings


def _agenda_titles(agenda: Iterable[str], errors: Errors) -> list[str]:
    titles = [title for title in (clean_text(line) for line in agenda) if title]
    limit = AgendaItem._meta.get_field("title").max_length or 300
    for number, title in enumerate(titles, start=1):
        if len(title) > limit:
            _add(
                errors,
                "agenda",
                _("Item %(number)s of the agenda is longer than %(limit)s characters.")
                % {"number": number, "limit": limit},
            )
    return titles


def _replace_agenda(meeting: Meeting, titles: list[str]) -> None:
    AgendaItem.objects.filter(meeting=meeting).delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=number, title=title) for number, title in enumerate(titles, 1)
    )


def _meeting_state(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the change history records it: its fields, agenda, presence and decisions."""
    state = snapshot(meeting, [*MEETING_FIELDS, "guests", "minutes", "minutes_by"])
    if meeting.pk is not None:
        state["agenda"] = list(meeting.agenda.order_by("position", "pk").values_list("title", flat=True))
        state["present"] = sorted(meeting.present.values_list("pk", flat=True))
        state["decisions"] = list(meeting.decisions.order_by("pk").values_list("text", flat=True))
    return state


@transaction.atomic
def meeting_plan(
    *,
    actor: Any,
    group: SteeringGroup,
    held_on: date,
    starts_at: Any = None,
    place: str = "",
    agenda: Sequence[str] = (),
) -> Meeting:
    """Plan a meeting of the group with its agenda (one title per item, in order)."""
    errors: Errors = {}
    titles = _agenda_titles(agenda, errors)
    meeting = Meeting(
        group=group,
        held_on=held_on,
        starts_at=starts_at,
        place=clean_text(place),
        status=MeetingStatus.PLANNED,
    )
    _full_clean(meeting, errors, exclude=["group"])
    _raise(errors)
    meeting.save()
    _replace_agenda(meeting, titles)
    audit(
        actor=actor,
        action="inka.steering.meeting.planned",
        obj=meeting,
        site_id=group.site_id,
        changes=diff({}, _meeting_state(meeting)),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    held_on: date,
    starts_at: Any = None,
    place: str = "",
    agenda: Sequence[str] = (),
    cancelled: bool = False,
) -> Meeting:
    """Change date, time, place or agenda of a meeting, or call a planned meeting off (or on again)."""
    before = _meeting_state(meeting)
    errors: Errors = {}
    titles = _agenda_titles(agenda, errors)
    meeting.held_on, meeting.starts_at, meeting.place = held_on, starts_at, clean_text(place)
    if meeting.status == MeetingStatus.HELD:
        _check_held_on(meeting, held_on, errors)
    else:
        meeting.status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.PLANNED
    _full_clean(meeting, errors, exclude=["group"])
    _raise(errors)
    meeting.save()
    _replace_agenda(meeting, titles)
    changes = diff(before, _meeting_state(meeting))
    if changes:
        audit(
            actor=actor,
            action="inka.steering.meeting.updated",
            obj=meeting,
            site_id=meeting.group.site_id,
            changes=changes,
        )
    return meeting


def _check_held_on(meeting: Meeting, held_on: date, errors: Errors) -> None:
    """A minuted meeting lies in the past, and none of its action items is due before it."""
    if held_on > timezone.localdate():
        _add(errors, "held_on", _("Minutes can only be recorded on or after the day of the meeting."))
    if meeting.pk is not None and ActionItem.objects.filter(meeting=meeting, due_on__lt=held_on).exists():
        _add(errors, "held_on", _("Some action items of this meeting would then be due before the meeting."))


@dataclass(frozen=True)
class DecisionEntry:
    """A decision as the minutes form gives it; `pk` for one recorded before."""

    text: str
    pk: int | None = None


@dataclass(frozen=True)
class ActionEntry:
    """An action item as the minutes form gives it; `pk` for one recorded before."""

    title: str
    owner: Member
    due_on: date
    note: str = ""
    pk: int | None = None


@transaction.atomic
def meeting_record_minutes(
    *,
    actor: Any,
    meeting: Meeting,
    held_on: date,
    present: Iterable[Member],
    minutes: str,
    guests: str = "",
    minutes_by: str = "",
    decisions: Sequence[DecisionEntry] = (),
    action_items: Sequence[ActionEntry] = (),
) -> Meeting:
    """Record that the meeting was held: presence, minutes, decisions and action items, all or nothing.

    `decisions` and `action_items` are the complete lists after recording: entries with a `pk` change
    the ones recorded before, those left out are removed. Errors of an entry are raised under
    "decisions[i].field" and "action_items[i].field" (i: its position in the list).
    """
    errors: Errors = {}
    group = meeting.group
    present = list(present)
    before = _meeting_state(meeting)
    meeting.held_on, meeting.status = held_on, MeetingStatus.HELD
    meeting.guests, meeting.minutes = clean_text(guests), clean_text(minutes)
    meeting.minutes_by = clean_text(minutes_by)
    if held_on > timezone.localdate():
        _add(errors, "held_on", _("Minutes can only be recorded on or after the day of the meeting."))
    if not meeting.minutes:
        _add(errors, "minutes", _("Please write down what was discussed."))
    if any(member.group_id != group.pk for member in present):
        _add(errors, "present", _("Only members of this steering group can be recorded as present."))
    _full_clean(meeting, errors, exclude=["group"])

    old_decisions = {decision.pk: decision for decision in meeting.decisions.all()}
    new_decisions = []
    for index, entry in enumerate(decisions):
        decision = old_decisions.get(entry.pk) if entry.pk is not None else Decision(meeting=meeting)
        if decision is None:
            raise ValidationError(_("A decision of another meeting cannot be changed here."))
        decision.text = clean_text(entry.text)
        _full_clean(decision, errors, prefix=f"decisions[{index}].", exclude=["meeting"])
        new_decisions.append(decision)

    old_items = {item.pk: item for item in meeting.action_items.select_related("owner")}
    new_items = []
    for index, action in enumerate(action_items):
        item = old_items.get(action.pk) if action.pk is not None else ActionItem(meeting=meeting)
        if item is None:
            raise ValidationError(_("An action item of another meeting cannot be changed here."))
        item_before = snapshot(item, ACTION_FIELDS) if item.pk else {}
        item.title, item.owner, item.due_on, item.note = (
            clean_text(action.title), action.owner, action.due_on, clean_text(action.note),
        )  # fmt: skip
        prefix = f"action_items[{index}]."
        if action.owner.group_id != group.pk:
            _add(
                errors, f"{prefix}owner", _("The person responsible must be a member of this steering group.")
            )
        if action.due_on < held_on:
            _add(errors, f"{prefix}due_on", due_before_meeting_message())
        _full_clean(item, errors, prefix=prefix, exclude=["meeting", "owner"])
        new_items.append((item, item_before))
    _raise(errors)

    meeting.save()
    meeting.present.set(present)
    kept_decisions = {decision.pk for decision in new_decisions if decision.pk is not None}
    Decision.objects.filter(meeting=meeting).exclude(pk__in=kept_decisions).delete()
    for decision in new_decisions:
        decision.save()
    audit(
        actor=actor,
        action="inka.steering.meeting.minutes_recorded",
        obj=meeting,
        site_id=group.site_id,
        changes=diff(before, _meeting_state(meeting)),
    )
    _save_action_items(actor, meeting, old_items, new_items)
    return meeting


def _save_action_items(
    actor: Any,
    meeting: Meeting,
    old_items: dict[int, ActionItem],
    new_items: list[tuple[ActionItem, dict[str, Any]]],
) -> None:
    kept = {item.pk for item, _before in new_items if item.pk is not None}
    for pk, item in old_items.items():
        if pk not in kept:
            audit(
                actor=actor,
                action="inka.steering.action_item.removed",
                obj=item,
                site_id=meeting.group.site_id,
                changes=diff(snapshot(item, ACTION_FIELDS), {}),
            )
            item.delete()
    for item, item_before in new_items:
        created = item.pk is None
        item.save()
        changes = diff(item_before, snapshot(item, ACTION_FIELDS))
        if created or changes:
            audit(
                actor=actor,
                action="inka.steering.action_item.created"
                if created
                else "inka.steering.action_item.updated",
                obj=item,
                site_id=meeting.group.site_id,
                changes=changes,
            )


# Action items


@transaction.atomic
def action_item_update(*, actor: Any, item: ActionItem, **fields: Any) -> ActionItem:
    """Change an action item: its status and note (its owner may), or title, owner and due date.

    Done items get today's date unless another is given; open items lose their done date.
    """
    before = snapshot(item, ACTION_FIELDS)
    for name, value in allowed_fields(fields, ACTION_FIELDS, service="action_item_update").items():
        setattr(item, name, value)
    meeting = item.meeting
    errors: Errors = {}
    if item.status == ActionStatus.DONE and item.done_on is None:
        item.done_on = timezone.localdate()
    elif item.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS):
        item.done_on = None
    if item.owner.group_id != meeting.group_id:
        _add(errors, "owner", _("The person responsible must be a member of this steering group."))
    if item.due_on is not None and item.due_on < meeting.held_on:
        _add(errors, "due_on", due_before_meeting_message())
    if item.done_on is not None:
        if item.done_on > timezone.localdate():
            _add(errors, "done_on", _("The date must not be in the future."))
        elif item.done_on < meeting.held_on:
            _add(errors, "done_on", _("The action item cannot have been done before the meeting."))
    _full_clean(item, errors, exclude=["meeting", "owner"])
    _raise(errors)
    item.save()
    changes = diff(before, snapshot(item, ACTION_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.steering.action_item.updated",
            obj=item,
            site_id=meeting.group.site_id,
            changes=changes,
        )
    return item
