"""Permission matrix rows of the steering group pages (collected by inka/core/tests/test_url_matrix.py).

The group of site A is read by A's team, its steering group and the programme coordination; it is
written by A's caseworker and site lead; data protection and administration get 403, site B 404.
The action item of the matrix belongs to the steering persona, who may therefore update it.
"""

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from inka.core.tests.policy_tables import HERE_WRITE, HERE_WRITE_POST, LOGIN, SITE_A_VISIBLE, Policy
from inka.steering.models import (
    ActionItem,
    Decision,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    SteeringGroup,
)

READ_A = {**SITE_A_VISIBLE, "dpo": 403, "admin": 403}
WRITE_A = {"anonymous": LOGIN, "other_caseworker": 404, "caseworker": 200, "site_lead": 200, "default": 403}
WRITE_A_POST = {**WRITE_A, "caseworker": 400, "site_lead": 400}
OWNER_A = {**WRITE_A, "steering": 200}
OWNER_A_POST = {**OWNER_A, "caseworker": 400, "site_lead": 400, "steering": 400}


def steering_a(w: Any) -> SimpleNamespace:
    """Site A's steering group with a member linked to the steering persona and a minuted meeting."""
    if "steering" not in w.__dict__:
        today = timezone.localdate()
        group = SteeringGroup.objects.create(site=w.site_a, name="Steuerungsgruppe Nord")
        member = Member.objects.create(
            group=group,
            name="Petra Schubert",
            organisation="Stadt Altenburg",
            role=MemberRole.MUNICIPALITY,
            user=w.user("steering"),
        )
        meeting = Meeting.objects.create(
            group=group, held_on=today - timedelta(days=7), status=MeetingStatus.HELD, minutes="Bericht"
        )
        Decision.objects.create(meeting=meeting, text="Das Stadtteilfest findet im September statt.")
        item = ActionItem.objects.create(
            meeting=meeting, title="Genehmigung beantragen", owner=member, due_on=today + timedelta(days=14)
        )
        w.steering = SimpleNamespace(group=group, member=member, meeting=meeting, item=item)
    return w.steering


def on(name: str, key: str = "pk") -> Any:
    return lambda w: {key: getattr(steering_a(w), name).pk}


POLICY: dict[str, Policy] = {
    # The group of the current site (site B's caseworker: their own, not yet set up); the
    # programme coordination gets the overview of all sites.
    "steering:group_home": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
    "steering:group_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "steering:group_detail": Policy(get=READ_A, kwargs=on("group")),
    "steering:group_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("group")),
    "steering:member_create": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("group", "group_pk")),
    "steering:member_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("member")),
    "steering:meeting_create": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("group", "group_pk")),
    "steering:meeting_detail": Policy(get=READ_A, kwargs=on("meeting")),
    "steering:meeting_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("meeting")),
    "steering:meeting_minutes": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=on("meeting")),
    "steering:meeting_minutes_pdf": Policy(get=READ_A, kwargs=on("meeting")),
    "steering:action_item_list": Policy(get=READ_A, kwargs=on("group", "group_pk")),
    "steering:action_item_edit": Policy(get=OWNER_A, post=OWNER_A_POST, kwargs=on("item")),
}
