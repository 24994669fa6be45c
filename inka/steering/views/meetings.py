"""Meetings of a steering group: plan with an agenda, record the minutes, print them as a PDF."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inka.accounts.models import User
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS, require_site_role
from inka.steering import pdf, selectors, services
from inka.steering.forms import ActionEntryFormSet, DecisionFormSet, MeetingForm, MinutesForm
from inka.steering.models import Meeting, MeetingStatus
from inka.steering.services import ActionEntry, DecisionEntry
from inka.steering.views.base import READERS, can_write, editable_ids, fetch_group, fetch_meeting


def default_agenda() -> str:
    """The usual course of a meeting, offered when one is planned."""
    return "\n".join(
        [
            _("Welcome and approval of the minutes of the last meeting"),
            _("Report from the site and figures of the quarter"),
            _("Open action items"),
            _("Any other business"),
        ]
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: InkaRequest, group_pk: int) -> HttpResponse:
    group = fetch_group(group_pk)
    require_site_role(request, group.site_id, *SITE_WRITERS)
    initial = {"agenda": default_agenda(), **selectors.latest_meeting_details(group=group)}
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "group": group, "site": group.site}
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.meeting_plan(actor=request.user, group=group, **form.meeting_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting has been planned."))
                return redirect(meeting)
        return render(request, "steering/meeting_form.html", context, status=400)
    return render(request, "steering/meeting_form.html", context)


def meeting_detail(request: InkaRequest, pk: int) -> HttpResponse:
    meeting = fetch_meeting(pk)
    require_site_role(request, meeting.group.site_id, *READERS)
    return render(request, "steering/meeting_detail.html", meeting_context(request, meeting))


def meeting_context(request: InkaRequest, meeting: Meeting) -> dict[str, Any]:
    site_id = meeting.group.site_id
    writer = can_write(request, site_id)
    held = meeting.status == MeetingStatus.HELD
    action_items = list(meeting.action_items.select_related("owner")) if held else []
    earlier_items = list(selectors.open_items_before(meeting))
    return {
        "meeting": meeting,
        "group": meeting.group,
        "site": meeting.group.site,
        "agenda": list(meeting.agenda.all()),
        "present": list(meeting.present.order_by(selectors.ROLE_ORDER, "name")) if held else [],
        "decisions": list(meeting.decisions.all()) if held else [],
        "action_items": action_items,
        "earlier_items": earlier_items,
        "editable": editable_ids(request, site_id, [*action_items, *earlier_items]),
        "can_write": writer,
        "can_record": writer and meeting.held_on <= timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
def meeting_edit(request: InkaRequest, pk: int) -> HttpResponse:
    meeting = fetch_meeting(pk)
    require_site_role(request, meeting.group.site_id, *SITE_WRITERS)
    can_cancel = meeting.status != MeetingStatus.HELD
    agenda = "\n".join(meeting.agenda.values_list("title", flat=True))
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        can_cancel=can_cancel,
        initial={
            "held_on": meeting.held_on,
            "starts_at": meeting.starts_at,
            "place": meeting.place,
            "agenda": agenda,
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
        },
    )
    context = {"form": form, "group": meeting.group, "site": meeting.group.site, "meeting": meeting}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.meeting_update(actor=request.user, meeting=meeting, **form.meeting_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting has been saved."))
                return redirect(meeting)
        return render(request, "steering/meeting_form.html", context, status=400)
    return render(request, "steering/meeting_form.html", context)


def _minutes_initial(request: InkaRequest, meeting: Meeting, present_ids: list[int]) -> dict[str, Any]:
    user, minutes = request.user, meeting.minutes
    if not minutes:
        # The agenda as headings, so that the minutes follow the course of the meeting.
        minutes = "\n\n".join(f"{item.position}. {item.title}\n" for item in meeting.agenda.all()).rstrip()
    return {
        "held_on": meeting.held_on,
        "present": present_ids,
        "guests": meeting.guests,
        "minutes": minutes,
        "minutes_by": meeting.minutes_by or (user.get_full_name() if isinstance(user, User) else ""),
    }


def _used_forms(formset: BaseFormSet) -> list[BaseForm]:
    """Forms of a valid formset that hold an entry: not removed, not left empty."""
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _add_entry_errors(error: ValidationError, form: BaseForm, rows: dict[str, list[BaseForm]]) -> None:
    """Show the service's errors at their fields: "action_items[2].due_on" at that row's due date."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages_ in error.error_dict.items():
        name, _sep, rest = key.partition("[")
        if name in rows and rest:
            index, _sep, field = rest.partition("].")
            row = rows[name][int(index)]
            row.add_error(field if field in row.fields else None, messages_)
        else:
            form.add_error(key if key in form.fields else None, messages_)


