from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.employment.models import Application, Barrier, CareerPlan, JobOutcome, Severity

RATING_PREFIX = "barrier_"


class BarrierAssessmentForm(forms.Form):
    """Date, note and one severity per barrier; barriers left empty were not assessed."""

    assessed_on = forms.DateField(label=_("assessed on"), widget=DateInput())
    note = forms.CharField(
        label=_("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Everyone who may read the case sees this note. "
            "Do not write details of health, addiction or a criminal record here."
        ),
    )

    def __init__(self, *args: Any, barriers: Iterable[Barrier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.barriers = list(barriers)
        choices = [
            ("", _("not assessed")),
            *((value, f"{label} ({value})") for value, label in Severity.choices),
        ]
        for barrier in self.barriers:
            self.fields[RATING_PREFIX + barrier] = forms.TypedChoiceField(
                label=barrier.label, choices=choices, coerce=int, empty_value=None, required=False
            )

    def rating_fields(self) -> list[forms.BoundField]:
        return [self[RATING_PREFIX + barrier] for barrier in self.barriers]

    def ratings(self) -> dict[str, int]:
        """The severities given, by barrier (only after validation)."""
        return {
            str(barrier): severity
            for barrier in self.barriers
            if (severity := self.cleaned_data.get(RATING_PREFIX + barrier)) is not None
        }

    def service_data(self) -> dict[str, Any]:
        return {
            "assessed_on": self.cleaned_data["assessed_on"],
            "note": self.cleaned_data["note"],
            "ratings": self.ratings(),
        }

    @staticmethod
    def initial_for(assessment: Any) -> dict[str, Any]:
        initial = {"assessed_on": assessment.assessed_on, "note": assessment.note}
        initial.update(
            {RATING_PREFIX + rating.barrier: rating.severity for rating in assessment.ratings.all()}
        )
        return initial


class CareerPlanForm(forms.ModelForm):
    class Meta:
        model = CareerPlan
        fields = ["target_occupation", "perspective", "action_plan"]
        widgets = {
            "perspective": forms.Textarea(attrs={"rows": 4}),
            "action_plan": forms.Textarea(attrs={"rows": 6}),
        }


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["employer", "position", "applied_on", "outcome", "note"]
        widgets = {"applied_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}


class JobOutcomeForm(forms.ModelForm):
    class Meta:
        model = JobOutcome
        fields = ["kind", "starts_on", "ends_on", "employer_or_provider", "qualification", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Please choose")), *JobOutcome.Kind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end must not be before the start."))
        return data
