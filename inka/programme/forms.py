from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.programme.map import district_key_at
from inka.programme.models import District, Site, SitePeriod
from inka.programme.services import PERIOD_FIELDS, SITE_FIELDS


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = SITE_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    fieldsets = [
        (_("Site"), ["code", "name", "district", "neighbourhood"]),
        (_("Address and map"), ["street", "postcode", "town", "latitude", "longitude"]),
        (
            _("Public contact"),
            ["opening_hours", "contact_person", "phone", "email", "description", "is_public"],
        ),
        (_("Period and status"), ["starts_on", "starts_on_precision", "ends_on", "status"]),
        (_("Internal"), ["notes"]),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.order_by("name")
        self.fields["district"].error_messages["invalid_choice"] = _(
            "Choose one of the districts of Thuringia."
        )
        district.empty_label = _("Please choose")
        self.fields["code"].widget.attrs.update({"autocapitalize": "characters", "maxlength": 5})
        self.fields["code"].error_messages["unique"] = _("This short code is already taken by another site.")
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def grouped_fields(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        latitude, longitude, district = data.get("latitude"), data.get("longitude"), data.get("district")
        if latitude is not None and longitude is not None and isinstance(district, District):
            found = district_key_at(float(longitude), float(latitude))
            if found is None:
                self.add_error("latitude", _("These coordinates are not in Thuringia."))
            elif found != district.key:
                self.add_error(
                    "latitude", _("These coordinates lie outside %(district)s.") % {"district": district.name}
                )
        return data


class SitePeriodForm(forms.ModelForm):
    carrier_name = forms.CharField(
        label=_("carrier"),
        max_length=200,
        required=False,
        # Suggests the carriers INKA knows, so that one organisation is not entered twice.
        widget=forms.TextInput(attrs={"list": "carrier-options", "autocomplete": "off"}),
        help_text=_("Name of the organisation; a new name creates the carrier. Leave empty if unknown."),
    )

    class Meta:
        model = SitePeriod
        fields = [name for name in PERIOD_FIELDS if name != "carrier"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["carrier_name", *PERIOD_FIELDS]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["starts_on"].required = True

    def clean_carrier_name(self) -> str:
        return " ".join(self.cleaned_data["carrier_name"].split())

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("carrier_name") and not data.get("neighbourhood"):
            raise forms.ValidationError(_("Enter the new carrier, the new neighbourhood or both."))
        return data
