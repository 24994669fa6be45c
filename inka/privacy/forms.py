from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.privacy.models import DataSubjectRequest
from inka.privacy.selectors import Show


class RequestFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Show.OPEN, _("open requests")),
            (Show.OVERDUE, _("overdue requests")),
            (Show.ALL, _("all requests")),
        ],
    )


class RequestForm(forms.ModelForm):
    """Registering a request: what was asked, when and how it came in, how the identity was checked."""

    class Meta:
        model = DataSubjectRequest
        fields = ["kind", "received_on", "channel", "identity_checked_on", "identity_check", "notes"]
        widgets = {
            "received_on": DateInput(),
            "identity_checked_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class RequestUpdateForm(forms.ModelForm):
    """The progress of a request: identity check, extension, status, answer."""

    class Meta:
        model = DataSubjectRequest
        fields = [
            "identity_checked_on", "identity_check", "extended_until", "extension_reason", "status",
            "answered_on", "answer", "notes",
        ]  # fmt: skip
        widgets = {
            "identity_checked_on": DateInput(),
            "extended_until": DateInput(),
            "answered_on": DateInput(),
            "extension_reason": forms.Textarea(attrs={"rows": 2}),
            "answer": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"status": _("Answered or refused needs the date and the content of the answer.")}


class RectificationForm(forms.Form):
    entries = forms.MultipleChoiceField(
        label=_("Corrections made for this request"), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = choices  # type: ignore[attr-defined]


class ContestForm(forms.Form):
    field = forms.ChoiceField(label=_("Contested value"))
    statement = forms.CharField(
        label=_("The person's statement"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person says is wrong, and what they say is right."),
    )
    contested_on = forms.DateField(label=_("Contested on"), widget=DateInput())

    def __init__(self, *args: Any, choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grouped = [(title, group) for title, _key, group in choices]
        self.fields["field"].choices = [("", "–"), *grouped]  # type: ignore[attr-defined]
        self.fields["contested_on"].initial = timezone.localdate()


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: corrected on the person's evidence, or confirmed by a document."),
    )
    resolved_on = forms.DateField(label=_("Resolved on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolved_on"].initial = timezone.localdate()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
