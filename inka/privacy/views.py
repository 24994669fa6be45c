"""Data-subject rights (S5): the register of requests, the export of a person's data, rectification,
contested values and restriction.

Every view: scoped fetch (another site → 404), role (→ 403), restriction (→ 403 with its notice for
the team; only the data protection officer opens a restricted person, with a logged reason).
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inka.cases.models import Person
from inka.cases.selectors import history_rows
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page, posted
from inka.core.models import AuditEntry
from inka.core.permissions import SITE_WRITERS, Role, require_current_site, require_programme_role
from inka.privacy import export as exports
from inka.privacy import selectors, services
from inka.privacy.access import is_dpo, refuse_if_restricted, require_exporter, require_writer
from inka.privacy.forms import (
    ContestForm,
    ReasonForm,
    RectificationForm,
    RequestFilterForm,
    RequestForm,
    RequestUpdateForm,
    ResolveForm,
)
from inka.privacy.models import ContestedValue, DataSubjectRequest, RequestKind

PER_PAGE = 50
FORMATS = {"zip": "application/zip", "json": "application/json", "pdf": "application/pdf"}


def _get_person(request: InkaRequest, pk: int, *, check: Any = require_writer) -> Person:
    """The person (scoped), if the user has the right; the team never reaches a restricted person."""
    person: Person = get_object_or_404(Person.objects.select_related("site"), pk=pk)
    check(request, person.site_id)
    if not is_dpo(request):
        refuse_if_restricted(person)
    return person


def _get_request(request: InkaRequest, pk: int) -> DataSubjectRequest:
    found: DataSubjectRequest = get_object_or_404(
        DataSubjectRequest.objects.select_related("person__site", "site", "registered_by", "handled_by"),
        pk=pk,
    )
    if not is_dpo(request):
        require_writer(request, found.site_id)
        refuse_if_restricted(found.person)
    return found


# --- The register ----------------------------------------------------------------------------------


def request_list(request: InkaRequest) -> HttpResponse:
    """The register: the current site's requests (the data protection officer: every site's)."""
    dpo = is_dpo(request)
    site_ids = (
        request.site_access.visible_site_ids if dpo else [require_current_site(request, *SITE_WRITERS).pk]
    )
    form = RequestFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.Show.OPEN
    requests = selectors.request_list(site_ids=site_ids, show=show)
    if not dpo:
        requests = requests.filter(person__restricted_at__isnull=True)
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        log_access(request, action="privacy.request.list", site_id=None if dpo else site_ids[0], records=rows)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/request_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(row, selectors.is_overdue(row, today)) for row in rows],
            "query": query.urlencode(),
            "dpo": dpo,
            "show": show,
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request: InkaRequest, person_pk: int) -> HttpResponse:
    person = _get_person(request, person_pk)
    form = RequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_register(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request has been registered."))
            return redirect("privacy:request_detail", pk=created.pk)
    return form_page(request, "privacy/request_form.html", {"person": person, "form": form})


def request_detail(request: InkaRequest, pk: int) -> HttpResponse:
    found = _get_request(request, pk)
    log_access(request, action="privacy.request.view", site_id=found.site_id, records=[found])
    recorded = selectors.rectifications(request=found)
    entry_ids = [pk for entry in recorded for pk in entry.data.get("entries", [])]
    corrected = list(AuditEntry.objects.filter(pk__in=entry_ids).select_related("content_type"))
    return render(
        request,
        "privacy/request_detail.html",
        {
            "req": found,
            "person": found.person,
            "overdue": selectors.is_overdue(found, timezone.localdate()),
            "latest_extension": services.latest_extension(found.due_on),
            "can_export": request.site_access.has_site_role(found.site_id, Role.SITE_LEAD, Role.DPO),
            "can_write": request.site_access.has_site_role(found.site_id, *SITE_WRITERS),
            "rectifications": recorded,
            "corrected": history_rows(corrected, can_see_special=True),
            "is_rectification": found.kind == RequestKind.RECTIFICATION,
            "cases": list(found.person.cases.order_by("-opened_on", "-pk")),
        },
    )


@require_http_methods(["GET", "POST"])
def request_edit(request: InkaRequest, pk: int) -> HttpResponse:
    found = _get_request(request, pk)
    form = RequestUpdateForm(posted(request), instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(actor=request.user, request=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The request has been saved."))
            return redirect("privacy:request_detail", pk=found.pk)
    latest = services.latest_extension(found.due_on)
    return form_page(
        request,
        "privacy/request_edit.html",
        {"req": found, "person": found.person, "form": form, "latest_extension": latest},
    )


@require_http_methods(["GET", "POST"])
def request_rectify(request: InkaRequest, pk: int) -> HttpResponse:
    """Rectification: correct in the usual forms, then note here which corrections answer the request."""
    found = _get_request(request, pk)
    require_writer(request, found.site_id)
    if found.kind != RequestKind.RECTIFICATION:
        raise Http404
    candidates = selectors.changes_since(person=found.person, day=found.received_on)
    rows = history_rows(candidates, can_see_special=True)
    choices = [(str(row["entry"].pk), _change_summary(row)) for row in rows]
    form = RectificationForm(posted(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = [entry for entry in candidates if str(entry.pk) in form.cleaned_data["entries"]]
        try:
            services.rectification_record(
                actor=request.user, request=found, entries=chosen, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The corrections have been recorded in the request."))
            return redirect("privacy:request_detail", pk=found.pk)
    if request.method == "GET":
        log_access(request, action="privacy.request.view", site_id=found.site_id, records=[found])
    return form_page(
        request,
        "privacy/request_rectify.html",
        {
            "req": found,
            "person": found.person,
            "form": form,
            "cases": list(found.person.cases.order_by("-opened_on", "-pk")),
        },
    )


def _change_summary(row: dict[str, Any]) -> str:
    entry = row["entry"]
    changes = "; ".join(f"{label}: {old or '–'} → {new or '–'}" for label, old, new in row["changes"])
    return f"{timezone.localtime(entry.at):%d.%m.%Y %H:%M} · {changes}"


# --- The person's data-protection page ------------------------------------------------------------


def person_page(request: InkaRequest, pk: int) -> HttpResponse:
    """Requests, contested values and the rights' actions for one person (the site's writers)."""
    person = _get_person(request, pk)
    log_access(request, action="privacy.person.view", site_id=person.site_id, records=[person])
    contested, labels = selectors.contested_values(person=person), _contested_labels(person)
    for value in contested:
        value.label = labels.get(_key(value), "")  # type: ignore[attr-defined]
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "requests": selectors.person_requests(person=person),
            "contested": contested,
            "can_export": request.site_access.has_site_role(person.site_id, Role.SITE_LEAD),
        },
    )


def _key(value: ContestedValue) -> str:
    return f"{value.content_type_id}:{value.object_id}:{value.field_name}"


def _contested_labels(person: Person) -> dict[str, str]:
    """ "content type id:record id:field" → "Person: Nachname" for the person's contestable fields."""
    return {
        key: f"{title}: {label}"
        for title, _key, choices in selectors.contestable_fields(person=person)
        for key, label in choices
    }


