"""The ESF report page: the indicators of a period, as the command line computes them, with downloads.

Site staff see their current site in full. Everyone outside a site's own team sees small numbers
suppressed (SECURITY.md): steering group members their own site, the programme coordination all
sites or the ones it picks, aggregated. Nobody sees a person-level row here.
"""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_scopes import scope

from inka.core.audit import log_access
from inka.core.forms import DateInput
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, Role
from inka.core.scoping import SOCIAL
from inka.esf.catalogue import INDICATORS, OPTION_LABELS, OPTION_VALUE_LABELS
from inka.esf.engine import GENDERS, OPTION_CHOICES, SETS, OptionError, Options, Report
from inka.esf.report_formats import report_csv, report_xlsx
from inka.esf.reporting import build_report
from inka.esf.suppression import suppress_report
from inka.programme import selectors as site_selectors
from inka.programme.models import Site

SET_LABELS = {
    "esf-plus": gettext_lazy("ESF+ 2021–2027 (EECO and EECR)"),
    "esf-2014": gettext_lazy("ESF 2014–2020 (CO and CR)"),
}
RECORD_LABELS = {
    "entries": gettext_lazy("Entries in the period"),
    "entries_complete": gettext_lazy("of which with complete data"),
    "leavers": gettext_lazy("Leavers in the period"),
    "leavers_complete": gettext_lazy("of which with complete data"),
    "followup_responses": gettext_lazy("Complete leavers with an answer to the six-month follow-up"),
}
DOWNLOADS = {
    "json": ("application/json", "JSON"),
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX (Excel)"),
}


@dataclass(frozen=True)
class Audience:
    """Whom the report is for: one site (its team or its steering group) or the programme."""

    suppressed: bool
    site: Site | None = None  # the site of site staff and steering group members
    choices: tuple[Site, ...] = ()  # the sites the programme coordination can pick from


def report_audience(request: InkaRequest) -> Audience:
    """The sites and the suppression of the user's report; 403 for everyone else."""
    access = request.site_access
    if access.has_programme_role(Role.COORDINATOR):
        sites = site_selectors.site_list(site_ids=access.visible_site_ids).order_by("code")
        return Audience(suppressed=True, choices=tuple(sites))
    site_id = request.current_site_id
    role = access.role_at(site_id) if site_id is not None else None
    if site_id is None or role not in (*SITE_STAFF, Role.STEERING):
        raise PermissionDenied
    return Audience(suppressed=role == Role.STEERING, site=get_object_or_404(Site, pk=site_id))


class SiteCheckboxes(forms.CheckboxSelectMultiple):
    columns = True  # laid out in columns on wide screens (_choice_field.html)


class ReportForm(forms.Form):
    period_from = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    period_to = forms.DateField(label=gettext_lazy("Until"), widget=DateInput())
    indicator_set = forms.ChoiceField(
        label=gettext_lazy("Indicator set"), choices=[(name, SET_LABELS[name]) for name in SETS]
    )

    def __init__(self, data: QueryDict, *, sites: tuple[Site, ...]) -> None:
        super().__init__(data)
        if sites:
            self.fields["sites"] = forms.MultipleChoiceField(
                label=gettext_lazy("Sites"),
                help_text=gettext_lazy("None chosen: all sites."),
                choices=[(site.code, f"{site.code} – {site.name}") for site in sites],
                required=False,
                widget=SiteCheckboxes,
            )
        for name, values in OPTION_CHOICES.items():
            labels = OPTION_VALUE_LABELS.get(name, {})
            self.fields[name] = forms.ChoiceField(
                label=str(OPTION_LABELS.get(name, name)),
                choices=[(value, labels.get(value, value)) for value in values],
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end must not be before the start."))
        try:
            data["options"] = Options.parse({name: data[name] for name in OPTION_CHOICES if name in data})
        except OptionError as error:
            self.add_error(None, str(error))
        return data

    def period_fields(self) -> list[forms.BoundField]:
        return [self["period_from"], self["period_to"], self["indicator_set"]]

    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in OPTION_CHOICES]

    def sites_chosen(self) -> bool:
        """Open the site list when sites are picked or the choice needs a correction."""
        return "sites" in self.fields and bool(self["sites"].value() or self["sites"].errors)

    def options_changed(self) -> bool:
        """Open the options when one is not at its default or needs a correction."""
        return any(
            self[name].errors or self.data.get(name, values[0]) != values[0]
            for name, values in OPTION_CHOICES.items()
        )


def form_data(query: QueryDict) -> QueryDict:
    """The query with a default for every field it leaves out: this calendar year, the pinned options."""
    today = timezone.localdate()
    data = QueryDict(mutable=True)
    data["period_from"] = date(today.year, 1, 1).isoformat()
    data["period_to"] = date(today.year, 12, 31).isoformat()
    data["indicator_set"] = SETS[0]
    for name, values in OPTION_CHOICES.items():
        data[name] = values[0]
    for key in query:
        if key != "format":
            data.setlist(key, query.getlist(key))
    return data


