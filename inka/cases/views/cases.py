"""Cases: the list, opening a case (also out of an anonymous contact), the case page, the intake
with optimistic locking, closing and reopening, the change history."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inka.accounts.selectors import site_caseworkers
from inka.cases import selectors, services
from inka.cases.access import CaseAccess
from inka.cases.forms import CaseCloseForm, CaseEditForm, CaseFilterForm, CaseForm, PersonForm, VersionForm
from inka.cases.models import Case, Contact, Person
from inka.cases.sections import case_sections
from inka.cases.views.base import get_case, site_access_here
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.programme.models import Site

CASES_PER_PAGE = 25


def case_list(request: InkaRequest) -> HttpResponse:
    access = site_access_here(request)
    team = site_caseworkers(site_id=access.site_id)
    form = CaseFilterForm(request.GET or None, team=team)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(
        site_id=access.site_id,
        q=filters.get("q", ""),
        status=filters.get("status", ""),
        caseworker_id=getattr(filters.get("caseworker"), "pk", None),
        topic=filters.get("topic", ""),
        follow_ups=filters.get("follow_ups", ""),
    )
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        log_access(request, action="case.list", site_id=access.site_id, records=rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "needs": selectors.case_needs(rows),
            "query": query.urlencode(),
            "access": access,
            "filtered": any(filters.values()),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def case_create(request: InkaRequest) -> HttpResponse:
    """Open a case: for a new person (with the duplicate warning), an existing one (?person=) and
    out of an anonymous contact (?kontakt=), whose date and topics it takes over."""
    access = site_access_here(request, write=True)
    person = _person_from_query(request, access.site_id)
    contact = _contact_from_query(request, access.site_id)
    team = site_caseworkers(site_id=access.site_id)
    initial: dict[str, Any] = {"caseworker": request.user.pk}
    if contact is not None:
        initial |= {"opened_on": contact.occurred_on, "needs": [t.topic for t in contact.topics.all()]}
    data = request.POST or None
    person_form = None if person else PersonForm(data, can_see_special=access.can_see_special)
    if person_form is not None and contact is not None and not data:
        person_form.initial["gender"] = contact.gender
    case_form = CaseForm(data, team=team, can_see_special=access.can_see_special, initial=initial)
    context = {
        "person": person,
        "person_form": person_form,
        "form": case_form,
        "contact": contact,
        "access": access,
    }
    if request.method == "POST" and case_form.is_valid() and (person_form is None or person_form.is_valid()):
        try:
            case = _open_case(request, access.site_id, person, person_form, case_form, contact)
        except ValidationError as error:
            add_service_errors(
                person_form if person_form and _names_person_fields(error) else case_form, error
            )
        else:
            messages.success(
                request, _("The case %(reference)s has been opened.") % {"reference": case.reference}
            )
            if selectors.case_page(case=case).counselling_consent is None:
                messages.info(
                    request, _("Please record the person's consent to counselling and documentation.")
                )
                return redirect("cases:consent_create", person_pk=case.person_id)
            return redirect(case)
    return form_page(request, "cases/case_create.html", context)


def _names_person_fields(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and bool(set(error.error_dict) & set(PersonForm.Meta.fields))


def _open_case(
    request: InkaRequest,
    site_id: int,
    person: Person | None,
    person_form: PersonForm | None,
    case_form: CaseForm,
    contact: Contact | None,
) -> Case:
    intake = dict(case_form.cleaned_data)
    needs = intake.pop("needs")
    if person is not None:
        return services.case_open(
            actor=request.user, person=person, needs=needs, from_contact=contact, **intake
        )
    assert person_form is not None
    return services.case_open_for_new_person(
        actor=request.user,
        site=get_object_or_404(Site, pk=site_id),
        person_fields=person_form.cleaned_data,
        needs=needs,
        from_contact=contact,
        **intake,
    )


def _person_from_query(request: InkaRequest, site_id: int) -> Person | None:
    raw = request.GET.get("person") or request.POST.get("person")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Person, pk=int(raw), site_id=site_id)


def _contact_from_query(request: InkaRequest, site_id: int) -> Contact | None:
    raw = request.GET.get("kontakt") or request.POST.get("kontakt")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(
        Contact.objects.prefetch_related("topics"), pk=int(raw), site_id=site_id, case=None
    )


def case_detail(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk)
    page = selectors.case_page(case=case)
    log_access(request, action="case.view", site_id=case.site_id, records=[case])
    # Parts other apps add to the case page (job integration, ESF participation), each rendered by its app.
    sections = [
        {
            "section": section,
            "html": render_to_string(
                section.template, {**section.context(case, access), "case": case, "access": access}, request
            ),
        }
        for section in case_sections()
    ]
    return render(
        request,
        "cases/case_detail.html",
        {"case": case, "person": case.person, "page": page, "access": access, "sections": sections},
    )


@require_http_methods(["GET", "POST"])
def case_edit(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk, write=True)
    team = site_caseworkers(site_id=case.site_id)
    form = CaseEditForm(
        request.POST or None,
        instance=case,
        team=team,
        can_see_special=access.can_see_special,
        initial={"version": case.version},
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version, needs = fields.pop("version"), fields.pop("needs")
        try:
            services.case_update(actor=request.user, case=case, version=version, needs=needs, **fields)
        except services.EditConflict as conflict:
            return _conflict_page(request, conflict.current, form, access)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case has been saved."))
            return redirect(case)
    if request.method == "GET":
        log_access(request, action="case.view", site_id=case.site_id, records=[case])
    return form_page(request, "cases/case_form.html", {"case": case, "form": form, "access": access})


def _conflict_page(
    request: InkaRequest, current: Case, form: CaseEditForm, access: CaseAccess
) -> HttpResponse:
    """Someone saved in between: show their version next to the user's input, nothing is lost.
    Saving again from this page knowingly overwrites with the user's input."""
    theirs = {name: getattr(current, name) for name in form.cleaned_data if name not in ("version", "needs")}
    theirs["needs"] = sorted(current.needs.values_list("topic", flat=True))
    rows = []
    for name, mine in form.cleaned_data.items():
        if name == "version":
            continue
        mine = sorted(mine) if name == "needs" else mine
        if mine != theirs[name]:
            rows.append(
                {"name": name, "label": form.fields[name].label, "theirs": theirs[name], "mine": mine}
            )
    data = request.POST.copy()
    data["version"] = str(current.version)
    retry = CaseEditForm(
        data,
        instance=current,
        team=site_caseworkers(site_id=current.site_id),
        can_see_special=access.can_see_special,
    )
    log_access(request, action="case.view", site_id=current.site_id, records=[current])
    return render(
        request,
        "cases/case_conflict.html",
        {"case": current, "form": retry, "rows": rows, "access": access},
        status=409,
    )


