"""Action items of a steering group: the list with filters, and the update by owner or writers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import require_site_role
from inka.steering import selectors, services
from inka.steering.forms import ActionItemFilterForm, ActionItemForm
from inka.steering.models import Member
from inka.steering.views.base import (
    PAGE_SIZE,
    READERS,
    can_write,
    editable_ids,
    fetch_action_item,
    fetch_group,
    owns,
)


def action_item_list(request: InkaRequest, group_pk: int) -> HttpResponse:
    group = fetch_group(group_pk)
    require_site_role(request, group.site_id, *READERS)
    members = Member.objects.filter(group=group).order_by("name")
    form = ActionItemFilterForm(request.GET or None, members=members)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.action_item_list(
        group=group, status=filters.get("status") or selectors.OPEN, owner=filters.get("owner")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "steering/action_item_list.html",
        {
            "group": group,
            "site": group.site,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters.get("status") or filters.get("owner")),
            "editable": editable_ids(request, group.site_id, page.object_list),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def action_item_edit(request: InkaRequest, pk: int) -> HttpResponse:
    item = fetch_action_item(pk)
    meeting = item.meeting
    writer = can_write(request, meeting.group.site_id)
    if not writer and not owns(request, item, meeting.group.site_id):
        raise PermissionDenied
    members = Member.objects.filter(group=meeting.group).order_by("name") if writer else None
    form = ActionItemForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={
            "title": item.title,
            "owner": item.owner_id,
            "due_on": item.due_on,
            "status": item.status,
            "done_on": item.done_on,
            "note": item.note,
        },
    )
    context = {
        "form": form,
        "item": item,
        "title": item.title,  # kept before the form changes anything in memory
        "owner_only": members is None,
        "meeting": meeting,
        "group": meeting.group,
        "site": meeting.group.site,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                services.action_item_update(actor=request.user, item=item, **form.item_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The action item has been saved."))
                return redirect(meeting)
        return render(request, "steering/action_item_form.html", context, status=400)
    return render(request, "steering/action_item_form.html", context)
