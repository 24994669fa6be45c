from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.network.models import Partner, SurveyDimension, SurveyInstrument
from inka.network.survey.services import item_field

FIRST_SURVEY_YEAR = 2013  # ThINKA began in 2013
NO_ANSWER = "na"  # the value of the "no answer" radio button; never a number, whatever the scale
SURVEY_WEEKS = 6


class WaveForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=SurveyInstrument.objects.none(), empty_label=None
    )
    opens_on = forms.DateField(label=_("Open from"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Open until"),
        widget=DateInput(),
        help_text=_("After this day the partners' links no longer work."),
    )

    def __init__(
        self,
        *args: Any,
        instruments: QuerySet[SurveyInstrument],
        taken_years: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        today = timezone.localdate()
        # This year's survey, or next year's when this year's is planned already.
        year = today.year + 1 if today.year in set(taken_years) else today.year
        kwargs.setdefault(
            "initial",
            {
                "year": year,
                "instrument": instruments.first(),
                "opens_on": today,
                "closes_on": today + timedelta(weeks=SURVEY_WEEKS),
            },
        )
        super().__init__(*args, **kwargs)
        # Next year's survey can be planned ahead, not later ones.
        self.fields["year"] = forms.IntegerField(
            label=_("Year"), min_value=FIRST_SURVEY_YEAR, max_value=today.year + 1
        )
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The survey cannot close before it opens."))
        return data


class InviteForm(forms.Form):
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners to invite"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one partner.")},
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        self.fields["partners"].widget.columns = True


class AnswerForm(forms.Form):
    """One radio group per question (the scale with its labels and "no answer"), and the open question."""

    def __init__(self, *args: Any, instrument: SurveyInstrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        required = _("Please choose an answer, or “%(no_answer)s”.") % {
            "no_answer": instrument.no_answer_label
        }
        labels = {entry["value"]: entry["label"] for entry in instrument.scale_labels}
        choices = [
            (str(value), f"{value} – {labels[value]}" if value in labels else str(value))
            for value in range(instrument.scale_min, instrument.scale_max + 1)
        ]
        choices.append((NO_ANSWER, instrument.no_answer_label))
        self.dimensions: list[tuple[SurveyDimension, list[str]]] = []
        for dimension in instrument.dimensions.all():
            names = []
            for item in dimension.items.all():
                name = item_field(item.pk)
                self.fields[name] = forms.ChoiceField(
                    label=item.text,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": required,
                        "invalid_choice": _("Please choose one of the answers shown."),
                    },
                )
                names.append(name)
            self.dimensions.append((dimension, names))
        if instrument.open_question:
            self.fields["comment"] = forms.CharField(
                label=instrument.open_question,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def grouped_fields(self) -> list[tuple[SurveyDimension, list[forms.BoundField]]]:
        return [(dimension, [self[name] for name in names]) for dimension, names in self.dimensions]

    def answers(self) -> dict[int, int | None]:
        """{item id: value}, None for "no answer"; call after is_valid()."""
        return {
            item.pk: None
            if self.cleaned_data[item_field(item.pk)] == NO_ANSWER
            else int(self.cleaned_data[item_field(item.pk)])
            for dimension in self.instrument.dimensions.all()
            for item in dimension.items.all()
        }