def person_history(request: InkaRequest, pk: int) -> HttpResponse:
    """ "Änderungsverlauf dieser Person": every change of every record of the person."""
    person = _get_person(request, pk, check=require_exporter)
    page = Paginator(selectors.person_history(person=person), PER_PAGE).get_page(request.GET.get("page"))
    rows = history_rows(list(page.object_list), can_see_special=True)
    log_access(request, action="privacy.person.history", site_id=person.site_id, records=[person])
    return render(request, "privacy/person_history.html", {"person": person, "page": page, "rows": rows})


def export(request: InkaRequest, pk: int, fmt: str) -> HttpResponse:
    """One click: everything about the person as JSON and PDF (a ZIP with both), or one of them."""
    if fmt not in FORMATS:
        raise Http404
    person = _get_person(request, pk, check=require_exporter)
    data = exports.build_export(person, by=request.user)
    stem = exports.file_stem(person, timezone.localdate())
    if fmt == "json":
        content = exports.as_json(data)
    elif fmt == "pdf":
        content = exports.as_pdf(data)
    else:
        content = exports.as_zip(data, stem)
    log_access(request, action="privacy.export", site_id=person.site_id, records=[person])
    services.export_recorded(actor=request.user, person=person, formats=[fmt])
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# --- Contested values (§ 84(2) SGB X) ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contest_create(request: InkaRequest, person_pk: int) -> HttpResponse:
    person = _get_person(request, person_pk)
    form = ContestForm(posted(request), choices=selectors.contestable_fields(person=person))
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_mark(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The value is now marked as contested wherever it appears."))
            return redirect("privacy:person", pk=person.pk)
    return form_page(request, "privacy/contest_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def contest_resolve(request: InkaRequest, pk: int) -> HttpResponse:
    value: ContestedValue = get_object_or_404(
        ContestedValue.objects.select_related("person__site", "content_type"), pk=pk
    )
    person = _get_person(request, value.person_id)
    form = ResolveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_resolve(actor=request.user, value=value, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contested value has been resolved."))
            return redirect("privacy:person", pk=person.pk)
    label = _contested_labels(person).get(_key(value), "")
    return form_page(
        request,
        "privacy/contest_resolve.html",
        {"person": person, "value": value, "label": label, "form": form},
    )


# --- Restriction (Art. 18 GDPR) --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def restrict(request: InkaRequest, pk: int) -> HttpResponse:
    """The site lead or the data protection officer restricts the processing of a person's data."""
    person = _get_person(request, pk, check=require_exporter)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_restrict(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The processing of the person's data is now restricted."))
            return redirect("privacy:restricted_list" if is_dpo(request) else "privacy:request_list")
    return form_page(request, "privacy/restrict_form.html", {"person": person, "form": form})


def restricted_list(request: InkaRequest) -> HttpResponse:
    """The restricted persons of every site, without names: opening one needs a reason."""
    require_programme_role(request, Role.DPO)
    persons = selectors.restricted_persons(site_ids=request.site_access.social_site_ids)
    page = Paginator(persons, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "privacy/restricted_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def restricted_open(request: InkaRequest, pk: int) -> HttpResponse:
    """The data protection officer opens a restricted person: a reason, one access-log row, read-only."""
    require_programme_role(request, Role.DPO)
    person: Person = get_object_or_404(
        Person.objects.select_related("site"), pk=pk, restricted_at__isnull=False
    )
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        log_access(
            request,
            action="privacy.restricted.view",
            site_id=person.site_id,
            records=[person],
            reason=form.cleaned_data["reason"],
        )
        data = exports.build_export(person, by=request.user)
        return render(
            request,
            "privacy/restricted_view.html",
            {**exports.export_context(data), "lift_form": ReasonForm()},
        )
    # "subject", not "person": the form page would show the person's name before a reason is given.
    return form_page(request, "privacy/restricted_open.html", {"subject": person, "form": form})


@require_POST
def restriction_lift(request: InkaRequest, pk: int) -> HttpResponse:
    require_programme_role(request, Role.DPO)
    person: Person = get_object_or_404(Person.objects.select_related("site"), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.restriction_lift(actor=request.user, person=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The restriction has been lifted."))
            return redirect("privacy:restricted_list")
    return form_page(request, "privacy/restriction_lift.html", {"subject": person, "form": form})
