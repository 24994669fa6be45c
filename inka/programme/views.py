"""Site registry pages: list, detail, edit (coordinator/admin) and the public page without login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import Role, require_programme_role
from inka.programme import selectors, services
from inka.programme.forms import SiteForm, SitePeriodForm
from inka.programme.models import Site
from inka.programme.public import public_sections

REGISTRY_ROLES = (Role.COORDINATOR, Role.ADMIN)


def site_list(request: InkaRequest) -> HttpResponse:
    sites = selectors.site_list(site_ids=request.site_access.visible_site_ids)
    rows = [(site, selectors.site_current_period(site)) for site in sites]
    return render(
        request,
        "programme/site_list.html",
        {"rows": rows, "can_edit": request.site_access.has_programme_role(*REGISTRY_ROLES)},
    )


def site_detail(request: InkaRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site.objects.select_related("district"), pk=pk)
    access = request.site_access
    periods = list(site.periods.select_related("carrier").order_by("starts_on", "pk"))
    current = next((period for period in reversed(periods) if period.is_current()), None)
    show_team = access.role_at(site.pk) is not None or access.has_programme_role(*REGISTRY_ROLES)
    return render(
        request,
        "programme/site_detail.html",
        {
            "site": site,
            "periods": periods,
            "current_period": current,
            "team": selectors.site_team(site=site) if show_team else None,
            "can_edit": access.has_programme_role(*REGISTRY_ROLES),
            "can_manage_team": access.has_site_role(site.pk, Role.SITE_LEAD, Role.ADMIN),
        },
    )


@require_http_methods(["GET", "POST"])
def site_edit(request: InkaRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    require_programme_role(request, *REGISTRY_ROLES)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST":
        if form.is_valid():
            services.site_update(site=site, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The site has been saved."))
            return redirect(site)
        return render(request, "programme/site_form.html", {"form": form, "site": site}, status=400)
    return render(request, "programme/site_form.html", {"form": form, "site": site})


@require_http_methods(["GET", "POST"])
def site_create(request: InkaRequest) -> HttpResponse:
    require_programme_role(request, *REGISTRY_ROLES)
    form = SiteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            site = services.site_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The site has been added."))
            return redirect(site)
        return render(request, "programme/site_form.html", {"form": form}, status=400)
    return render(request, "programme/site_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def site_period_create(request: InkaRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    require_programme_role(request, *REGISTRY_ROLES)
    form = SitePeriodForm(request.POST or None)
    context = {"form": form, "site": site, "carriers": selectors.carrier_names()}
    if request.method == "POST":
        if form.is_valid():
            try:
                services.site_period_create(site=site, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The carrier history has been updated."))
                return redirect(site)
        return render(request, "programme/site_period_form.html", context, status=400)
    return render(request, "programme/site_period_form.html", context)


@login_not_required
def site_public(request: InkaRequest, code: str) -> HttpResponse:
    site = selectors.site_get_public(code=code)
    if site is None:
        raise Http404
    return render(request, "programme/site_public.html", {"site": site, "sections": public_sections(site)})
