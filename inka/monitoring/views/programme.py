"""The programme dashboard (M2) and its exports: for the programme coordination only.

Published figures of every site (small cells hidden), so the coordination never sees a figure the
steering groups would not; everyone else, including the sites' own staff, gets 403.
"""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from inka.core.http import InkaRequest
from inka.core.permissions import Role, require_programme_role
from inka.monitoring.dashboard_programme import (
    default_indicator,
    indicator_choices,
    period_choices,
)
from inka.monitoring.dashboard_programme import (
    programme_dashboard as build_programme_dashboard,
)
from inka.monitoring.document import Document
from inka.monitoring.exports import FORMATS, download_links, export_response
from inka.monitoring.periods import Calendar


class ProgrammeForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=indicator_choices,
        error_messages={"invalid_choice": _("Choose one of the indicators listed.")},
    )
    period = forms.ChoiceField(
        label=pgettext_lazy("dashboard", "Period"),
        error_messages={"invalid_choice": _("Choose one of the periods listed.")},
    )

    def __init__(self, query: QueryDict, *, calendar: Calendar) -> None:
        """The query's choices, this year and the first key figure where it makes none."""
        data = {"indicator": default_indicator(), "period": str(calendar.year)}
        data.update({name: query.get(name, "") for name in data if name in query})
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["period"]).choices = period_choices(calendar)


def _dashboard(request: InkaRequest) -> tuple[ProgrammeForm, Document | None]:
    """The form for the query and, when it is valid, the dashboard it asks for (coordination only)."""
    require_programme_role(request, Role.COORDINATOR)
    today = timezone.localdate()
    form = ProgrammeForm(request.GET, calendar=Calendar(today))
    if not form.is_valid():
        return form, None
    document = build_programme_dashboard(
        site_ids=sorted(request.site_access.visible_site_ids),
        indicator_code=form.cleaned_data["indicator"],
        period_key=form.cleaned_data["period"],
        today=today,
    )
    return form, document


@require_GET
def programme_dashboard(request: InkaRequest) -> HttpResponse:
    form, document = _dashboard(request)
    context: dict[str, Any] = {"form": form, "document": document, "k": settings.SUPPRESSION_K}
    if document is None:
        return render(request, "monitoring/programme_dashboard.html", context, status=400)
    query = urlencode(form.cleaned_data)
    context["exports"] = download_links(
        lambda fmt: f"{reverse('monitoring:programme_dashboard_export', args=[fmt])}?{query}"
    )
    return render(request, "monitoring/programme_dashboard.html", context)


@require_GET
def programme_dashboard_export(request: InkaRequest, fmt: str) -> HttpResponse:
    if fmt not in dict(FORMATS):
        raise Http404
    form, document = _dashboard(request)
    if document is None:
        return render(
            request,
            "monitoring/programme_dashboard.html",
            {"form": form, "document": None, "k": settings.SUPPRESSION_K},
            status=400,
        )
    return export_response(document, fmt, k=settings.SUPPRESSION_K)
