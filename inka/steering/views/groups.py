"""The steering group of a site: its page, setting it up and its members."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS, Role, require_current_site, require_site_role
from inka.steering import selectors, services
from inka.steering.forms import GroupForm, MemberForm
from inka.steering.models import SteeringGroup
from inka.steering.services import GROUP_FIELDS, MEMBER_FIELDS
from inka.steering.views.base import (
    PAGE_SIZE,
    READERS,
    SITE_READERS,
    can_write,
    fetch_group,
    fetch_member,
    sees_contacts,
)


def group_home(request: InkaRequest) -> HttpResponse:
    """The group of the current site; for the programme coordination, the groups of all sites."""
    access = request.site_access
    if access.has_programme_role(Role.COORDINATOR):
        rows = selectors.group_overview(site_ids=access.visible_site_ids, year=timezone.localdate().year)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request, "steering/group_overview.html", {"page": page, "year": timezone.localdate().year}
        )
    site = require_current_site(request, *SITE_READERS)
    group = selectors.group_for_site(site_id=site.pk)
    if group is None:
        return render(
            request,
            "steering/group_missing.html",
            {"site": site, "can_create": can_write(request, site.pk)},
        )
    return render(request, "steering/group_detail.html", group_context(request, group))


def group_detail(request: InkaRequest, pk: int) -> HttpResponse:
    group = fetch_group(pk)
    require_site_role(request, group.site_id, *READERS)
    return render(request, "steering/group_detail.html", group_context(request, group))


def group_context(request: InkaRequest, group: SteeringGroup) -> dict[str, Any]:
    """The group's page: next meeting, meetings, members, the viewer's own action items."""
    today = timezone.localdate()
    site_id = group.site_id
    meetings = Paginator(selectors.meeting_list(group=group), PAGE_SIZE).get_page(request.GET.get("page"))
    own_items = []
    if request.user.is_authenticated:
        own_items = list(
            selectors.open_items_of_user(user=request.user, site_ids=[site_id]).filter(meeting__group=group)
        )
    return {
        "group": group,
        "site": group.site,
        "members": list(selectors.member_list(group=group)),
        "meetings": meetings,
        "next_meeting": selectors.next_meeting(group=group, today=today),
        "own_items": own_items,
        "own_item_ids": {item.pk for item in own_items},
        "open_item_count": selectors.action_item_list(group=group).count(),
        "can_write": can_write(request, site_id),
        "sees_contacts": sees_contacts(request, site_id),
    }


@require_http_methods(["GET", "POST"])
def group_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    existing = selectors.group_for_site(site_id=site.pk)
    if existing is not None:
        return redirect(existing)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial={"name": _("Steering group %(site)s") % {"site": site.name}, "rhythm": _("quarterly")},
    )
    context = {"form": form, "site": site}
    if request.method == "POST":
        if form.is_valid():
            try:
                group = services.group_create(actor=request.user, site=site, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The steering group has been set up. Now add its members."))
                return redirect(group)
        return render(request, "steering/group_form.html", context, status=400)
    return render(request, "steering/group_form.html", context)


@require_http_methods(["GET", "POST"])
def group_edit(request: InkaRequest, pk: int) -> HttpResponse:
    group = fetch_group(pk)
    require_site_role(request, group.site_id, *SITE_WRITERS)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(group, name) for name in GROUP_FIELDS},
    )
    context = {"form": form, "site": group.site, "group": group, "title": group.name}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.group_update(actor=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The steering group has been saved."))
                return redirect(group)
        return render(request, "steering/group_form.html", context, status=400)
    return render(request, "steering/group_form.html", context)


@require_http_methods(["GET", "POST"])
def member_create(request: InkaRequest, group_pk: int) -> HttpResponse:
    group = fetch_group(group_pk)
    require_site_role(request, group.site_id, *SITE_WRITERS)
    form = MemberForm(request.POST if request.method == "POST" else None, site=group.site)
    context = {"form": form, "group": group, "site": group.site}
    if request.method == "POST":
        if form.is_valid():
            try:
                member = services.member_create(actor=request.user, group=group, **form.member_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s has been added to the group.") % {"name": member.name})
                return redirect(f"{group.get_absolute_url()}#mitglieder")
        return render(request, "steering/member_form.html", context, status=400)
    return render(request, "steering/member_form.html", context)


@require_http_methods(["GET", "POST"])
def member_edit(request: InkaRequest, pk: int) -> HttpResponse:
    member = fetch_member(pk)
    group = member.group
    require_site_role(request, group.site_id, *SITE_WRITERS)
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        site=group.site,
        editing=True,
        initial={name: getattr(member, name) for name in MEMBER_FIELDS},
    )
    context = {"form": form, "group": group, "site": group.site, "member": member, "title": member.name}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_update(actor=request.user, member=member, **form.member_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The member has been saved."))
                return redirect(f"{group.get_absolute_url()}#mitglieder")
        return render(request, "steering/member_form.html", context, status=400)
    return render(request, "steering/member_form.html", context)
