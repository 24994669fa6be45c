"""Period reports: the list, starting, writing and submitting (site lead), the review (programme
coordination), revisions, the downloads, and the programme report of a year.

Who reads what (SECURITY.md): the site's team every version of its own site's reports with exact
figures; the steering group accepted versions of its site, the programme coordination submitted and
reviewed versions of every site, both with small numbers hidden; data protection and administration
nothing. A report another role may not read is 404, as if it did not exist.
"""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import (
    SITE_STAFF,
    Role,
    require_current_site,
    require_programme_role,
    require_site_role,
)
from inka.monitoring import selectors, services
from inka.monitoring.access import Audience, audience_at
from inka.monitoring.document import Document
from inka.monitoring.exports import FORMATS, download_links, export_response
from inka.monitoring.models import NARRATIVE_FIELDS, PeriodReport, ReportStatus
from inka.monitoring.periods import quarter_of
from inka.monitoring.reports import programme_document, report_document
from inka.programme import selectors as site_selectors
from inka.programme.models import Site

PAGE_SIZE = 50
REVIEWED = (ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED)
FIRST_YEAR = 2013  # the programme's first year


class StartForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=pgettext_lazy("report", "Period"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", gettext_lazy("Whole year (yearly report)")),
            *(
                (quarter, gettext_lazy("Quarter %(quarter)s") % {"quarter": quarter})
                for quarter in range(1, 5)
            ),
        ],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(today.year, max(FIRST_YEAR, today.year - 4) - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        # Offered first: the latest quarter that can be reported on.
        year, quarter = today.year, quarter_of(today)
        if services.reportable_from(year, quarter) > today:
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        self.initial = {"year": year, "quarter": quarter, **self.initial}


class NarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=gettext_lazy("What went well"),
        help_text=gettext_lazy("Successes, new offers, what worked well with partners and residents."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    difficulties = forms.CharField(
        label=gettext_lazy("Difficulties"),
        help_text=gettext_lazy("What did not work, what got in the way, where help is needed."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    plans = forms.CharField(
        label=gettext_lazy("Plans for the next period"),
        help_text=gettext_lazy("What the site will do next and what it wants to achieve."),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class ReviewForm(forms.Form):
    DECISIONS = {"return": ReportStatus.RETURNED, "accept": ReportStatus.ACCEPTED}

    comment = forms.CharField(
        label=gettext_lazy("Comment to the site"),
        help_text=gettext_lazy("Required when you return the report: say what the site should change."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    decision = forms.ChoiceField(choices=[(key, key) for key in DECISIONS], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision"):
            raise ValidationError(_("Please choose whether to return or to accept the report."))
        return data


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("all")),
            *((status.value, status.label) for status in REVIEWED),
        ]
        self.fields["year"].choices = [("", _("all")), *((year, str(year)) for year in years)]  # type: ignore[attr-defined]


# The scoped manager hides other sites' reports: 404 before any role check.


def fetch_report(pk: int) -> PeriodReport:
    return get_object_or_404(PeriodReport.objects.select_related("site"), pk=pk)


def readable_statuses(request: InkaRequest, site_id: int) -> tuple[str, ...]:
    """The versions of the site's reports the user may read; 403 for roles that read none."""
    access = request.site_access
    role = access.role_at(site_id)
    if role in SITE_STAFF:
        return tuple(ReportStatus.values)
    if role == Role.STEERING:
        return (ReportStatus.ACCEPTED,)
    if access.has_programme_role(Role.COORDINATOR):
        return REVIEWED
    raise PermissionDenied


def readable_report(request: InkaRequest, pk: int) -> tuple[PeriodReport, tuple[str, ...], Audience]:
    """The report if the user may read this version (404 otherwise), with what they may read."""
    report = fetch_report(pk)
    statuses = readable_statuses(request, report.site_id)
    audience = audience_at(request.site_access, report.site_id)
    if report.status not in statuses or audience is None:
        raise Http404
    return report, statuses, audience


def is_lead(request: InkaRequest, site_id: int) -> bool:
    return request.site_access.role_at(site_id) == Role.SITE_LEAD


def writable_report(request: InkaRequest, pk: int) -> PeriodReport:
    """A report the user may write: their own site's, as its site lead (403 for everyone else)."""
    report = fetch_report(pk)
    require_site_role(request, report.site_id, Role.SITE_LEAD)
    return report


# The list


def report_list(request: InkaRequest) -> HttpResponse:
    """Site staff: their site's reports; steering group: accepted ones; coordination: all sites."""
    access = request.site_access
    today = timezone.localdate()
    if access.has_programme_role(Role.COORDINATOR) and request.current_site_id is None:
        return _coordination_list(request, today)
    site = require_current_site(request, *SITE_STAFF, Role.STEERING)
    statuses = readable_statuses(request, site.pk)
    reports = selectors.report_list(site_ids=[site.pk], statuses=statuses)
    lead = is_lead(request, site.pk)
    return render(
        request,
        "monitoring/report_list.html",
        {
            "site": site,
            "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
            "start_form": StartForm(today=today) if lead else None,
            "steering": statuses == (ReportStatus.ACCEPTED,),
        },
    )


def _coordination_list(request: InkaRequest, today: date) -> HttpResponse:
    site_ids = request.site_access.visible_site_ids
    form = FilterForm(request.GET or None, years=selectors.report_years(site_ids=site_ids))
    valid = form.is_valid() if form.is_bound else True
    filters = form.cleaned_data if form.is_bound and valid else {}
    status = filters.get("status")
    reports = selectors.report_list(
        site_ids=site_ids,
        statuses=[status] if status else REVIEWED,
        year=filters.get("year"),
        submitted_first=True,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "monitoring/report_list.html",
        {
            "form": form,
            "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "filtered": bool(status or filters.get("year")),
            "programme_years": [today.year - 1, today.year],
        },
        status=200 if valid else 400,
    )


@require_POST
def report_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, Role.SITE_LEAD)
    today = timezone.localdate()
    form = StartForm(request.POST, today=today)
    if form.is_valid():
        try:
            report = services.report_start(
                actor=request.user,
                site=site,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report has been started. Write what the period was like."))
            return redirect("monitoring:report_edit", report.pk)
    reports = selectors.report_list(site_ids=[site.pk])
    context = {
        "site": site,
        "page": Paginator(reports, PAGE_SIZE).get_page(1),
        "start_form": form,
        "steering": False,
    }
    return render(request, "monitoring/report_list.html", context, status=400)


# One report


@require_GET
def report_detail(request: InkaRequest, pk: int) -> HttpResponse:
    report, statuses, audience = readable_report(request, pk)
    return render(
        request, "monitoring/report_detail.html", _detail_context(request, report, statuses, audience)
    )


def _detail_context(
    request: InkaRequest,
    report: PeriodReport,
    statuses: tuple[str, ...],
    audience: Audience,
    review_form: ReviewForm | None = None,
) -> dict[str, Any]:
    every = selectors.report_versions(report)
    versions = [version for version in every if version.status in statuses]
    latest = every[-1].pk == report.pk
    lead = is_lead(request, report.site_id)
    reviewer = request.site_access.has_programme_role(Role.COORDINATOR) and report.reviewable
    return {
        "report": report,
        "site": report.site,
        "versions": versions,
        "document": report_document(report, audience=audience),
        "can_edit": lead and report.status == ReportStatus.DRAFT,
        "can_revise": lead and latest and report.status in (ReportStatus.RETURNED, ReportStatus.ACCEPTED),
        "review_form": (review_form or ReviewForm()) if reviewer else None,
        "downloads": download_links(lambda fmt: reverse("monitoring:report_export", args=[report.pk, fmt])),
        "k": settings.SUPPRESSION_K,
    }


def _narrative_context(report: PeriodReport, form: NarrativeForm) -> dict[str, Any]:
    """The edit page, with the coordination's comment on the version before, if there is one."""
    earlier = [version for version in selectors.report_versions(report) if version.version < report.version]
    commented = earlier[-1] if earlier and earlier[-1].review_comment else None
    return {"report": report, "site": report.site, "form": form, "commented": commented}


@require_http_methods(["GET", "POST"])
def report_edit(request: InkaRequest, pk: int) -> HttpResponse:
    report = writable_report(request, pk)
    if report.status != ReportStatus.DRAFT:
        messages.info(request, _("Only a draft can be changed; start a new version to revise the report."))
        return redirect(report)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.report_save(actor=request.user, report=report, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The draft has been saved."))
                return redirect(report)
        return render(request, "monitoring/report_form.html", _narrative_context(report, form), status=400)
    form = NarrativeForm(initial={name: getattr(report, name) for name in NARRATIVE_FIELDS})
    return render(request, "monitoring/report_form.html", _narrative_context(report, form))


@require_POST
def report_submit(request: InkaRequest, pk: int) -> HttpResponse:
    """Submit a draft; the narrative sent with it (from the edit page) is saved first, in one go."""
    report = writable_report(request, pk)
    sent = any(name in request.POST for name in NARRATIVE_FIELDS)
    form = NarrativeForm(request.POST if sent else {name: getattr(report, name) for name in NARRATIVE_FIELDS})
    if form.is_valid():
        try:
            with transaction.atomic():  # a refused submission keeps nothing of the narrative either
                if sent:
                    report = services.report_save(actor=request.user, report=report, **form.cleaned_data)
                report = services.report_submit(actor=request.user, report=report)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The report has been submitted to the programme coordination; its figures are frozen."),
            )
            return redirect(report)
    report.refresh_from_db()
    return render(request, "monitoring/report_form.html", _narrative_context(report, form), status=400)


@require_POST
def report_review(request: InkaRequest, pk: int) -> HttpResponse:
    report = fetch_report(pk)
    require_programme_role(request, Role.COORDINATOR)
    if report.status not in REVIEWED:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        service = (
            services.report_return if form.cleaned_data["decision"] == "return" else services.report_accept
        )
        try:
            service(actor=request.user, report=report, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["decision"] == "return":
                messages.success(request, _("The report has been returned to the site."))
            else:
                messages.success(request, _("The report has been accepted."))
            return redirect(report)
    report.refresh_from_db()
    statuses = readable_statuses(request, report.site_id)
    context = _detail_context(request, report, statuses, Audience.OUTSIDE, review_form=form)
    return render(request, "monitoring/report_detail.html", context, status=400)


@require_POST
def report_revise(request: InkaRequest, pk: int) -> HttpResponse:
    report = writable_report(request, pk)
    try:
        revision = services.report_revise(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    messages.success(
        request, _("Version %(version)s has been started as a draft.") % {"version": revision.version}
    )
    return redirect("monitoring:report_edit", revision.pk)


@require_GET
def report_export(request: InkaRequest, pk: int, fmt: str) -> HttpResponse:
    report, _statuses, audience = readable_report(request, pk)
    return _export(report_document(report, audience=audience), fmt)


def _export(document: Document, fmt: str) -> HttpResponse:
    if fmt not in dict(FORMATS):
        raise Http404

    return export_response(document, fmt, k=settings.SUPPRESSION_K)


# The programme report


def _programme(request: InkaRequest, year: int) -> Document:
    require_programme_role(request, Role.COORDINATOR)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    first, last = date(year, 1, 1), date(year, 12, 31)
    site_ids = request.site_access.visible_site_ids
    sites = [
        site
        for site in site_selectors.site_list(site_ids=site_ids)
        if site.status != Site.Status.PLANNED
        and (site.starts_on is None or site.starts_on <= last)
        and (site.ends_on is None or site.ends_on >= first)
    ]
    reports = selectors.accepted_yearly_reports(site_ids=[site.pk for site in sites], year=year)
    return programme_document(year=year, sites=sites, reports=reports)


@require_GET
def programme_report(request: InkaRequest, year: int) -> HttpResponse:
    document = _programme(request, year)
    return render(
        request,
        "monitoring/programme_report.html",
        {
            "document": document,
            "year": year,
            "downloads": download_links(
                lambda fmt: reverse("monitoring:programme_report_export", args=[year, fmt])
            ),
            "years": [year - 1, year + 1],
            "k": settings.SUPPRESSION_K,
        },
    )


@require_GET
def programme_report_export(request: InkaRequest, year: int, fmt: str) -> HttpResponse:
    return _export(_programme(request, year), fmt)
