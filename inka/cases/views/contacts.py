"""Contacts: the quick anonymous contact (from every page, on a phone), the anonymous contacts of a
site, and the contact log of a case, editable by its author with history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.cases import selectors, services
from inka.cases.access import require_case_writer
from inka.cases.forms import AnonymousContactForm, CaseContactForm
from inka.cases.models import Contact
from inka.cases.views.base import get_case, site_access_here
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.programme.models import Site

CONTACTS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def contact_quick(request: InkaRequest) -> HttpResponse:
    """An anonymous contact in seconds: no name, counted in the statistics, never an ESF participant."""
    access = site_access_here(request, write=True)
    form = AnonymousContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        topics = fields.pop("topics")
        try:
            contact = services.contact_record(
                actor=request.user, site=get_object_or_404(Site, pk=access.site_id), topics=topics, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The page confirms it and offers to turn the contact into a case.
            return redirect(f"{reverse('cases:contact_quick')}?gespeichert={contact.pk}")
    saved = None
    saved_pk = request.GET.get("gespeichert", "")
    if saved_pk.isdigit():
        saved = Contact.objects.filter(pk=int(saved_pk), site_id=access.site_id, case=None).first()
    return form_page(request, "cases/contact_quick.html", {"form": form, "saved": saved, "access": access})


def anonymous_contact_list(request: InkaRequest) -> HttpResponse:
    access = site_access_here(request)
    page = Paginator(selectors.anonymous_contact_list(site_id=access.site_id), CONTACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/anonymous_contact_list.html", {"page": page, "access": access})


@require_http_methods(["GET", "POST"])
def anonymous_contact_edit(request: InkaRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk, case=None)
    access = require_case_writer(request, contact.site_id)
    _require_author(request, contact)
    form = AnonymousContactForm(request.POST or None, instance=contact)
    if not form.is_bound:
        form.initial["topics"] = [topic.topic for topic in contact.topics.all()]
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        topics = fields.pop("topics")
        try:
            services.contact_update(actor=request.user, contact=contact, topics=topics, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact has been saved."))
            return redirect("cases:anonymous_contact_list")
    rows = selectors.history_rows(list(selectors.contact_history(contact=contact)), can_see_special=False)
    return form_page(
        request, "cases/contact_form.html", {"form": form, "contact": contact, "rows": rows, "access": access}
    )


def _require_author(request: InkaRequest, contact: Contact) -> None:
    # Contacts are edited by the one who recorded them; the others see the history.
    if contact.author_id != request.user.pk:
        raise PermissionDenied


def contact_list(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk)
    page = Paginator(selectors.contact_list(case=case), CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    log_access(request, action="case.contacts", site_id=case.site_id, records=[case])
    return render(request, "cases/contact_list.html", {"case": case, "page": page, "access": access})


@require_http_methods(["GET", "POST"])
def contact_create(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk, write=True)
    form = CaseContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        topics = fields.pop("topics")
        try:
            services.contact_record(actor=request.user, site=case.site, case=case, topics=topics, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact has been recorded."))
            return redirect(f"{case.get_absolute_url()}#kontakte")
    return form_page(request, "cases/contact_form.html", {"form": form, "case": case, "access": access})


@require_http_methods(["GET", "POST"])
def contact_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    contact = get_object_or_404(case.contacts.select_related("author"), pk=pk)
    _require_author(request, contact)
    form = CaseContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        topics = fields.pop("topics")
        try:
            services.contact_update(actor=request.user, contact=contact, topics=topics, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contact has been saved."))
            return redirect(f"{case.get_absolute_url()}#kontakte")
    if request.method == "GET":
        log_access(request, action="case.contacts", site_id=case.site_id, records=[case])
    return form_page(
        request,
        "cases/contact_form.html",
        {
            "form": form,
            "case": case,
            "contact": contact,
            "rows": selectors.history_rows(
                list(selectors.contact_history(contact=contact)), can_see_special=False
            ),
            "access": access,
        },
    )
