"""Forms of the steering group: parsing and field checks; the rules that need other rows are in services."""

import re
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inka.accounts.models import User
from inka.core.forms import DateInput
from inka.network.models import Partner
from inka.programme.models import Site
from inka.steering import selectors
from inka.steering.models import (
    ActionItem,
    ActionStatus,
    Meeting,
    Member,
    MemberRole,
    SteeringGroup,
)

# "1. Welcome", "TOP 2: Report", "- Any other business": the numbers are added by INKA itself.
AGENDA_NUMBERING = re.compile(r"^\s*(?:TOP\s*\d{1,2}\s*[.:)]?|\d{1,2}\s*[.):]|[-–•*])\s*", re.IGNORECASE)


def _model_field(model: type[models.Model], name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field: same label, help text and validators."""
    return model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]


class TimeInput(forms.TimeInput):
    """The browser's time picker."""

    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class Checkboxes(forms.CheckboxSelectMultiple):
    columns = True  # laid out in columns on wide screens (_choice_field.html)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation})"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation})"


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.email} ({obj.email})"


class GroupForm(forms.Form):
    name = _model_field(SteeringGroup, "name")
    founded_on = _model_field(SteeringGroup, "founded_on", widget=DateInput())
    rhythm = _model_field(SteeringGroup, "rhythm")
    remit = _model_field(SteeringGroup, "remit", widget=forms.Textarea(attrs={"rows": 4}))


class MemberForm(forms.Form):
    name = _model_field(Member, "name")
    role = _model_field(Member, "role")
    partner = forms.ModelChoiceField(
        label=_("Institution from the partner list"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Not on the partner list"),
    )
    organisation = _model_field(
        Member,
        "organisation",
        required=False,
        help_text=_("Filled in from the partner list if left empty."),
    )
    function = _model_field(Member, "function")
    email = _model_field(Member, "email")
    phone = _model_field(Member, "phone")
    since = _model_field(Member, "since", widget=DateInput())
    until = _model_field(
        Member, "until", widget=DateInput(), help_text=_("Fill in when the person leaves the group.")
    )
    user = AccountChoiceField(
        label=_("INKA account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No account"),
        help_text=_(
            "Only accounts of the site's team and its steering group. With an account, the member sees "
            "their action items on their work list."
        ),
    )

    fieldsets = [
        (_("Member"), ["name", "role", "partner", "organisation", "function"]),
        (_("Contact details"), ["email", "phone"]),
        (_("Membership"), ["since", "until", "user"]),
    ]

    def __init__(self, *args: Any, site: Site, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", _("Please choose")), *MemberRole.choices]
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = Partner.objects.filter(site_links__site=site).order_by("name")
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = (
            User.objects.filter(memberships__site=site).distinct().order_by("last_name", "first_name")
        )
        if not editing:
            del self.fields["until"]  # a new member has not left yet
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation"):
            if data.get("partner"):
                data["organisation"] = data["partner"].name
            elif "organisation" not in self.errors:
                self.add_error("organisation", _("Please give the institution or choose it from the list."))
        return data

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def member_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class MeetingForm(forms.Form):
    held_on = _model_field(Meeting, "held_on", widget=DateInput())
    starts_at = _model_field(Meeting, "starts_at", label=_("Starts at"), widget=TimeInput())
    place = _model_field(Meeting, "place")
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One item per line, in the order of the meeting; INKA numbers them."),
    )
    cancelled = forms.BooleanField(label=_("The meeting has been called off"), required=False)

    def __init__(self, *args: Any, can_cancel: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_cancel:
            del self.fields["cancelled"]

    def agenda_titles(self) -> list[str]:
        lines = self.cleaned_data.get("agenda", "").splitlines()
        return [
            title for title in (AGENDA_NUMBERING.sub("", line, count=1).strip() for line in lines) if title
        ]

    def meeting_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("held_on", "starts_at", "place")}
        data["agenda"] = self.agenda_titles()
        if "cancelled" in self.fields:
            data["cancelled"] = self.cleaned_data["cancelled"]
        return data


class MinutesForm(forms.Form):
    held_on = _model_field(Meeting, "held_on", label=_("Date of the meeting"), widget=DateInput())
    present = MembersChoiceField(
        label=_("Members present"), queryset=Member.objects.none(), required=False, widget=Checkboxes
    )
    guests = _model_field(Meeting, "guests")
    minutes = _model_field(
        Meeting,
        "minutes",
        required=True,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "What was reported and discussed, item by item. Decisions and action items follow below."
        ),
    )
    minutes_by = _model_field(Meeting, "minutes_by")

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = self.fields["present"]
        assert isinstance(present, forms.ModelMultipleChoiceField)
        present.queryset = members


class DecisionForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionEntryForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = _model_field(ActionItem, "title", label=_("Action item"))
    owner = MemberChoiceField(label=_("Responsible"), queryset=Member.objects.none())
    due_on = _model_field(ActionItem, "due_on", widget=DateInput())
    note = _model_field(ActionItem, "note", widget=forms.TextInput())

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members
        owner.empty_label = _("Please choose")


class _DecisionRows(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        number = {"number": (index or 0) + 1}
        form.fields["text"].label = gettext("Decision %(number)s") % number
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove decision %(number)s") % number


class _ActionRows(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            number = {"number": (index or 0) + 1}
            form.fields["DELETE"].label = gettext("Remove action item %(number)s") % number


# Blank rows for new entries; rows recorded before come first and can be removed.
DecisionFormSet = forms.formset_factory(
    DecisionForm, formset=_DecisionRows, extra=2, can_delete=True, can_delete_extra=False
)
ActionEntryFormSet = forms.formset_factory(
    ActionEntryForm, formset=_ActionRows, extra=3, can_delete=True, can_delete_extra=False
)


class ActionItemForm(forms.Form):
    """An action item as its owner updates it (status, done on, note); writers change all of it."""

    title = _model_field(ActionItem, "title", label=_("Action item"))
    owner = MemberChoiceField(label=_("Responsible"), queryset=Member.objects.none())
    due_on = _model_field(ActionItem, "due_on", widget=DateInput())
    status = _model_field(ActionItem, "status", widget=forms.RadioSelect)
    done_on = _model_field(
        ActionItem, "done_on", widget=DateInput(), help_text=_("Empty: today, when the item is marked done.")
    )
    note = _model_field(
        ActionItem,
        "note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: what has happened so far, or why the item was dropped."),
    )

    def __init__(self, *args: Any, members: QuerySet[Member] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is None:  # the owner updates status and note only
            for name in ("title", "owner", "due_on"):
                del self.fields[name]
        else:
            owner = self.fields["owner"]
            assert isinstance(owner, forms.ModelChoiceField)
            owner.queryset = members
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = ActionStatus.choices

    def item_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class ActionItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (selectors.OPEN, _("open or in progress")),
            (selectors.ALL, _("all")),
            *ActionStatus.choices,
        ],
    )
    owner = MemberChoiceField(
        label=_("Responsible"), queryset=Member.objects.none(), required=False, empty_label=_("everyone")
    )

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = members
