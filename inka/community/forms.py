"""Forms of neighbourhood work: parsing and field checks; rules that need other rows are in services."""

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.accounts.selectors import site_caseworkers
from inka.cases.forms import ColumnsCheckboxes
from inka.cases.models import AgeBand, Gender, Person, Topic
from inka.community import selectors
from inka.community.models import (
    Activation,
    ActivationKind,
    OutreachRound,
    Project,
    ProjectKind,
    ProjectStatus,
    Session,
    Volunteer,
)
from inka.community.selectors import AGE_BAND_ROWS, GENDER_COLUMNS
from inka.community.services import ACTIVATION_FIELDS, HEADCOUNT_LIMIT, PROJECT_FIELDS, SESSION_FIELDS
from inka.core.forms import DateInput
from inka.network.models import Partner
from inka.programme.models import Site

# Volunteers and their hours (G3), outreach rounds (G5)


def _hours_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    """Hours with a comma or a point as decimal mark (“2,5” or “2.5”)."""
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )


class MonthInput(forms.DateInput):
    """The browser's month picker; it sends “2025-03”."""

    input_type = "month"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class MonthField(forms.DateField):
    """A month, stored as its first day; typed as 2025-03, 03.2025 or 03/2025 where there is no picker."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m.%Y", "%m/%Y"]
    default_error_messages = {"invalid": _("Enter a month, for example 03/2025.")}


class VolunteerForm(forms.ModelForm):
    """A volunteer's data; `person` (also a client) is chosen by the search above the form."""

    # Declared here: the model's field would build its choices unscoped, when the module is loaded.
    person: "forms.ModelChoiceField[Person]" = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Volunteer
        fields = [
            "person", "first_name", "last_name", "phone", "email", "skills", "availability", "since", "until",
        ]  # fmt: skip
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 3}),
            "since": DateInput(),
            "until": DateInput(),
        }
        help_texts = {"until": _("Fill in when the volunteer stops; the hours stay on record.")}

    def __init__(self, *args: Any, site_id: int, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(site_id=site_id)
        person.error_messages["invalid_choice"] = _("Choose a person of this site.")
        if not editing:
            # A new volunteer has just begun; ending comes later, on the edit page.
            del self.fields["until"]
            if not self.is_bound and not self.initial.get("since"):
                self.initial["since"] = timezone.localdate()
        # Someone else's name and number: the browser must not offer the user's own.
        for name in ["first_name", "last_name", "phone", "email"]:
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the engagement cannot be before its start."))
        return data


class PersonChoiceSearchForm(forms.Form):
    """Finds the client a volunteer is, among the persons of the site."""

    q = forms.CharField(
        label=_("Name of the client"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class VolunteerFilterForm(forms.Form):
    STATUS_CHOICES = [("active", _("active now")), ("ended", _("ended")), ("all", _("all"))]

    q = forms.CharField(
        label=_("Name"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(label=_("Engagement"), required=False, choices=STATUS_CHOICES)

    def active(self) -> bool | None:
        """True for the active volunteers (the default), False for the ended ones, None for all."""
        status = self.cleaned_data.get("status") if self.is_valid() else ""
        return {"ended": False, "all": None}.get(status or "active", True)


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.title or obj.place
        return f"{obj.held_on:%d.%m.%Y} – {obj.project.title}" + (f": {name}" if name else "")


class SessionHoursEntryForm(forms.Form):
    """Hours of one volunteer at a session of the site's projects."""

    session = SessionChoiceField(label=_("Session"), queryset=Session.objects.none())
    hours = _hours_field(_("Hours"), help_text=_("For example 2,5 for two and a half hours."))
    activity = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=200,
        help_text=_("For example: set-up, cake stall, translating."),
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        assert isinstance(session, forms.ModelChoiceField)
        session.queryset = selectors.session_choices(site_id=site_id)
        session.empty_label = _("Please choose")
        session.error_messages["invalid_choice"] = _("Choose a session of this site.")
        session.error_messages["required"] = _("Choose the session.")


class MonthHoursEntryForm(forms.Form):
    """Hours of one volunteer over a month, in a project or for the site as a whole."""

    month = MonthField(label=_("Month"))
    project: "forms.ModelChoiceField[Project]" = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )
    hours = _hours_field(_("Hours"), help_text=_("For example 2,5 for two and a half hours."))
    activity = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=200,
        help_text=_("For example: homework help, accompanying neighbours, garden care."),
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = selectors.project_choices(site_id=site_id)
        project.empty_label = _("No project: help at the site")
        project.error_messages["invalid_choice"] = _("Choose a project of this site.")
        if not self.is_bound:
            self.initial.setdefault("month", timezone.localdate().replace(day=1))


class SessionHoursForm(forms.Form):
    """Everyone's hours at a session at once: one field per volunteer, empty for none."""

    activity = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=200,
        help_text=_("For the entries that do not say it yet; those recorded before keep theirs."),
    )

    def __init__(self, *args: Any, volunteers: list[Volunteer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.volunteers = volunteers
        for volunteer in volunteers:
            field = _hours_field(f"{volunteer.first_name} {volunteer.last_name}", required=False)
            self.fields[f"volunteer_{volunteer.pk}"] = field

    def volunteer_fields(self) -> list[forms.BoundField]:
        return [self[f"volunteer_{volunteer.pk}"] for volunteer in self.volunteers]

    def hours(self) -> dict[Volunteer, Any]:
        """Hours by volunteer; None where the field was left empty (or 0: no hours)."""
        return {
            volunteer: self.cleaned_data.get(f"volunteer_{volunteer.pk}") or None
            for volunteer in self.volunteers
        }


class CertificateForm(forms.Form):
    period_from = forms.DateField(label=_("From"), widget=DateInput())
    period_to = forms.DateField(label=_("Until"), widget=DateInput())
    include_activities = forms.BooleanField(
        label=_("List the projects with what was done there"), required=False, initial=True
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=120)
    signer_role = forms.CharField(label=_("Function of the signatory"), max_length=120)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_from, period_to = data.get("period_from"), data.get("period_to")
        if period_from and period_to and period_to < period_from:
            self.add_error("period_to", _("The end of the period cannot be before its start."))
        return data


class StaffCheckboxes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.email)


TOPIC_PREFIX = "topic_"


class OutreachRoundForm(forms.ModelForm):
    """An outreach round in under a minute on a phone: per topic, how many conversations touched it."""

    staff = StaffCheckboxes(
        label=_("By whom"), queryset=get_user_model().objects.none(), widget=ColumnsCheckboxes
    )

    class Meta:
        model = OutreachRound
        fields = ["held_on", "area", "duration_minutes", "staff", "conversations", "note"]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, site_id: int, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelMultipleChoiceField)
        staff.queryset = site_caseworkers(site_id=site_id)
        staff.error_messages["required"] = _("Choose who went on the round.")
        staff.error_messages["invalid_choice"] = _("Choose members of the site's team.")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("held_on", timezone.localdate())
            if actor is not None:
                self.initial.setdefault("staff", [actor.pk])
        self.fields["area"].widget.attrs.update({"list": "outreach-areas", "autocomplete": "off"})
        for name in ["duration_minutes", "conversations"]:
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
        self.fields["conversations"].required = True
        counts: dict[str, int] = {}
        if self.instance.pk is not None:
            counts = dict(self.instance.topics.values_list("topic", "conversations"))
        for topic, label in Topic.choices:
            self.fields[TOPIC_PREFIX + topic] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=500,
                initial=counts.get(topic),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def topic_fields(self) -> list[forms.BoundField]:
        return [self[TOPIC_PREFIX + topic] for topic in Topic.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        conversations = data.get("conversations")
        if conversations is not None:
            for topic in Topic.values:
                n = data.get(TOPIC_PREFIX + topic)
                if n and n > conversations:
                    self.add_error(
                        TOPIC_PREFIX + topic,
                        _("More than the %(count)s conversations held.") % {"count": conversations},
                    )
        return data

    def topic_counts(self) -> dict[str, int]:
        return {
            topic: self.cleaned_data[TOPIC_PREFIX + topic]
            for topic in Topic.values
            if self.cleaned_data.get(TOPIC_PREFIX + topic)
        }

    def round_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ["held_on", "area", "duration_minutes", "conversations", "note"]
        }


class OutreachSiteFilterForm(forms.Form):
    """The programme coordination picks a site (or sees all)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)

    def __init__(self, *args: Any, site_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = Site.objects.filter(pk__in=site_ids).order_by("name")
        site.empty_label = _("All sites")


# --- Community projects, sessions, attendance and resident activation -----------------------------

FIRST_YEAR = 2013  # ThINKA began in 2013


def _from_model(model: type[models.Model], name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field: same label, help text and validators."""
    return model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]


def _please_choose(field: forms.Field, choices: Any) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", _("Please choose")), *choices]


def _years(today: date) -> list[tuple[int | str, Any]]:
    return [(year, str(year)) for year in range(today.year + 1, FIRST_YEAR - 1, -1)]


class EuroField(forms.DecimalField):
    """An amount in euros as people type it: “4.500,50”, “4500,50 €” or “4500.50”."""

    GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
            if "," in value or self.GROUPED.match(value):
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


def _euro_field(name: str) -> Any:
    return _from_model(
        Project,
        name,
        form_class=EuroField,
        min_value=Decimal(0),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class ProjectForm(forms.Form):
    """A community project; the partners come from the site's list."""

    title = _from_model(Project, "title")
    kind = _from_model(Project, "kind")
    status = _from_model(Project, "status")
    starts_on = _from_model(Project, "starts_on", widget=DateInput())
    ends_on = _from_model(Project, "ends_on", widget=DateInput())
    goals = _from_model(Project, "goals", widget=forms.Textarea(attrs={"rows": 4}))
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners involved"),
        queryset=Partner.objects.none(),
        required=False,
        widget=ColumnsCheckboxes,
    )
    budget = _euro_field("budget")
    spent = _euro_field("spent")
    public_description = _from_model(Project, "public_description", widget=forms.Textarea(attrs={"rows": 3}))

    fieldsets = [
        (_("Project"), ["title", "kind", "status", "goals"]),
        (_("Period"), ["starts_on", "ends_on"]),
        (_("Partners"), ["partners"]),
        (_("Money"), ["budget", "spent"]),
        (_("For the public"), ["public_description"]),
    ]

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _please_choose(self.fields["kind"], ProjectKind.choices)
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = Partner.objects.filter(site_links__site_id=site_id).order_by("name", "town")
        if not partners.queryset.exists():
            partners.help_text = _("Your site has no partners on its list yet.")

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        initial = {name: getattr(project, name) for name in PROJECT_FIELDS}
        initial["partners"] = list(project.partners.all())
        return initial

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        return data

    def project_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS}


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ProjectStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Type of project"), required=False, choices=[("", _("All types")), *ProjectKind.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, sites: Sequence[Site] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("All years")), *_years(timezone.localdate())]
        if sites:
            site = self.fields["site"]
            assert isinstance(site, forms.ChoiceField)
            site.choices = [("", _("All sites")), *((s.pk, f"{s.code} – {s.name}") for s in sites)]
        else:
            del self.fields["site"]


class SessionForm(forms.Form):
    held_on = _from_model(Session, "held_on", widget=DateInput())
    title = _from_model(Session, "title")
    place = _from_model(Session, "place")
    duration_minutes = _from_model(
        Session, "duration_minutes", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    attendance_mode = _from_model(Session, "attendance_mode", widget=forms.RadioSelect)
    note = _from_model(Session, "note", widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        return {name: getattr(session, name) for name in SESSION_FIELDS}


def headcount_field_name(band: str, gender: str) -> str:
    """The form field of one headcount cell, e.g. "18_29_f"; the cell without age or gender is "guests"."""
    if not band and not gender:
        return "guests"
    band_part = band.replace("-", "_").replace("+", "plus") if band else "unknown"
    return f"{band_part}_{gender or 'unknown'}"


class HeadcountForm(forms.Form):
    """A session's headcount: one number per age band and gender, and the guests of whom neither is
    known in one field (for a big event that is the only number)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bands = dict(AgeBand.choices)
        genders = dict(Gender.choices)
        unknown = _("unknown")
        label: Any
        for band in AGE_BAND_ROWS:
            for gender in GENDER_COLUMNS:
                if not band and not gender:
                    label, attrs = _("Guests in total (age and gender unknown)"), {}
                else:
                    label = _("%(gender)s, age %(band)s") % {
                        "gender": genders.get(gender, unknown),
                        "band": bands.get(band, unknown),
                    }
                    attrs = {"class": "headcount-cell"}
                self.fields[headcount_field_name(band, gender)] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=HEADCOUNT_LIMIT,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", **attrs}),
                )
        self.fields["guests"].help_text = _(
            "For a big event, this one number is enough. It is counted in addition to the table below."
        )

    @classmethod
    def initial_for(cls, counts: dict[tuple[str, str], int]) -> dict[str, int]:
        return {headcount_field_name(band, gender): count for (band, gender), count in counts.items()}

    def grid(self) -> list[tuple[Any, list[forms.BoundField | None]]]:
        """Rows of the table: the age band's label and its cells by gender (None: the "guests" field)."""
        labels = [*AgeBand.labels, _("unknown")]
        return [
            (
                label,
                [
                    self[headcount_field_name(band, gender)] if band or gender else None
                    for gender in GENDER_COLUMNS
                ],
            )
            for label, band in zip(labels, AGE_BAND_ROWS, strict=True)
        ]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (band, gender): self.cleaned_data.get(headcount_field_name(band, gender)) or 0
            for band in AGE_BAND_ROWS
            for gender in GENDER_COLUMNS
        }


class AttendanceSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AttendanceAddForm(forms.Form):
    person: "forms.ModelChoiceField[Person]" = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a person of your site."),
            "invalid_choice": _("Choose a person of your site."),
        },
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = Person.objects.filter(site_id=site_id)


class ActivationForm(forms.Form):
    occurred_on = _from_model(Activation, "occurred_on", widget=DateInput())
    kind = forms.ChoiceField(
        label=Activation._meta.get_field("kind").verbose_name,
        choices=ActivationKind.choices,
        widget=forms.RadioSelect,
    )
    residents = _from_model(Activation, "residents", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    description = _from_model(Activation, "description", widget=forms.Textarea(attrs={"rows": 4}))
    project: "forms.ModelChoiceField[Project]" = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("No project"),
        help_text=_("If it grew out of a community project."),
    )

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.ModelChoiceField)
        project.queryset = Project.objects.filter(site_id=site_id).order_by("-starts_on", "title")

    @classmethod
    def initial_for(cls, activation: Activation) -> dict[str, Any]:
        return {name: getattr(activation, name) for name in ACTIVATION_FIELDS}


class ActivationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    kind = forms.ChoiceField(
        label=_("What happened"), required=False, choices=[("", _("All")), *ActivationKind.choices]
    )
    site = forms.TypedChoiceField(label=_("Site"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: Any, *, sites: Sequence[Site] = (), **kwargs: Any) -> None:
        today = timezone.localdate()
        data = data.copy()
        data.setdefault("year", str(today.year))
        super().__init__(data, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = _years(today)
        if sites:
            site = self.fields["site"]
            assert isinstance(site, forms.ChoiceField)
            site.choices = [("", _("All sites")), *((s.pk, f"{s.code} – {s.name}") for s in sites)]
        else:
            del self.fields["site"]
