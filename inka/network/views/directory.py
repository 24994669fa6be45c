"""The services directory: what the partners offer, searched when referring; services are kept on the
partner's page and shared by every site that works with the partner."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, require_current_site, require_site_role
from inka.network import selectors, services
from inka.network.forms import ServiceFilterForm, ServiceForm
from inka.network.models import Service, SitePartner
from inka.network.views.partners import PROGRAMME_READERS, SITE_READERS, _site_partner

PAGE_SIZE = 20


def service_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    site = None
    if access.has_programme_role(*PROGRAMME_READERS):
        site_ids = access.visible_site_ids
    else:
        site = require_current_site(request, *SITE_READERS)
        site_ids = [site.pk]
    # The site's team may look beyond its own partners; the steering group sees the site's network.
    staff = site is not None and access.has_site_role(site.pk, *SITE_STAFF)
    can_write = site is not None and access.has_site_role(site.pk, *SITE_WRITERS)
    form = ServiceFilterForm(request.GET or None, choose_scope=staff)
    rows = selectors.service_list(
        site_ids=site_ids, whole_programme=site is None or form.whole_programme, **form.filters()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    referral_case = form.cleaned_data.get("referral") if form.is_valid() and can_write else None
    return render(
        request,
        "network/service_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "site": site,
            "can_write": can_write,
            "searching": form.searching,
            # Each result leads back to the referral form of this case with the service chosen.
            "referral_url": reverse("cases:referral_create", args=[referral_case]) if referral_case else "",
            "here": request.get_full_path(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _service_form_page(
    request: InkaRequest, link: SitePartner, form: ServiceForm, title: str = ""
) -> HttpResponse:
    """The service form; `title` is the name of the service being edited, as stored."""
    context = {"form": form, "link": link, "partner": link.partner, "title": title}
    return render(
        request, "network/service_form.html", context, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
def service_create(request: InkaRequest, link_pk: int) -> HttpResponse:
    link = _site_partner(link_pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    form = ServiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(actor=request.user, link=link, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": service.name})
            return redirect(f"{link.get_absolute_url()}#angebote")
    return _service_form_page(request, link, form)


@require_http_methods(["GET", "POST"])
def service_edit(request: InkaRequest, link_pk: int, pk: int) -> HttpResponse:
    link = _site_partner(link_pk)
    # Only the services of this link's partner are reachable through it.
    service = get_object_or_404(Service.objects.filter(partner_id=link.partner_id), pk=pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    title = service.name
    form = ServiceForm(
        request.POST if request.method == "POST" else None,
        initial=ServiceForm.initial_for(service),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=request.user, service=service, link=link, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect(f"{link.get_absolute_url()}#angebote")
    return _service_form_page(request, link, form, title)
