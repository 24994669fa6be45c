from typing import Any

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.network.models import Partner, PartnerKind, SitePartner
from inka.network.services import LINK_FIELDS, PARTNER_FIELDS


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
