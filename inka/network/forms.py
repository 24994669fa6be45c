from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.network.models import (
    ActivityKind,
    Agreement,
    AgreementKind,
    Audience,
    Cost,
    Language,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    SitePartner,
)
from inka.network.selectors import AgreementStatus, shift_months
from inka.network.services import (
    ACTIVITY_FIELDS,
    AGREEMENT_FIELDS,
    CONTACT_FIELDS,
    LINK_FIELDS,
    PARTNER_FIELDS,
    SERVICE_FIELDS,
)


def _model_field(model: type[models.Model], name: str, **kwargs: Any) -> Any:
    """The form field Django derives from the model field: same label, help text and validators."""
    return model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]


class PartnerForm(forms.Form):
    """A partner's entry and the current site's cooperation with it, in one form.

    The partner is shared by every site that works with it; the cooperation fields are the site's own.
    Both models have notes, so the cooperation's notes are called `link_notes` here.
    """

    name = _model_field(Partner, "name")
    kind = _model_field(Partner, "kind")
    street = _model_field(Partner, "street")
    postcode = _model_field(Partner, "postcode")
    town = _model_field(Partner, "town")
    phone = _model_field(Partner, "phone")
    email = _model_field(Partner, "email")
    website = _model_field(Partner, "website", assume_scheme="https")
    since = _model_field(SitePartner, "since", widget=DateInput())
    contact_person = _model_field(SitePartner, "contact_person")
    contact_phone = _model_field(SitePartner, "contact_phone")
    contact_email = _model_field(SitePartner, "contact_email")
    link_notes = _model_field(SitePartner, "notes", widget=forms.Textarea(attrs={"rows": 3}))
    notes = _model_field(Partner, "notes", widget=forms.Textarea(attrs={"rows": 3}))
    is_active = _model_field(Partner, "is_active")

    fieldsets = [
        (_("Partner"), ["name", "kind", "is_active"]),
        (_("Address and contact"), ["street", "postcode", "town", "phone", "email", "website"]),
        (_("Cooperation with your site"), ["since", "contact_person", "contact_phone", "contact_email"]),
        (_("Notes"), ["link_notes", "notes"]),
    ]

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            # A new partner is always active; the box matters only when a partner closes.
            del self.fields["is_active"]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Please choose")), *PartnerKind.choices]
        for name, autocomplete in [
            ("street", "street-address"),
            ("postcode", "postal-code"),
            ("phone", "tel"),
            ("email", "email"),
            ("website", "url"),
            ("contact_phone", "tel"),
            ("contact_email", "email"),
        ]:
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "maxlength": 5})

    @classmethod
    def initial_for(cls, link: SitePartner) -> dict[str, Any]:
        """The form's values for an existing partner and the site's cooperation with it."""
        initial = {name: getattr(link.partner, name) for name in PARTNER_FIELDS}
        initial.update({name: getattr(link, name) for name in LINK_FIELDS if name != "notes"})
        initial["link_notes"] = link.notes
        return initial

    def grouped_fields(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def partner_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PARTNER_FIELDS if name in self.fields}

    def link_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in LINK_FIELDS if name != "notes"}
        data["notes"] = self.cleaned_data["link_notes"]
        return data


class PartnerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or town"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of partner"), required=False, choices=[("", _("All kinds")), *PartnerKind.choices]
    )


class ColumnsCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes laid out in columns on wide screens (see _choice_field.html)."""

    columns = True


def _please_choose(form: forms.BaseForm, name: str, choices: Iterable[tuple[str, Any]], empty: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", empty), *choices]


def _autocomplete(form: forms.BaseForm, **names: str) -> None:
    for name, value in names.items():
        form.fields[name].widget.attrs["autocomplete"] = value


# The services directory


class ServiceForm(forms.Form):
    """A partner's service: what, for whom, in which languages, where, when, how to get there, cost."""

    name = _model_field(Service, "name")
    description = _model_field(Service, "description", widget=forms.Textarea(attrs={"rows": 4}))
    audiences = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=Audience.choices,
        widget=ColumnsCheckboxes,
        error_messages={"required": _("Choose at least one target group.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=ColumnsCheckboxes,
        error_messages={"required": _("Choose at least one language.")},
    )
    place = _model_field(Service, "place")
    hours = _model_field(Service, "hours")
    access = _model_field(Service, "access")
    cost = _model_field(Service, "cost")
    cost_note = _model_field(Service, "cost_note")
    phone = _model_field(Service, "phone")
    email = _model_field(Service, "email")
    is_active = _model_field(
        Service,
        "is_active",
        help_text=_("Services no longer offered stay on record but are not shown in the directory."),
    )

    fieldsets = [
        (_("What is offered"), ["name", "description", "is_active"]),
        (_("For whom and in which languages"), ["audiences", "languages"]),
        (
            _("Where, when, how and at what cost"),
            ["place", "hours", "access", "phone", "email", "cost", "cost_note"],
        ),
    ]

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
        if not self.is_bound and not editing:
            self.initial.setdefault("languages", [Language.GERMAN])
        self.fields["audiences"].help_text = _("“Everyone” also appears under every single target group.")
        _autocomplete(self, phone="tel", email="email")

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        initial = {name: getattr(service, name) for name in SERVICE_FIELDS}
        initial["audiences"] = [row.audience for row in service.audiences.all()]
        initial["languages"] = [row.language for row in service.languages.all()]
        return initial

    def grouped_fields(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldsets
        ]

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in [*SERVICE_FIELDS, "audiences", "languages"]
            if name in self.fields
        }