@require_http_methods(["GET", "POST"])
def meeting_minutes(request: InkaRequest, pk: int) -> HttpResponse:
    meeting = fetch_meeting(pk)
    group = meeting.group
    require_site_role(request, group.site_id, *SITE_WRITERS)
    items = list(meeting.action_items.all())
    present_ids = list(meeting.present.values_list("pk", flat=True))
    members = selectors.members_at(
        group=group, day=meeting.held_on, keep=[*present_ids, *(item.owner_id for item in items)]
    )
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, members=members, initial=_minutes_initial(request, meeting, present_ids))
    decisions = DecisionFormSet(
        data,
        prefix="decisions",
        initial=[{"pk": decision.pk, "text": decision.text} for decision in meeting.decisions.all()],
    )
    actions = ActionEntryFormSet(
        data,
        prefix="actions",
        form_kwargs={"members": members},
        initial=[
            {
                "pk": item.pk,
                "title": item.title,
                "owner": item.owner_id,
                "due_on": item.due_on,
                "note": item.note,
            }
            for item in items
        ],
    )
    context = {
        "form": form,
        "decisions": decisions,
        "actions": actions,
        "meeting": meeting,
        "group": group,
        "site": group.site,
        "earlier_items": list(selectors.open_items_before(meeting)),
    }
    if request.method == "POST":
        if form.is_valid() and decisions.is_valid() and actions.is_valid():
            decision_forms, action_forms = _used_forms(decisions), _used_forms(actions)
            try:
                services.meeting_record_minutes(
                    actor=request.user,
                    meeting=meeting,
                    held_on=form.cleaned_data["held_on"],
                    present=form.cleaned_data["present"],
                    guests=form.cleaned_data["guests"],
                    minutes=form.cleaned_data["minutes"],
                    minutes_by=form.cleaned_data["minutes_by"],
                    decisions=[
                        DecisionEntry(text=row.cleaned_data["text"], pk=row.cleaned_data["pk"])
                        for row in decision_forms
                    ],
                    action_items=[
                        ActionEntry(
                            title=row.cleaned_data["title"],
                            owner=row.cleaned_data["owner"],
                            due_on=row.cleaned_data["due_on"],
                            note=row.cleaned_data["note"],
                            pk=row.cleaned_data["pk"],
                        )
                        for row in action_forms
                    ],
                )
            except ValidationError as error:
                _add_entry_errors(error, form, {"decisions": decision_forms, "action_items": action_forms})
            else:
                messages.success(request, _("The minutes have been saved."))
                return redirect(meeting)
        return render(request, "steering/meeting_minutes.html", context, status=400)
    return render(request, "steering/meeting_minutes.html", context)


@require_GET
def meeting_minutes_pdf(request: InkaRequest, pk: int) -> HttpResponse:
    meeting = fetch_meeting(pk)
    require_site_role(request, meeting.group.site_id, *READERS)
    document = pdf.meeting_pdf(request, meeting_context(request, meeting))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.file_name(meeting)}"'
    return response
