from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.core.models import AccessLogEntry


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class TimeInput(forms.TimeInput):
    """The browser's time picker (hours and minutes)."""

    input_type = "time"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%H:%M", **kwargs)  # type: ignore[arg-type]


class TimeRangeForm(forms.Form):
    """From and until, each a date with an optional time: a start without time is 0:00, an end 23:59:59."""

    date_from = forms.DateField(label=_("From (date)"), required=False, widget=DateInput())
    time_from = forms.TimeField(label=_("From (time)"), required=False, widget=TimeInput())
    date_to = forms.DateField(label=_("Until (date)"), required=False, widget=DateInput())
    time_to = forms.TimeField(label=_("Until (time)"), required=False, widget=TimeInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = timezone.get_current_timezone()
        for end, day, moment, default in (
            ("start", "date_from", "time_from", time.min),
            ("end", "date_to", "time_to", time.max),
        ):
            if data.get(moment) and not data.get(day):
                self.add_error(day, _("Enter a date for this time."))
            data[end] = (
                datetime.combine(data[day], data.get(moment) or default, tzinfo=zone)
                if data.get(day)
                else None
            )
        if data["start"] and data["end"] and data["end"] < data["start"]:
            self.add_error("date_to", _("The end must not be before the start."))
        return data


class LogFilterForm(TimeRangeForm):
    """Filters of the change history and the access log; the choices are those of the caller's scope."""

    field_order = ["account", "user", "action", "person", "case", "outcome"]
    account = forms.TypedChoiceField(label=_("Account"), required=False, coerce=int, empty_value=None)
    user = forms.CharField(label=_("User (part of the e-mail)"), required=False, max_length=254)
    action = forms.ChoiceField(label=_("Action"), required=False)
    person = forms.IntegerField(label=_("Person (id)"), required=False, min_value=1)
    case = forms.IntegerField(label=_("Case (id)"), required=False, min_value=1)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("all")), *AccessLogEntry.Outcome.choices],
    )

    def __init__(
        self,
        *args: Any,
        accounts: Sequence[tuple[int, str]],
        actions: Sequence[tuple[str, str]],
        with_outcome: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("all")), *accounts]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("all")), *actions]  # type: ignore[attr-defined]
        if not with_outcome:
            del self.fields["outcome"]

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of the log selectors."""
        names = ["account", "user", "action", "person", "case", "outcome", "start", "end"]
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}


class BreachQuestionForm(TimeRangeForm):
    """The account and the period of the breach question; both ends of the period are required."""

    field_order = ["account"]
    account = forms.TypedChoiceField(label=_("Account"), coerce=int)

    def __init__(self, *args: Any, accounts: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("Choose an account")), *accounts]  # type: ignore[attr-defined]
        self.fields["date_from"].required = True
        self.fields["date_to"].required = True


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError at the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
