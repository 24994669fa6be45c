"""Cooperation agreements (with renewal reminders on the work list) and network activities of a site."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.cases.worklist import WorkListItem
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS, require_current_site, require_site_role
from inka.network import selectors, services
from inka.network.forms import ActivityFilterForm, ActivityForm, AgreementFilterForm, AgreementForm
from inka.network.models import Agreement, NetworkActivity
from inka.network.views.partners import PROGRAMME_READERS, SITE_READERS
from inka.programme.models import Site

PAGE_SIZE = 50


def _visible_sites(request: InkaRequest) -> tuple[Site | None, list[int]]:
    """The current site and its id, or (for the programme roles) no site and every visible site."""
    access = request.site_access
    if access.has_programme_role(*PROGRAMME_READERS):
        return None, access.visible_site_ids
    site = require_current_site(request, *SITE_READERS)
    return site, [site.pk]


def _page_query(request: InkaRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_status(request: InkaRequest) -> int:
    return 400 if request.method == "POST" else 200


# Cooperation agreements


def agreement_list(request: InkaRequest) -> HttpResponse:
    site, site_ids = _visible_sites(request)
    form = AgreementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.agreement_list(site_ids=site_ids, today=timezone.localdate(), **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/agreement_list.html",
        {
            "form": form,
            "page": page,
            "query": _page_query(request),
            "site": site,
            "filtered": any(filters.values()),
            "can_create": site is not None and request.site_access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _agreement(pk: int) -> Agreement:
    # The scoped manager hides other sites' agreements: 404 before any role check.
    return get_object_or_404(
        Agreement.objects.select_related("site", "partner", "renewed_by", "renews"), pk=pk
    )


def _agreement_form_page(request: InkaRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "network/agreement_form.html", context, status=_form_status(request))


@require_http_methods(["GET", "POST"])
def agreement_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    partners = selectors.partner_list_for_site(site_id=site.pk)
    initial = {}
    if request.GET.get("partner", "").isdigit():
        initial["partner"] = request.GET["partner"]
    form = AgreementForm(
        request.POST if request.method == "POST" else None, partners=partners, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(actor=request.user, site=site, **form.agreement_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement has been recorded."))
            return redirect(agreement)
    return _agreement_form_page(request, {"form": form, "site": site})


def agreement_detail(request: InkaRequest, pk: int) -> HttpResponse:
    agreement = _agreement(pk)
    require_site_role(request, agreement.site_id, *SITE_READERS, *PROGRAMME_READERS)
    link = selectors.partner_get_for_site(site_id=agreement.site_id, partner_id=agreement.partner_id)
    renews = getattr(agreement, "renews", None)
    return render(
        request,
        "network/agreement_detail.html",
        {
            "agreement": agreement,
            "status": selectors.agreement_get_status(agreement=agreement, today=timezone.localdate()),
            "link": link,
            "renews": renews,
            "can_edit": request.site_access.has_site_role(agreement.site_id, *SITE_WRITERS),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: InkaRequest, pk: int) -> HttpResponse:
    agreement = _agreement(pk)
    require_site_role(request, agreement.site_id, *SITE_WRITERS)
    title = agreement.title
    partners = selectors.partner_list_for_site(site_id=agreement.site_id, include=[agreement.partner_id])
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        partners=partners,
        initial=AgreementForm.initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(actor=request.user, agreement=agreement, **form.agreement_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement has been saved."))
            return redirect(agreement)
    context = {"form": form, "site": agreement.site, "agreement": agreement, "title": title}
    return _agreement_form_page(request, context)


@require_http_methods(["GET", "POST"])
def agreement_renew(request: InkaRequest, pk: int) -> HttpResponse:
    agreement = _agreement(pk)
    require_site_role(request, agreement.site_id, *SITE_WRITERS)
    if agreement.renewed_by is not None:
        messages.info(request, _("This agreement has already been renewed."))
        return redirect(agreement.renewed_by)
    partners = selectors.partner_list_for_site(site_id=agreement.site_id)
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        partners=partners,
        initial=AgreementForm.initial_for_renewal(agreement, timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.agreement_renew(
                actor=request.user, agreement=agreement, **form.agreement_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up agreement has been recorded."))
            return redirect(follow_up)
    context = {"form": form, "site": agreement.site, "renewing": agreement, "title": agreement.title}
    return _agreement_form_page(request, context)


def agreement_work_list_items(*, user: Any, site_ids: Sequence[int], today: date) -> list[WorkListItem]:
    """The work list's reminders: agreements of the user's sites whose renewal is due."""
    items = []
    for agreement in selectors.agreement_reminders(site_ids=site_ids, today=today):
        if agreement.ends_on is None:
            text = _("Check whether the open-ended agreement still fits.")
        elif agreement.ends_on < today:
            text = _("Ended on %(date)s: renew it or let it end.") % {"date": date_format(agreement.ends_on)}
        else:
            text = _("Ends on %(date)s: renew it or let it end.") % {"date": date_format(agreement.ends_on)}
        assert agreement.remind_on is not None  # the selector asks for a reminder date
        items.append(
            WorkListItem(
                due_on=agreement.remind_on,
                text=text,
                url=agreement.get_absolute_url(),
                label=f"{agreement.title} ({agreement.partner.name})",
                site_code=agreement.site.code,
            )
        )
    return items


# Network activities


def activity_list(request: InkaRequest) -> HttpResponse:
    site, site_ids = _visible_sites(request)
    this_year = timezone.localdate().year
    years = sorted({this_year, *selectors.activity_years(site_ids=site_ids)}, reverse=True)
    form = ActivityFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = filters.get("year") or str(this_year)
    year = None if chosen == ActivityFilterForm.ALL_YEARS else int(chosen)
    rows = selectors.activity_list(site_ids=site_ids, year=year, kind=filters.get("kind", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    if not form.is_bound:
        form = ActivityFilterForm(initial={"year": chosen}, years=years)
    return render(
        request,
        "network/activity_list.html",
        {
            "form": form,
            "page": page,
            "query": _page_query(request),
            "site": site,
            "year": year,
            "counts": selectors.activity_counts(site_ids=site_ids, year=year),
            "can_create": site is not None and request.site_access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _activity_form_page(request: InkaRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "network/activity_form.html", context, status=_form_status(request))


@require_http_methods(["GET", "POST"])
def activity_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        partners=selectors.partner_list_for_site(site_id=site.pk),
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, site=site, **form.activity_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network activity has been recorded."))
            return redirect("network:activity_list")
    return _activity_form_page(request, {"form": form, "site": site})


@require_http_methods(["GET", "POST"])
def activity_edit(request: InkaRequest, pk: int) -> HttpResponse:
    activity: NetworkActivity = get_object_or_404(NetworkActivity.objects.select_related("site"), pk=pk)
    require_site_role(request, activity.site_id, *SITE_WRITERS)
    title = activity.title
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        partners=selectors.partner_list_for_site(site_id=activity.site_id),
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.activity_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The network activity has been saved."))
            # Back to the year of the activity, where it is listed.
            return redirect(f"{reverse('network:activity_list')}?year={activity.held_on.year}")
    context = {"form": form, "site": activity.site, "activity": activity, "title": title}
    return _activity_form_page(request, context)
