"""Resident activation: residents who start to take things into their own hands, counted per site and
year without names (the “A” of ThINKA)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.community import selectors, services
from inka.community.forms import ActivationFilterForm, ActivationForm
from inka.community.models import Activation
from inka.community.views.projects import PAGE_SIZE, PROGRAMME_READERS, SITE_READERS
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS, require_current_site, require_site_role
from inka.programme.models import Site


def activation_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    site = None
    sites: list[Site] = []
    if access.has_programme_role(*PROGRAMME_READERS):
        sites = list(Site.objects.filter(pk__in=access.visible_site_ids).order_by("code"))
        site_ids = [s.pk for s in sites]
    else:
        site = require_current_site(request, *SITE_READERS)
        site_ids = [site.pk]
    form = ActivationFilterForm(request.GET, sites=sites)
    valid = form.is_valid()
    filters = form.cleaned_data if valid else {}
    if filters.get("site"):
        site_ids = [filters["site"]]
    year = filters.get("year") or timezone.localdate().year
    activations = selectors.activation_list(site_ids=site_ids, year=year, kind=filters.get("kind", ""))
    page = Paginator(activations, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.activation_counts(site_ids=site_ids, year=year)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/activation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "year": year,
            "counts": counts,
            "total_records": sum(count.records for count in counts),
            "total_residents": sum(count.residents for count in counts),
            "site": site,
            "can_write": site is not None and access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=200 if valid else 400,
    )


@require_http_methods(["GET", "POST"])
def activation_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form = ActivationForm(request.POST or None, site_id=site.pk, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            activation = services.activation_create(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activation has been recorded."))
            return redirect(_list_of_year(activation))
    status = 400 if request.method == "POST" else 200
    return render(request, "community/activation_form.html", {"form": form, "site": site}, status=status)


def _list_of_year(activation: Activation) -> str:
    return f"{reverse('community:activation_list')}?year={activation.occurred_on.year}"


def _initial(request: InkaRequest) -> dict[str, object]:
    """Today, and the project given in the address (from the project's page)."""
    initial: dict[str, object] = {"occurred_on": timezone.localdate()}
    project = request.GET.get("projekt", "")
    if project.isdigit():
        initial["project"] = int(project)
    return initial


@require_http_methods(["GET", "POST"])
def activation_edit(request: InkaRequest, pk: int) -> HttpResponse:
    # The scoped manager hides other sites' activations: 404 before any role check.
    activation: Activation = get_object_or_404(Activation.objects.select_related("site"), pk=pk)
    require_site_role(request, activation.site_id, *SITE_WRITERS)
    form = ActivationForm(
        request.POST or None, site_id=activation.site_id, initial=ActivationForm.initial_for(activation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_update(actor=request.user, activation=activation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activation has been saved."))
            return redirect(_list_of_year(activation))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "community/activation_form.html",
        {"form": form, "site": activation.site, "activation": activation},
        status=status,
    )
