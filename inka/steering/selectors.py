"""Reads of steering groups: members, meetings, action items and the coordinator's overview."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from inka.core.aggregates import Counts, per_month
from inka.programme.models import Site
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Filter value of the action item list for "open or in progress" (the default) and for "all".
OPEN, ALL = "", "all"


def group_for_site(*, site_id: int) -> SteeringGroup | None:
    """The steering group of a site, if it has been set up."""
    return SteeringGroup.objects.filter(site_id=site_id).select_related("site").first()


# Members are listed as the programme describes the group: town or district, housing, carrier, …
ROLE_ORDER = Case(
    *(When(role=role, then=Value(position)) for position, role in enumerate(MemberRole)),
    output_field=IntegerField(),
)


def member_list(*, group: SteeringGroup) -> QuerySet[Member]:
    """The group's members, current ones first, then those whose membership ended."""
    return Member.objects.filter(group=group).order_by(F("until").desc(nulls_first=True), ROLE_ORDER, "name")


def members_at(*, group: SteeringGroup, day: date, keep: list[int] | None = None) -> QuerySet[Member]:
    """Members of the group on `day` (plus the members `keep`, e.g. those already recorded as present)."""
    during = (Q(since__isnull=True) | Q(since__lte=day)) & (Q(until__isnull=True) | Q(until__gte=day))
    return Member.objects.filter(Q(group=group) & (during | Q(pk__in=keep or []))).order_by(
        ROLE_ORDER, "name"
    )


def meeting_list(*, group: SteeringGroup) -> QuerySet[Meeting]:
    """The group's meetings, newest first, with their numbers of decisions and (open) action items."""
    return Meeting.objects.filter(group=group).annotate(
        decision_count=_count(Meeting, "decisions"),
        action_count=_count(Meeting, "action_items"),
        open_count=_count(Meeting, "action_items", Q(action_items__status__in=OPEN_STATUSES)),
    )


def _count(model: Any, relation: str, condition: Q | None = None) -> Any:
    """COUNT of a relation as a subquery, so that several counts do not multiply each other's joins."""
    subquery = (
        model.objects.filter(pk=OuterRef("pk"))
        .order_by()
        .values("pk")
        .annotate(n=Count(relation, filter=condition))
        .values("n")[:1]
    )
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def next_meeting(*, group: SteeringGroup, today: date) -> Meeting | None:
    """The next planned meeting of the group (today or later)."""
    return (
        Meeting.objects.filter(group=group, status=MeetingStatus.PLANNED, held_on__gte=today)
        .order_by("held_on", "starts_at", "pk")
        .first()
    )


def action_item_list(
    *, group: SteeringGroup, status: str = OPEN, owner: Member | None = None
) -> QuerySet[ActionItem]:
    """The group's action items by due date; the open ones (open or in progress) unless `status` says."""
    items = ActionItem.objects.filter(meeting__group=group).select_related("owner", "meeting")
    if status == OPEN:
        items = items.filter(status__in=OPEN_STATUSES)
    elif status != ALL:
        items = items.filter(status=status)
    if owner is not None:
        items = items.filter(owner=owner)
    return items.order_by("due_on", "pk")


def open_items_before(meeting: Meeting) -> QuerySet[ActionItem]:
    """Action items of earlier meetings of the group that are still open: they belong on this agenda."""
    return (
        ActionItem.objects.filter(
            meeting__group_id=meeting.group_id,
            meeting__held_on__lt=meeting.held_on,
            status__in=OPEN_STATUSES,
        )
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )


def open_items_of_user(*, user: Any, site_ids: list[int]) -> QuerySet[ActionItem]:
    """The open action items whose owner is linked to `user`, at the given sites."""
    return (
        ActionItem.objects.filter(
            owner__user=user, meeting__group__site_id__in=site_ids, status__in=OPEN_STATUSES
        )
        .select_related("meeting__group__site", "owner")
        .order_by("due_on", "pk")
    )


def group_overview(*, site_ids: list[int], year: int) -> QuerySet[Site]:
    """Every active site (and every site with a group) with its group's organisational key figures."""

    def per_group(queryset: QuerySet[Any], path: str) -> Any:
        subquery = (
            queryset.filter(**{path: OuterRef("steering_group")})
            .order_by()
            .values(path)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))

    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    return (
        Site.objects.filter(pk__in=site_ids)
        .filter(Q(status=Site.Status.ACTIVE) | Q(steering_group__isnull=False))
        .annotate(
            group_pk=F("steering_group__pk"),
            group_name=F("steering_group__name"),
            member_count=per_group(Member.objects.filter(until__isnull=True), "group"),
            meetings_this_year=per_group(held.filter(held_on__year=year), "group"),
            last_meeting=Subquery(
                held.filter(group=OuterRef("steering_group")).order_by("-held_on").values("held_on")[:1]
            ),
            open_items=per_group(ActionItem.objects.filter(status__in=OPEN_STATUSES), "meeting__group"),
        )
        .order_by("code")
    )


def latest_meeting_details(*, group: SteeringGroup) -> dict[str, Any]:
    """Time and place of the group's latest meeting, offered when the next one is planned."""
    latest = Meeting.objects.filter(group=group).order_by("-held_on", "-pk").first()
    if latest is None:
        return {}
    return {"starts_at": latest.starts_at, "place": latest.place}


# --- Figures for monitoring: numbers only, one GROUP BY query each (inka.core.aggregates) ---------


def meeting_counts(*, site_ids: Sequence[int], start: date, end: date, by: None = None) -> Counts:
    """Meetings whose minutes are recorded (status "held"), by the month of the meeting."""
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    return per_month(held, site_ids=site_ids, start=start, end=end, day="held_on", site="group__site_id")


def action_item_done_counts(*, site_ids: Sequence[int], start: date, end: date, by: None = None) -> Counts:
    """Action items done, by the month of their done date (set when marked done: today unless another
    day is given); dropped items are not done."""
    done = ActionItem.objects.filter(status=ActionStatus.DONE)
    return per_month(
        done, site_ids=site_ids, start=start, end=end, day="done_on", site="meeting__group__site_id"
    )
