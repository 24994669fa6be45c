"""What the steering pages share: who may read and write, and the scoped fetches."""

from collections.abc import Iterable

from django.shortcuts import get_object_or_404

from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role
from inka.steering.models import ActionItem, Meeting, Member, SteeringGroup

# The group is read by the site's team and its steering group, and by the programme coordination
# (organisational data and suppressed figures only); data protection and administration have no
# business here (SECURITY.md).
SITE_READERS = (*SITE_STAFF, Role.STEERING)
READERS = (*SITE_READERS, Role.COORDINATOR)
PAGE_SIZE = 50


# The scoped managers hide other sites' records: 404 before any role check.


def fetch_group(pk: int) -> SteeringGroup:
    return get_object_or_404(SteeringGroup.objects.select_related("site"), pk=pk)


def fetch_member(pk: int) -> Member:
    return get_object_or_404(Member.objects.select_related("group__site"), pk=pk)


def fetch_meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("group__site"), pk=pk)


def fetch_action_item(pk: int) -> ActionItem:
    return get_object_or_404(ActionItem.objects.select_related("meeting__group__site", "owner"), pk=pk)


def can_write(request: InkaRequest, site_id: int) -> bool:
    return request.site_access.has_site_role(site_id, *SITE_WRITERS)


def owns(request: InkaRequest, item: ActionItem, site_id: int) -> bool:
    """Whether the user is the member responsible for `item` (and still belongs to the site)."""
    return (
        item.owner.user_id is not None
        and item.owner.user_id == request.user.pk
        and request.site_access.has_site_role(site_id, *SITE_READERS)
    )


def editable_ids(request: InkaRequest, site_id: int, items: Iterable[ActionItem]) -> set[int]:
    """The action items among `items` the user may update: all for writers, their own for owners."""
    writer = can_write(request, site_id)
    return {item.pk for item in items if writer or owns(request, item, site_id)}


def sees_contacts(request: InkaRequest, site_id: int) -> bool:
    """Members' phone numbers, e-mail addresses and accounts are for the site's own team."""
    return request.site_access.role_at(site_id) in SITE_STAFF
