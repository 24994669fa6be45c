"""Forms of ESF participation: parsing and field checks; the rules that need other rows are in services."""

from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from inka.cases.forms import InlineRadios
from inka.core.forms import DateInput
from inka.core.registry import Category
from inka.esf.codes import (
    Answer,
    ExitEventType,
    FollowUpStatus,
    Gender,
    ImprovementReason,
    LabourStatus,
    Rural,
    SchoolCertificate,
    VocationalQualification,
)
from inka.esf.field_registry import FIELDS
from inka.esf.models import SENSITIVE_ITEMS, EducationStart, ExitEvent, Participation, Qualification
from inka.esf.selectors import ListFilter

# Special categories (Art. 9 GDPR): a reader's form and page never carry them, nor their labels.
SPECIAL_ITEMS = [name for name, kind in FIELDS["esf.Participation"].items() if kind == Category.SPECIAL]

ANSWER_CHOICES = [
    (Answer.YES.value, _("yes")),
    (Answer.NO.value, _("no")),
    (Answer.REFUSED.value, _("no answer (refused)")),
    ("", _("question not asked")),
]
YES_NO_UNRECORDED = [("True", _("yes")), ("False", _("no")), ("", _("not recorded yet"))]
# Items asked only for one labour market status at entry (the page leaves them out for the others).
ONLY_FOR_STATUS = {
    "unemployed_since": LabourStatus.UNEMPLOYED,
    "in_education_or_training_at_entry": LabourStatus.INACTIVE,
    "self_employed": LabourStatus.EMPLOYED,
}
ISCED_CHOICES = [
    ("", _("derive from the certificates")),
    (0, _("ISCED 0 – primary education not completed")),
    (1, _("ISCED 1 – primary education")),
    (2, _("ISCED 2 – lower secondary education")),
    (3, _("ISCED 3 – upper secondary education")),
    (4, _("ISCED 4 – post-secondary non-tertiary education")),
    (5, _("ISCED 5 – short-cycle tertiary education")),
    (6, _("ISCED 6 – bachelor's or equivalent")),
    (7, _("ISCED 7 – master's or equivalent")),
    (8, _("ISCED 8 – doctoral or equivalent")),
]


def isced_label(level: int | None) -> str:
    return str(dict(ISCED_CHOICES).get(level, "")) if level is not None else ""


class StartForm(forms.Form):
    entry_date = forms.DateField(
        label=_("entry date"),
        widget=DateInput(),
        help_text=_("The day the person joined the ESF-funded counselling."),
    )


class EntryQuestionnaireForm(forms.ModelForm):
    """The entry questionnaire ("Stammblatt"), in the sections of the paper form."""

    fieldsets = [
        (_("Person"), ["gender", "date_of_birth", "rural"]),
        (_("Entry and leaflet"), ["entry_date", "leaflet_acknowledged_on"]),
        (
            _("Labour market status at entry"),
            [
                "labour_status_at_entry",
                "unemployed_since",
                "in_education_or_training_at_entry",
                "self_employed",
            ],
        ),
        (
            _("School and vocational qualifications"),
            ["school_certificate", "vocational_qualification", "isced_level"],
        ),
        (
            _("Voluntary questions"),
            [
                "sensitive_asked_on",
                "third_country_national",
                "foreign_background",
                "minority",
                "disability",
                "other_disadvantaged",
                "homeless_or_housing_exclusion",
                "household_jobless",
                "household_dependent_children",
                "household_single_adult",
            ],
        ),
    ]

    in_education_or_training_at_entry = forms.NullBooleanField(
        label=_("in school or vocational education or training"),
        required=False,
        widget=InlineRadios(choices=YES_NO_UNRECORDED),
        help_text=_(
            "Only if “inactive” is chosen above: is the person in school or in vocational education "
            "or training?"
        ),
    )
    isced_level = forms.TypedChoiceField(
        label=_("ISCED level"), choices=ISCED_CHOICES, coerce=int, empty_value=None, required=False
    )

    class Meta:
        model = Participation
        fields = [
            "gender",
            "date_of_birth",
            "rural",
            "entry_date",
            "leaflet_acknowledged_on",
            "labour_status_at_entry",
            "unemployed_since",
            "in_education_or_training_at_entry",
            "self_employed",
            "school_certificate",
            "vocational_qualification",
            "isced_level",
            "sensitive_asked_on",
            *SENSITIVE_ITEMS,
        ]
        labels = {
            "leaflet_acknowledged_on": _(
                "leaflet on the collection of participant data (Merkblatt) handed over and acknowledged on"
            ),
        }
        help_texts = {
            "entry_date": _("The first entry. A re-entry does not change it."),
            "unemployed_since": _(
                "Only if “unemployed” is chosen above: the start of the current, continuous registration "
                "as unemployed."
            ),
            "self_employed": _("Only if “employed” is chosen above."),
            "sensitive_asked_on": _(
                "Required as soon as one of the questions below has an answer, also “no answer (refused)”. "
                "Answering is voluntary; “not asked” means the question was not put."
            ),
        }
        widgets = {
            "gender": InlineRadios,
            "rural": InlineRadios,
            "labour_status_at_entry": forms.RadioSelect,
            "date_of_birth": DateInput(),
            "entry_date": DateInput(),
            "leaflet_acknowledged_on": DateInput(),
            "unemployed_since": DateInput(),
            "sensitive_asked_on": DateInput(),
        }

    def __init__(self, *args: Any, can_see_special: bool, derived_isced: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.derived_isced = derived_isced
        if not can_see_special:
            for name in SPECIAL_ITEMS:
                self.fields.pop(name, None)
        choices: dict[str, Any] = {
            "gender": [*Gender.choices, ("", _("not recorded yet"))],
            "labour_status_at_entry": LabourStatus.choices,
            "rural": Rural.choices,
            "school_certificate": [("", _("not recorded yet")), *SchoolCertificate.choices],
            "vocational_qualification": [("", _("not recorded yet")), *VocationalQualification.choices],
        }
        for name in SENSITIVE_ITEMS:
            if name in self.fields:
                choices[name] = ANSWER_CHOICES
                self.fields[name].widget = InlineRadios()
        for name, values in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values
            field.required = False
        self.fields["isced_level"].help_text = (
            _("Leave empty to derive it from the certificates; now derived: %(level)s.")
            % {"level": derived_isced}
            if derived_isced
            else _("Leave empty to derive it from the certificates; they do not give a level yet.")
        )

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
            if any(name in self.fields for name in names)
        ]

    def display_groups(self) -> list[tuple[Any, list[tuple[Any, str]]]]:
        """The questionnaire read-only, for the participation page: (legend, [(label, value as text)])."""
        status = self.instance.labour_status_at_entry
        return [
            (
                legend,
                [
                    (bound.label, self._display(bound))
                    for bound in fields
                    if ONLY_FOR_STATUS.get(bound.name, status) == status
                ],
            )
            for legend, fields in self.grouped_fields()
        ]

    def _display(self, bound: forms.BoundField) -> str:
        value = bound.initial
        if bound.name == "isced_level" and value is None:
            return (
                _("%(level)s (derived from the certificates)") % {"level": self.derived_isced}
                if self.derived_isced
                else "–"
            )
        if isinstance(bound.field, forms.NullBooleanField):
            return str(dict(YES_NO_UNRECORDED)["" if value is None else str(value)])
        if isinstance(bound.field, forms.ChoiceField):
            choices: Any = bound.field.choices  # a list here: the form sets every choice list itself
            return str(dict(choices).get("" if value is None else value) or "–")
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return str(value) if value not in (None, "") else "–"

    def clean_rural(self) -> str:
        return self.cleaned_data.get("rural") or Rural.UNKNOWN


