"""Partner pages: a site's partner list, a partner with the site's cooperation, add and edit, and
the further contact persons of the cooperation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role, require_current_site, require_site_role
from inka.network import selectors, services
from inka.network.forms import PartnerContactForm, PartnerFilterForm, PartnerForm
from inka.network.models import Partner, PartnerContact, SitePartner
from inka.programme.models import Site

PAGE_SIZE = 50
# The steering group works with the site's partners; coordination and administration see all sites.
SITE_READERS = (*SITE_STAFF, Role.STEERING)
# The matrix of SECURITY.md: the programme coordination reads every site's network; technical
# administration does not (it runs the system, not the work).
PROGRAMME_READERS = (Role.COORDINATOR,)
RECENT_ACTIVITIES = 5


def _site_partner(pk: int) -> SitePartner:
    # The scoped manager hides other sites' links: 404 before any role check.
    return get_object_or_404(SitePartner.objects.select_related("partner", "site"), pk=pk)


def _next_url(request: InkaRequest) -> str:
    """Where to go after saving, when the page that linked here asked for it (local URLs only)."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def partner_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    site = None
    rows: QuerySet[Partner] | QuerySet[SitePartner]
    if access.has_programme_role(*PROGRAMME_READERS):
        rows = selectors.partner_list_across_sites(site_ids=access.visible_site_ids, **filters)
    else:
        site = require_current_site(request, *SITE_READERS)
        rows = selectors.partner_list(site_ids=[site.pk], **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "network/partner_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "site": site,
            "filtered": bool(filters.get("q") or filters.get("kind")),
            "can_create": site is not None and access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def partner_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    next_url = _next_url(request)
    if request.method == "POST" and "link_partner" in request.POST:
        return _link_existing_partner(request, site, next_url)
    form = PartnerForm(request.POST if request.method == "POST" else None)
    context: dict[str, object] = {"form": form, "site": site, "next": next_url}
    if request.method == "POST":
        if form.is_valid():
            data = form.partner_data()
            try:
                partner = services.partner_create(
                    actor=request.user, site=site, link_fields=form.link_data(), **data
                )
            except ValidationError as error:
                add_service_errors(form, error)
                duplicate = selectors.partner_get_duplicate(name=data["name"], town=data["town"])
                if duplicate is not None:
                    context["duplicate"] = duplicate
                    context["duplicate_link"] = selectors.partner_get_for_site(
                        site_id=site.pk, partner_id=duplicate.pk
                    )
            else:
                messages.success(request, _("%(name)s has been added.") % {"name": partner.name})
                return redirect(next_url or "network:partner_list")
        return render(request, "network/partner_form.html", context, status=400)
    return render(request, "network/partner_form.html", context)


def _link_existing_partner(request: InkaRequest, site: Site, next_url: str) -> HttpResponse:
    """Put a partner already on record (found as a duplicate) on the site's list."""
    try:
        partner = Partner.objects.get(pk=int(request.POST["link_partner"]))
    except (ValueError, Partner.DoesNotExist) as error:
        raise Http404 from error
    link = services.site_partner_link(actor=request.user, site=site, partner=partner)
    messages.success(request, _("%(name)s is now on your site's list.") % {"name": partner.name})
    return redirect(next_url or link.get_absolute_url())


def partner_detail(request: InkaRequest, pk: int) -> HttpResponse:
    link = _site_partner(pk)
    require_site_role(request, link.site_id, *SITE_READERS, *PROGRAMME_READERS)
    site_ids = [link.site_id]
    return render(
        request,
        "network/partner_detail.html",
        {
            "link": link,
            "partner": link.partner,
            "can_edit": request.site_access.has_site_role(link.site_id, *SITE_WRITERS),
            "services": selectors.service_list_of_partner(partner_id=link.partner_id),
            "contacts": selectors.partner_contact_list(link_id=link.pk),
            "agreements": selectors.agreement_list(
                site_ids=site_ids, today=timezone.localdate(), partner_id=link.partner_id
            ),
            "activities": selectors.activity_list(site_ids=site_ids, partner_id=link.partner_id)[
                :RECENT_ACTIVITIES
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def partner_edit(request: InkaRequest, pk: int) -> HttpResponse:
    link = _site_partner(pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    # Kept before the form changes anything in memory, for the page heading.
    title = link.partner.name
    form = PartnerForm(
        request.POST if request.method == "POST" else None,
        initial=PartnerForm.initial_for(link),
        editing=True,
    )
    context = {"form": form, "link": link, "site": link.site, "title": title}
    if request.method == "POST":
        if form.is_valid():
            try:
                # The partner's entry and the site's cooperation are saved together or not at all.
                with transaction.atomic():
                    services.partner_update(
                        actor=request.user, partner=link.partner, site=link.site, **form.partner_data()
                    )
                    services.site_partner_update(actor=request.user, link=link, **form.link_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The partner has been saved."))
                return redirect(link)
        return render(request, "network/partner_form.html", context, status=400)
    return render(request, "network/partner_form.html", context)


# Further contact persons of the cooperation


def _contact(link: SitePartner, pk: int) -> PartnerContact:
    return get_object_or_404(PartnerContact.objects.filter(link=link), pk=pk)


def _contact_form_page(
    request: InkaRequest, link: SitePartner, form: PartnerContactForm, title: str = ""
) -> HttpResponse:
    """The contact form; `title` is the name of the person being edited, as stored."""
    context = {"form": form, "link": link, "partner": link.partner, "title": title}
    status = 400 if request.method == "POST" else 200
    return render(request, "network/contact_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def partner_contact_create(request: InkaRequest, link_pk: int) -> HttpResponse:
    link = _site_partner(link_pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    form = PartnerContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.partner_contact_create(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": contact.name})
            return redirect(f"{link.get_absolute_url()}#ansprechpersonen")
    return _contact_form_page(request, link, form)


@require_http_methods(["GET", "POST"])
def partner_contact_edit(request: InkaRequest, link_pk: int, pk: int) -> HttpResponse:
    link = _site_partner(link_pk)
    contact = _contact(link, pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    title = contact.name
    form = PartnerContactForm(
        request.POST if request.method == "POST" else None, initial=PartnerContactForm.initial_for(contact)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_contact_update(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact person has been saved."))
            return redirect(f"{link.get_absolute_url()}#ansprechpersonen")
    return _contact_form_page(request, link, form, title)


@require_POST
def partner_contact_delete(request: InkaRequest, link_pk: int, pk: int) -> HttpResponse:
    link = _site_partner(link_pk)
    contact = _contact(link, pk)
    require_site_role(request, link.site_id, *SITE_WRITERS)
    services.partner_contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("%(name)s has been removed.") % {"name": contact.name})
    return redirect(f"{link.get_absolute_url()}#ansprechpersonen")
