"""Persons: search, the person page with consents and cases, corrections, the duplicate warning,
recording and withdrawing consent."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from inka.cases import selectors, services
from inka.cases.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    DuplicateCheckForm,
    PersonForm,
    PersonSearchForm,
)
from inka.cases.views.base import get_person, site_access_here
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.network.selectors import partner_choices

PERSONS_PER_PAGE = 25


def person_list(request: InkaRequest) -> HttpResponse:
    access = site_access_here(request)
    form = PersonSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    searched = bool(filters.get("q") or filters.get("birth_date"))
    page = None
    rows = []
    if searched:
        persons = selectors.person_search(
            site_id=access.site_id, q=filters.get("q", ""), birth_date=filters.get("birth_date")
        )
        page = Paginator(persons, PERSONS_PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        if rows:
            log_access(request, action="person.search", site_id=access.site_id, records=rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "searched": searched,
            "query": query.urlencode(),
            "access": access,
        },
    )


def person_detail(request: InkaRequest, pk: int) -> HttpResponse:
    person, access = get_person(request, pk)
    log_access(request, action="person.view", site_id=person.site_id, records=[person])
    consents = list(person.consents.select_related("partner", "taken_by").order_by("-given_on", "-pk"))
    cases = list(person.cases.select_related("caseworker").order_by("-opened_on", "-pk"))
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "consents": consents,
            "cases": cases,
            "has_open_case": any(case.is_open for case in cases),
            "access": access,
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: InkaRequest, pk: int) -> HttpResponse:
    person, access = get_person(request, pk, write=True)
    form = PersonForm(request.POST or None, instance=person, can_see_special=access.can_see_special)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person's data have been saved."))
            return redirect(person)
    if request.method == "GET":
        log_access(request, action="person.view", site_id=person.site_id, records=[person])
    return form_page(request, "cases/person_form.html", {"person": person, "form": form, "access": access})


@require_GET
def person_duplicates(request: InkaRequest) -> HttpResponse:
    """The duplicate warning while a new person is typed: similar persons at the current site."""
    access = site_access_here(request, write=True)
    form = DuplicateCheckForm(request.GET)
    matches = []
    if form.is_valid() and form.cleaned_data["last_name"]:
        matches = selectors.person_duplicates(site_id=access.site_id, **form.cleaned_data)
        if matches:
            log_access(request, action="person.duplicate_hit", site_id=access.site_id, records=matches)
    return render(request, "cases/_person_duplicates.html", {"matches": matches, "query": request.GET})


@require_http_methods(["GET", "POST"])
def consent_create(request: InkaRequest, person_pk: int) -> HttpResponse:
    person, access = get_person(request, person_pk, write=True)
    form = ConsentForm(request.POST or None, partners=partner_choices(site_id=person.site_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent has been recorded."))
            open_case = person.cases.filter(status="open").first()
            return redirect(open_case or person)
    return form_page(request, "cases/consent_form.html", {"person": person, "form": form, "access": access})


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: InkaRequest, person_pk: int, pk: int) -> HttpResponse:
    person, access = get_person(request, person_pk, write=True)
    consent = get_object_or_404(person.consents.select_related("partner"), pk=pk)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The withdrawal has been recorded."))
            return redirect(person)
    return form_page(
        request,
        "cases/consent_withdraw.html",
        {"person": person, "consent": consent, "form": form, "access": access},
    )