def compute(audience: Audience, cleaned: dict[str, Any]) -> Report:
    """The report the form asks for, suppressed for everyone outside the site's own team."""
    if audience.site is not None:
        sites = [audience.site]
    else:
        chosen = set(cleaned.get("sites") or ())
        sites = [site for site in audience.choices if not chosen or site.code in chosen]
    # Counting reads the participations of exactly the reported sites; only numbers leave this block.
    with scope(**{SOCIAL: [site.pk for site in sites]}):
        report = build_report(
            site_codes=[site.code for site in sites],
            period_from=cleaned["period_from"],
            period_to=cleaned["period_to"],
            indicator_set=cleaned["indicator_set"],
            options=cleaned["options"],
        )
    return suppress_report(report, k=settings.SUPPRESSION_K) if audience.suppressed else report


def _figure(value: int | None) -> str | None:
    return None if value is None else formats.number_format(value, force_grouping=True)


def report_tables(report: Report) -> list[dict[str, Any]]:
    """The indicator rows of the page, outputs and results apart, with names, definitions and figures."""
    tables: dict[str, dict[str, Any]] = {
        "output": {"kind": "output", "title": _("Outputs by entry date"), "rows": []},
        "result": {"kind": "result", "title": _("Results by exit date"), "rows": []},
    }
    for item in INDICATORS[report.indicator_set]:
        counts: dict[str, int | None] = dict(report.indicators[item.code])
        tables[item.kind]["rows"].append(
            {
                "code": item.code,
                "name": item.name,
                "definition": item.definition,
                "figures": [_figure(counts[key]) for key in ("total", *GENDERS)],
            }
        )
    return [table for table in tables.values() if table["rows"]]


def report_context(report: Report, audience: Audience) -> dict[str, Any]:
    records: dict[str, int | None] = dict(report.records)
    return {
        "report": report,
        "columns": [_("Total"), _("Women"), _("Men"), _("Non-binary")],
        "tables": report_tables(report),
        "records": [(RECORD_LABELS.get(name, name), _figure(count)) for name, count in records.items()],
        "options_used": [
            (
                OPTION_LABELS.get(name, name),
                OPTION_VALUE_LABELS.get(name, {}).get(_option_text(value), _option_text(value)),
            )
            for name, value in report.options.as_dict().items()
        ],
        "set_label": SET_LABELS.get(report.indicator_set, report.indicator_set),
        "site_names": [site.name for site in _sites_of(report, audience)],
        "all_sites": audience.site is None and len(report.sites) == len(audience.choices),
    }


def _option_text(value: str | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else value


def _sites_of(report: Report, audience: Audience) -> list[Site]:
    if audience.site is not None:
        return [audience.site]
    return [site for site in audience.choices if site.code in report.sites]


def download(report: Report, kind: str, *, suppressed: bool) -> HttpResponse:
    """The figures of the page as a file; suppressed figures are null in JSON and "<3" in CSV and XLSX."""
    content_type = DOWNLOADS[kind][0]
    if kind == "json":
        data = report.as_json()
        if suppressed:
            data["suppressed_below"] = settings.SUPPRESSION_K
        body: str | bytes = json.dumps(data, ensure_ascii=False, indent=2)
    elif kind == "csv":
        body = report_csv(report)
    else:
        body = report_xlsx(report)
    name = f"esf-bericht-{report.indicator_set}-{report.period_from}-{report.period_to}.{kind}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_page(request: InkaRequest) -> HttpResponse:
    audience = report_audience(request)
    form = ReportForm(form_data(request.GET), sites=audience.choices)
    kind = request.GET.get("format", "")
    context: dict[str, Any] = {"form": form, "audience": audience, "k": settings.SUPPRESSION_K}
    valid = form.is_valid()
    if kind and kind not in DOWNLOADS:
        form.add_error(None, _("Downloads are available as JSON, CSV or XLSX only."))
        valid = False
    if not valid:
        return render(request, "esf/report_page.html", context, status=400)
    report = compute(audience, form.cleaned_data)
    log_access(
        request,
        action="esf.report.download" if kind else "esf.report.view",
        site_id=audience.site.pk if audience.site else None,
    )
    if kind:
        return download(report, kind, suppressed=audience.suppressed)
    query = form_data(request.GET).urlencode()
    context |= report_context(report, audience)
    context["downloads"] = [(f"?{query}&format={kind}", label) for kind, (_type, label) in DOWNLOADS.items()]
    return render(request, "esf/report_page.html", context)
