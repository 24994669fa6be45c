"""Forms of case work: parsing and field checks; rules that need other rows are in services.py."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.cases.models import (
    AgeBand,
    Case,
    Consent,
    Contact,
    ContactMode,
    FollowUp,
    Gender,
    Goal,
    GoalStep,
    Person,
    Progress,
    Referral,
    Topic,
)
from inka.cases.services import CASE_FIELDS, CONSENT_FIELDS, GOAL_FIELDS, PERSON_FIELDS, STEP_FIELDS
from inka.core.forms import DateInput
from inka.network.models import Partner, PartnerKind

SPECIAL_PERSON_FIELDS = ["residence_status", "disability"]
SPECIAL_CASE_FIELDS = ["health_note", "addiction_note", "criminal_record_note"]
CURRENT_CONSENT_TEXT = "Einwilligung Beratung und Dokumentation, Fassung 2024-01"


class ColumnsCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns on wide screens (see _choice_field.html)."""

    columns = True


class InlineRadios(forms.RadioSelect):
    columns = True


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class StaffChoiceField(forms.ModelChoiceField):
    """Members of the team by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def topics_field(label: Any, *, required: bool = True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=Topic.choices,
        widget=ColumnsCheckboxes,
        required=required,
        error_messages={"required": _("Choose at least one topic.")},
    )


def _today_initial(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        if not form.is_bound and not form.initial.get(name):
            form.initial[name] = timezone.localdate()


def _drop_special(form: forms.BaseForm, names: list[str], can_see_special: bool) -> None:
    # Absent, not hidden: a reader's form never carries these fields (nor their values).
    if not can_see_special:
        for name in names:
            form.fields.pop(name, None)


class AnonymousContactForm(forms.ModelForm):
    topics = topics_field(_("Topics"))

    class Meta:
        model = Contact
        fields = ["occurred_on", "mode", "topics", "duration_minutes", "age_band", "gender"]
        widgets = {"occurred_on": DateInput(), "mode": InlineRadios, "gender": InlineRadios}
        help_texts = {"duration_minutes": _("Roughly, in minutes.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "occurred_on")
        set_choices(self, "mode", ContactMode.choices)  # radio buttons: no empty option
        set_choices(self, "age_band", [("", _("not known")), *AgeBand.choices])
        set_choices(self, "gender", [("", _("not known")), *Gender.choices])
        self.fields["duration_minutes"].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 600})


class CaseContactForm(forms.ModelForm):
    topics = topics_field(_("Topics"))

    class Meta:
        model = Contact
        fields = ["occurred_on", "mode", "topics", "duration_minutes", "note", "next_step"]
        widgets = {
            "occurred_on": DateInput(),
            "mode": InlineRadios,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "occurred_on")
        set_choices(self, "mode", ContactMode.choices)
        self.fields["duration_minutes"].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 600})
        if self.instance.pk and not self.is_bound:
            self.initial["topics"] = list(self.instance.topics.values_list("topic", flat=True))


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"birth_date": DateInput(), "gender": InlineRadios}
        help_texts = {
            "residence_status": _("Special category of personal data: only if needed for the help.")
        }

    fieldsets = [
        (_("Person"), ["first_name", "last_name", "birth_date", "gender"]),
        (_("Address and contact"), ["street", "postcode", "town", "in_neighbourhood", "phone", "email"]),
        (_("Household and languages"), ["household_size", "children", "languages"]),
        (_("Special categories (Art. 9 GDPR)"), SPECIAL_PERSON_FIELDS),
    ]

    def __init__(self, *args: Any, can_see_special: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _drop_special(self, SPECIAL_PERSON_FIELDS, can_see_special)
        set_choices(self, "gender", [("", _("not stated")), *Gender.choices])
        attrs = {
            "first_name": {"autocomplete": "off"},
            "last_name": {"autocomplete": "off"},
            "postcode": {"inputmode": "numeric", "maxlength": 5},
            "phone": {"type": "tel", "autocomplete": "off"},
            "household_size": {"min": 1, "max": 30},
            "children": {"min": 0, "max": 20},
        }
        for name, values in attrs.items():
            self.fields[name].widget.attrs.update(values)

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
            if any(name in self.fields for name in names)
        ]

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data["postcode"].strip()
        if postcode and not (postcode.isdigit() and len(postcode) == 5):
            raise forms.ValidationError(_("Enter a five-digit postcode."))
        return postcode


def staff_field(queryset: Any, label: Any) -> forms.ModelChoiceField:
    field = StaffChoiceField(queryset=queryset, label=label)
    field.error_messages["invalid_choice"] = _("Choose a member of the team.")
    return field


class CaseForm(forms.ModelForm):
    """The intake: who is responsible, since when, the life situation and the needs."""

    needs = topics_field(_("Needs"))

    class Meta:
        model = Case
        fields = [name for name in CASE_FIELDS if name != "caseworker"]
        widgets = {
            "opened_on": DateInput(),
            "life_situation": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "health_note": forms.Textarea(attrs={"rows": 2}),
            "addiction_note": forms.Textarea(attrs={"rows": 2}),
            "criminal_record_note": forms.Textarea(attrs={"rows": 2}),
        }

    fieldsets = [
        (_("Case"), ["caseworker", "opened_on"]),
        (_("Intake"), ["needs", "life_situation", "notes"]),
        (_("Special categories (Art. 9 GDPR)"), SPECIAL_CASE_FIELDS),
    ]

    def __init__(self, *args: Any, team: Any, can_see_special: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caseworker"] = staff_field(team, _("Responsible caseworker"))
        _drop_special(self, SPECIAL_CASE_FIELDS, can_see_special)
        _today_initial(self, "opened_on")
        if self.instance.pk:
            self.initial.setdefault("caseworker", self.instance.caseworker_id)
            if not self.is_bound:
                self.initial["needs"] = list(self.instance.needs.values_list("topic", flat=True))
        self.order_fields(["caseworker", "opened_on", "needs"])

    grouped_fields = PersonForm.grouped_fields


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    close_reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Please choose")), *Case.CloseReason.choices]
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What has changed for the person? What was achieved, what is still open?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "closed_on")


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = CONSENT_FIELDS
        widgets = {
            "given_on": DateInput(),
            "expires_on": DateInput(),
            "purpose": forms.RadioSelect,
            "form": InlineRadios,
        }

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "given_on")
        self.initial.setdefault("text_version", CURRENT_CONSENT_TEXT)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners
        partner.empty_label = _("no named partner")
        partner.error_messages["invalid_choice"] = _("Choose one of the site's partners.")
        set_choices(self, "partner_kind", [("", _("no partner type")), *PartnerKind.choices])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("purpose") == Consent.Purpose.SHARING
            and not data.get("partner")
            and not data.get("partner_kind")
        ):
            self.add_error("partner", _("Sharing needs a named partner or a partner type."))
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _today_initial(self, "withdrawn_on")


class _ProgressForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        # An open item has no end date; a finished one gets today's unless a date is given.
        data = super().clean() or {}
        if data.get("status") == Progress.OPEN:
            data["done_on"] = None
        elif data.get("status") and not data.get("done_on"):
            data["done_on"] = timezone.localdate()
        return data


class GoalForm(_ProgressForm):
    class Meta:
        model = Goal
        fields = GOAL_FIELDS
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "who_acts": InlineRadios,
            "status": InlineRadios,
        }
        help_texts = {"done_on": _("Filled in with today's date when left empty.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "topic", [("", _("no topic")), *Topic.choices])


class StepForm(_ProgressForm):
    class Meta:
        model = GoalStep
        fields = STEP_FIELDS
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "who_acts": InlineRadios,
            "status": InlineRadios,
        }
        help_texts = {"done_on": _("Filled in with today's date when left empty.")}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["due_on", "subject", "assigned_to"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = staff_field(team, _("For"))


class ReferralForm(forms.Form):
    partner = PartnerChoiceField(
        queryset=Partner.objects.none(),
        label=_("Partner"),
        empty_label=_("Please choose"),
        required=False,
        help_text=_("Not needed when you choose a service: the partner follows from it."),
    )
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        help_text=_("From the services directory, if one of the partner's services fits."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, help_text=_("What should the partner do?"))
    message = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what the partner needs to know. The partner sees this text and the person's name."),
    )
    override_reason = forms.CharField(
        label=_("Reason for referring without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only in an emergency that cannot wait for the person's consent. The reason is recorded."
        ),
    )

    def __init__(self, *args: Any, partners: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners
        partner.error_messages["invalid_choice"] = _("Choose one of the site's active partners.")
        # The services of the site's active partners, grouped by partner (one query).
        self.services = {str(service.pk): service for service in services}
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, service in self.services.items():
            groups.setdefault(service.partner.name, []).append((key, service.name))
        set_choices(self, "service", [("", _("No particular service")), *groups.items()])
        self.fields["service"].error_messages["invalid_choice"] = _(
            "Choose one of the services of the site's active partners."
        )

    def clean_service(self) -> Any:
        return self.services.get(self.cleaned_data["service"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service = data.get("service")
        # A chosen service names its partner; whether both fit together is the service's rule.
        if service is not None and not data.get("partner") and "partner" not in self.errors:
            data["partner"] = service.partner
        if not data.get("partner") and "partner" not in self.errors and "service" not in self.errors:
            self.add_error("partner", _("Choose a partner or one of its services."))
        return data


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for declining"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            Referral.Status.SENT: [
                Referral.Status.ACCEPTED,
                Referral.Status.DECLINED,
                Referral.Status.WITHDRAWN,
            ],
            Referral.Status.ACCEPTED: [Referral.Status.COMPLETED, Referral.Status.WITHDRAWN],
        }.get(Referral.Status(referral.status), [])
        set_choices(self, "status", [(status.value, status.label) for status in choices])


class PartnerAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (Referral.Status.ACCEPTED.value, _("We accept the referral.")),
            (Referral.Status.DECLINED.value, _("We cannot take the referral.")),
            (Referral.Status.COMPLETED.value, _("The help is already completed.")),
        ],
        error_messages={"required": _("Choose an answer.")},
    )
    reason = forms.CharField(
        label=_("Reason, if you cannot take the referral"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("Outcome, if the help is completed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_by = forms.CharField(label=_("Your name"), required=False, max_length=200)


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Default: the file name.")
    )
    upload = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Case.Status.choices]
    )
    caseworker = StaffChoiceField(
        queryset=get_user_model().objects.none(), label=_("Responsible"), required=False, empty_label=_("all")
    )
    topic = forms.ChoiceField(label=_("Need"), required=False, choices=[("", _("all")), *Topic.choices])
    follow_ups = forms.ChoiceField(
        label=_("Follow-ups"),
        required=False,
        choices=[
            ("", _("all")),
            ("open", _("with open follow-ups")),
            ("overdue", _("with overdue follow-ups")),
        ],
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        caseworker = self.fields["caseworker"]
        assert isinstance(caseworker, forms.ModelChoiceField)
        caseworker.queryset = team


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())


class DuplicateCheckForm(forms.Form):
    """The fields the duplicate warning reads while a person is typed (German or ISO dates)."""

    first_name = forms.CharField(required=False, max_length=100)
    last_name = forms.CharField(required=False, max_length=100)
    birth_date = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"])
