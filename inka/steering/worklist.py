"""The steering group's section of the work list: the user's own open action items."""

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from inka.cases.worklist import WorkListItem
from inka.steering import selectors
from inka.steering.models import ActionStatus


def work_list_items(*, user: Any, site_ids: list[int], today: date) -> list[WorkListItem]:
    """Open action items owned by the member linked to `user`, at the sites where the user has the role."""
    items = []
    for item in selectors.open_items_of_user(user=user, site_ids=site_ids):
        meeting = item.meeting
        text = item.title
        if item.status == ActionStatus.IN_PROGRESS:
            text = _("%(title)s (in progress)") % {"title": item.title}
        items.append(
            WorkListItem(
                due_on=item.due_on,
                text=text,
                url=reverse("steering:action_item_edit", args=[item.pk]),
                label=_("Meeting of %(date)s, %(group)s")
                % {
                    "date": formats.date_format(meeting.held_on, "SHORT_DATE_FORMAT"),
                    "group": meeting.group.name,
                },
                site_code=meeting.group.site.code,
            )
        )
    return items