class ServiceFilterForm(forms.Form):
    """The directory's search. `scope` only for site staff: their site's partners or the whole programme."""

    SCOPE_SITE = "site"
    SCOPE_ALL = "all"

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Words from the service, its description, the partner, the town, the target group "
            "or the language."
        ),
    )
    audience = forms.ChoiceField(label=_("For whom"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    kind = forms.ChoiceField(label=_("Kind of partner"), required=False)
    cost = forms.ChoiceField(label=_("Cost"), required=False)
    scope = forms.ChoiceField(
        label=_("Partners of"),
        required=False,
        choices=[(SCOPE_SITE, _("my site")), (SCOPE_ALL, _("all sites in the programme"))],
    )
    # The case for which a service is being chosen: each result offers "refer to this service".
    referral = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choose_scope: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _please_choose(self, "audience", Audience.choices, _("All target groups"))
        _please_choose(self, "language", Language.choices, _("All languages"))
        _please_choose(self, "kind", PartnerKind.choices, _("All kinds"))
        _please_choose(self, "cost", Cost.choices, _("Any cost"))
        if not choose_scope:
            del self.fields["scope"]

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {name: data[name] for name in ("q", "audience", "language", "kind", "cost")}

    @property
    def whole_programme(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("scope") == self.SCOPE_ALL

    @property
    def searching(self) -> bool:
        return any(self.filters().values()) or self.whole_programme


# Contact persons at a partner


class PartnerContactForm(forms.Form):
    name = _model_field(PartnerContact, "name")
    function = _model_field(PartnerContact, "function")
    phone = _model_field(PartnerContact, "phone")
    email = _model_field(PartnerContact, "email")
    note = _model_field(PartnerContact, "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _autocomplete(self, phone="tel", email="email")
        self.fields["function"].help_text = _("For example: team lead, case manager, reception.")

    @classmethod
    def initial_for(cls, contact: PartnerContact) -> dict[str, Any]:
        return {name: getattr(contact, name) for name in CONTACT_FIELDS}


# Cooperation agreements


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.town})" if obj.town else str(obj.name)


class AgreementForm(forms.Form):
    partner = PartnerChoiceField(queryset=Partner.objects.none(), label=_("Partner"))
    kind = _model_field(Agreement, "kind")
    title = _model_field(Agreement, "title")
    signed_on = _model_field(Agreement, "signed_on", widget=DateInput())
    starts_on = _model_field(Agreement, "starts_on", widget=DateInput())
    ends_on = _model_field(Agreement, "ends_on", widget=DateInput())
    remind_on = _model_field(Agreement, "remind_on", widget=DateInput())
    note = _model_field(Agreement, "note", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = partners
        partner.empty_label = _("Please choose")
        partner.error_messages["invalid_choice"] = _("Choose a partner on your site's list.")
        _please_choose(self, "kind", AgreementKind.choices, _("Please choose"))
        self.fields["title"].help_text = _("For example: cooperation on debt counselling referrals.")
        self.fields["remind_on"].help_text = _(
            "The reminder appears on the work list of the site's team from this day. "
            "Empty: three months before the end."
        )

    @classmethod
    def initial_for(cls, agreement: Agreement) -> dict[str, Any]:
        return {name: getattr(agreement, name) for name in AGREEMENT_FIELDS}

    @classmethod
    def initial_for_renewal(cls, agreement: Agreement, today: date) -> dict[str, Any]:
        """The follow-up agreement: same partner and subject, starting when the old one ends, as long."""
        starts_on = agreement.ends_on + timedelta(days=1) if agreement.ends_on else today
        ends_on = None
        if agreement.ends_on:
            # A term of whole months (1 Feb to 31 Jan) stays one; otherwise the same number of days.
            months = (
                (starts_on.year - agreement.starts_on.year) * 12 + starts_on.month - agreement.starts_on.month
            )
            if shift_months(agreement.starts_on, months) == starts_on:
                ends_on = shift_months(starts_on, months) - timedelta(days=1)
            else:
                ends_on = starts_on + (agreement.ends_on - agreement.starts_on)
        return {
            "partner": agreement.partner_id,
            "kind": agreement.kind,
            "title": agreement.title,
            "signed_on": today,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "note": agreement.note,
        }

    def agreement_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in AGREEMENT_FIELDS}


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Type of agreement"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _please_choose(self, "status", AgreementStatus.choices, _("Any status"))
        _please_choose(self, "kind", AgreementKind.choices, _("All types"))


# Network activities


class PartnersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ActivityForm(forms.Form):
    kind = _model_field(NetworkActivity, "kind")
    title = _model_field(NetworkActivity, "title")
    held_on = _model_field(NetworkActivity, "held_on", widget=DateInput())
    place = _model_field(NetworkActivity, "place")
    partners = PartnersField(
        queryset=Partner.objects.none(),
        label=_("Partners present"),
        required=False,
        widget=ColumnsCheckboxes,
    )
    note = _model_field(
        NetworkActivity,
        "note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was agreed; no information about clients."),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = partners
        field.error_messages["invalid_choice"] = _("Choose partners on your site's list.")
        _please_choose(self, "kind", ActivityKind.choices, _("Please choose"))

    @classmethod
    def initial_for(cls, activity: NetworkActivity) -> dict[str, Any]:
        initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
        initial["partners"] = [partner.pk for partner in activity.partners.all()]
        return initial

    def activity_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*ACTIVITY_FIELDS, "partners"]}


class ActivityFilterForm(forms.Form):
    ALL_YEARS = "all"

    year = forms.ChoiceField(label=_("Year"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    def __init__(self, *args: Any, years: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [*((str(value), str(value)) for value in years), (self.ALL_YEARS, _("All years"))]
        _please_choose(self, "kind", ActivityKind.choices, _("All types"))
