"""Outreach rounds in the neighbourhood (Geh-Struktur): the list with a summary per month, and the
round itself, recorded on a phone in under a minute; its conversations become anonymous contacts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from inka.community import selectors, services
from inka.community.forms import OutreachRoundForm, OutreachSiteFilterForm
from inka.community.models import OutreachRound
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role, require_current_site, require_site_role

PAGE_SIZE = 50
# Rounds hold no person: the steering group and the programme coordination read them too, without
# who went and the notes (those are the team's).
SITE_READERS = (*SITE_STAFF, Role.STEERING)


def outreach_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    site = None
    site_filter = None
    if access.has_programme_role(Role.COORDINATOR):
        site_filter = OutreachSiteFilterForm(request.GET or None, site_ids=access.visible_site_ids)
        chosen = site_filter.cleaned_data.get("site") if site_filter.is_valid() else None
        site_ids = [chosen.pk] if chosen else access.visible_site_ids
    else:
        site = require_current_site(request, *SITE_READERS)
        site_ids = [site.pk]
    page = Paginator(selectors.outreach_list(site_ids=site_ids), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    is_team = site is not None and access.has_site_role(site.pk, *SITE_STAFF)
    year = timezone.localdate().year
    return render(
        request,
        "community/outreach_list.html",
        {
            "site": site,
            "site_filter": site_filter,
            "page": page,
            "query": query.urlencode(),
            "months": selectors.outreach_month_summary(site_ids=site_ids),
            "year": year,
            "year_totals": selectors.outreach_year_totals(site_ids=site_ids, year=year),
            "is_team": is_team,
            "can_create": site is not None and access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=400
        if site_filter is not None and site_filter.is_bound and not site_filter.is_valid()
        else 200,
    )


def _form_page(request: InkaRequest, context: dict[str, object]) -> HttpResponse:
    return render(
        request, "community/outreach_form.html", context, status=400 if request.method == "POST" else 200
    )


def _saved_message(outreach: OutreachRound) -> str:
    if not outreach.conversations:
        return _("The outreach round has been saved.")
    return ngettext(
        "The outreach round has been saved; its conversation counts as an anonymous contact.",
        "The outreach round has been saved; its %(count)s conversations count as anonymous contacts.",
        outreach.conversations,
    ) % {"count": outreach.conversations}


@require_http_methods(["GET", "POST"])
def outreach_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form = OutreachRoundForm(
        request.POST if request.method == "POST" else None, site_id=site.pk, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            outreach = services.outreach_round_create(
                actor=request.user,
                site=site,
                staff=list(form.cleaned_data["staff"]),
                topics=form.topic_counts(),
                **form.round_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(outreach))
            return redirect("community:outreach_list")
    return _form_page(
        request, {"form": form, "site": site, "areas": selectors.outreach_areas(site_id=site.pk)}
    )


@require_http_methods(["GET", "POST"])
def outreach_edit(request: InkaRequest, pk: int) -> HttpResponse:
    outreach: OutreachRound = get_object_or_404(OutreachRound.objects.select_related("site"), pk=pk)
    require_site_role(request, outreach.site_id, *SITE_WRITERS)
    form = OutreachRoundForm(
        request.POST if request.method == "POST" else None, instance=outreach, site_id=outreach.site_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_round_update(
                actor=request.user,
                outreach=outreach,
                staff=list(form.cleaned_data["staff"]),
                topics=form.topic_counts(),
                **form.round_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(outreach))
            return redirect("community:outreach_list")
    return _form_page(
        request,
        {
            "form": form,
            "site": outreach.site,
            "outreach": outreach,
            "areas": selectors.outreach_areas(site_id=outreach.site_id),
        },
    )