@require_http_methods(["GET", "POST"])
def case_close(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk, write=True)
    if not case.is_open:
        messages.info(request, _("This case is already closed."))
        return redirect(case)
    form = CaseCloseForm(request.POST or None, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except services.EditConflict:
            messages.error(
                request, _("Someone else changed the case in the meantime. Please check and close it again.")
            )
            return redirect(case)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case has been closed."))
            return redirect(case)
    return form_page(request, "cases/case_close.html", {"case": case, "form": form, "access": access})


@require_POST
def case_reopen(request: InkaRequest, pk: int) -> HttpResponse:
    case, _access = get_case(request, pk, write=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The case could not be reopened. Please try again."))
        return redirect(case)
    try:
        services.case_reopen(actor=request.user, case=case, version=form.cleaned_data["version"])
    except services.EditConflict:
        messages.error(request, _("Someone else changed the case in the meantime. Please try again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case has been reopened."))
    return redirect(case)


def case_history(request: InkaRequest, pk: int) -> HttpResponse:
    case, access = get_case(request, pk)
    page = Paginator(selectors.case_history(case=case), 50).get_page(request.GET.get("page"))
    rows = selectors.history_rows(list(page.object_list), can_see_special=access.can_see_special)
    log_access(request, action="case.history", site_id=case.site_id, records=[case])
    return render(
        request, "cases/case_history.html", {"case": case, "page": page, "rows": rows, "access": access}
    )