class ExitForm(forms.Form):
    exit_date = forms.DateField(label=_("exit date"), widget=DateInput())


class ExitEventForm(forms.ModelForm):
    class Meta:
        model = ExitEvent
        fields = ["occurred_on", "type"]
        widgets = {"occurred_on": DateInput(), "type": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ExitEventType.choices


class EducationStartForm(forms.ModelForm):
    class Meta:
        model = EducationStart
        fields = ["started_on", "title"]
        widgets = {"started_on": DateInput()}
        help_texts = {"title": _("For example the school, the apprenticeship or the course.")}


class QualificationForm(forms.ModelForm):
    recognised = forms.TypedChoiceField(
        label=_("recognised qualification"),
        choices=[
            ("True", _("yes – awarded by a competent body after an assessment")),
            ("False", _("no – for example a certificate of attendance")),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        initial="True",
    )

    class Meta:
        model = Qualification
        fields = ["awarded_on", "title", "recognised"]
        widgets = {"awarded_on": DateInput()}


class NoAnswerForm(forms.Form):
    no_answer = forms.BooleanField(label=_("No answer possible"), required=False)
    exit_no_answer_reason = forms.CharField(
        label=_("reason why no answer is possible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required with “No answer possible”: why the situation after leaving could really not be found "
            "out, e.g. the person could not be reached despite several attempts (when, how)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("no_answer") and not (data.get("exit_no_answer_reason") or "").strip():
            self.add_error(
                "exit_no_answer_reason",
                _("Write down why the situation after leaving could not be found out."),
            )
        return data


class FollowUpForm(forms.Form):
    followup_6m_status = forms.ChoiceField(
        label=_("situation six months after leaving"),
        choices=[*FollowUpStatus.choices, ("", _("not recorded yet"))],
        required=False,
        widget=forms.RadioSelect,
    )
    followup_6m_recorded_on = forms.DateField(
        label=_("follow-up recorded on"),
        required=False,
        widget=DateInput(),
        help_text=_("Required with a situation."),
    )
    followup_6m_improved = forms.NullBooleanField(
        label=_("better labour market situation"),
        required=False,
        widget=InlineRadios(choices=YES_NO_UNRECORDED),
        help_text=_("Only for participants employed at entry: is their situation better than at entry?"),
    )
    followup_6m_improvement = forms.ChoiceField(
        label=_("kind of improvement"),
        choices=[("", _("not recorded yet")), *ImprovementReason.choices],
        required=False,
    )

    def __init__(self, *args: Any, employed_at_entry: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not employed_at_entry:
            # Asked only of people employed at entry (EECR06); for everyone else the form leaves it out.
            del self.fields["followup_6m_improved"]
            del self.fields["followup_6m_improvement"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data["followup_6m_status"],
            "recorded_on": data["followup_6m_recorded_on"],
            "improved": data.get("followup_6m_improved"),
            "improvement": data.get("followup_6m_improvement", ""),
        }

    @staticmethod
    def initial_for(participation: Participation) -> dict[str, Any]:
        return {
            "followup_6m_status": participation.followup_6m_status,
            "followup_6m_recorded_on": participation.followup_6m_recorded_on or timezone.localdate(),
            "followup_6m_improved": participation.followup_6m_improved,
            "followup_6m_improvement": participation.followup_6m_improvement,
        }


class ListFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[
            (ListFilter.INCOMPLETE, _("incomplete participations")),
            (ListFilter.FOLLOWUP, _("six-month follow-up due")),
            (ListFilter.ALL, _("all participations")),
        ],
        required=False,
    )
