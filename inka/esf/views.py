"""ESF participation pages: the case page's section, the participation page and its forms, the site list.

Each view: scoped fetch (another site's participation → 404), role check (readers may not write →
403), form → service → back to the participation page. Every page that shows a participation
writes one access-log row.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from inka.cases.access import CaseAccess, case_access, require_case_writer
from inka.cases.models import Case
from inka.cases.views.base import get_case, site_access_here, write_blocker
from inka.cases.worklist import WorkListItem
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, posted
from inka.employment.models import JobOutcome
from inka.esf import selectors, services
from inka.esf.codes import LabourStatus, isced_from_certificates
from inka.esf.forms import (
    EducationStartForm,
    EntryQuestionnaireForm,
    ExitEventForm,
    ExitForm,
    FollowUpForm,
    ListFilterForm,
    NoAnswerForm,
    QualificationForm,
    StartForm,
    isced_label,
)
from inka.esf.models import EducationStart, ExitEvent, Participation, Qualification
from inka.privacy.access import refuse_if_restricted

PER_PAGE = 25

# What `completeness.missing_fields` names, as the questionnaire calls it.
MISSING_LABELS = {
    "gender": gettext_lazy("gender"),
    "date_of_birth": gettext_lazy("date of birth"),
    "entry_date": gettext_lazy("entry date"),
    "labour_status_at_entry": gettext_lazy("labour market status at entry"),
    "unemployed_since": gettext_lazy("registered unemployed since"),
    "in_education_or_training_at_entry": gettext_lazy("in school or vocational education or training"),
    "isced_level": gettext_lazy("ISCED level or school and vocational qualifications"),
}


def missing_labels(names: Iterable[str]) -> list[str]:
    return [str(MISSING_LABELS.get(name, name)) for name in names]


def _page_url(participation: Participation, anchor: str = "") -> str:
    return reverse("esf:participation_detail", args=[participation.pk]) + anchor


def _get_participation(
    request: InkaRequest, pk: int, *, write: bool = False
) -> tuple[Participation, CaseAccess]:
    participation: Participation = get_object_or_404(
        Participation.objects.select_related("site", "person", "case"), pk=pk
    )
    site_id = participation.site_id
    access = require_case_writer(request, site_id) if write else case_access(request, site_id)
    refuse_if_restricted(participation.person)
    return participation, access


def _log_view(request: InkaRequest, participation: Participation) -> None:
    log_access(
        request, action="esf.participation.view", site_id=participation.site_id, records=[participation]
    )


def _form_page(
    request: InkaRequest,
    *,
    participation: Participation,
    form: forms.BaseForm,
    save: Callable[[], object],
    saved: str,
    heading: str,
    anchor: str,
    template: str = "esf/form_page.html",
    **context: Any,
) -> HttpResponse:
    """GET shows the form; POST saves through `save` and goes back to the participation page."""
    context = {
        "participation": participation,
        "form": form,
        "heading": heading,
        "back_url": _page_url(participation, anchor),
        **context,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                save()
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, saved)
                return redirect(_page_url(participation, anchor))
        return render(request, template, context, status=400)
    _log_view(request, participation)
    return render(request, template, context)


# The case page's section


def case_section_context(case: Case, access: CaseAccess) -> dict[str, Any]:
    """Context of the case page's section "ESF participation" (registered in EsfConfig)."""
    participation = selectors.participation_for_case(case=case)
    page = selectors.participation_page(participation=participation) if participation else None
    can_start = access.can_write and case.is_open and (page is None or page.open_stay is None)
    return {
        "esf": page,
        "missing": missing_labels(page.state.missing) if page else [],
        "can_start": can_start,
        "start_form": StartForm(initial={"entry_date": timezone.localdate()}, auto_id="id_esf_%s"),
    }


@require_http_methods(["GET", "POST"])
def participation_start(request: InkaRequest, case_pk: int) -> HttpResponse:
    """Start the person's ESF participation at this site, or record a re-entry into it."""
    case, _access = get_case(request, case_pk, write=True)
    existing = selectors.participation_for_case(case=case)
    form = StartForm(posted(request), initial={"entry_date": timezone.localdate()})
    context = {"case": case, "form": form, "existing": existing, "blocker": write_blocker(case)}
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_start(
                actor=request.user, case=case, entry_date=form.cleaned_data["entry_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if existing is None:
                messages.success(
                    request, _("The ESF participation has begun. Please fill in the entry questionnaire.")
                )
                return redirect("esf:entry_edit", pk=participation.pk)
            messages.success(request, _("The re-entry has been recorded."))
            return redirect(_page_url(participation))
    if existing is not None:
        _log_view(request, existing)
    status = 400 if request.method == "POST" else 200
    return render(request, "esf/participation_start.html", context, status=status)


# The participation page


def participation_detail(request: InkaRequest, pk: int) -> HttpResponse:
    participation, access = _get_participation(request, pk)
    page = selectors.participation_page(participation=participation)
    questionnaire = EntryQuestionnaireForm(
        instance=participation,
        can_see_special=access.can_see_special,
        derived_isced=isced_label(page.derived_isced),
    )
    _log_view(request, participation)
    return render(
        request,
        "esf/participation_page.html",
        {
            "participation": participation,
            "page": page,
            "missing": missing_labels(page.state.missing),
            "questionnaire": questionnaire.display_groups(),
            "derived_isced": isced_label(page.derived_isced),
            "access": access,
        },
    )


@require_http_methods(["GET", "POST"])
def entry_edit(request: InkaRequest, pk: int) -> HttpResponse:
    participation, access = _get_participation(request, pk, write=True)
    derived = isced_from_certificates(
        participation.school_certificate, participation.vocational_qualification
    )
    form = EntryQuestionnaireForm(
        posted(request),
        instance=participation,
        can_see_special=access.can_see_special,
        derived_isced=isced_label(derived),
    )
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.participation_update_entry(
            actor=request.user, participation=participation, **form.cleaned_data
        ),
        saved=_("The entry questionnaire has been saved."),
        heading=_("Entry questionnaire"),
        anchor="#stammblatt",
        template="esf/entry_form.html",
    )


@require_http_methods(["GET", "POST"])
def exit_edit(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = ExitForm(posted(request), initial={"exit_date": participation.exit_date or timezone.localdate()})
    correcting = participation.exit_date is not None
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.participation_exit(
            actor=request.user, participation=participation, exit_date=form.cleaned_data["exit_date"]
        ),
        saved=_("The exit has been saved."),
        heading=_("Correct the exit date") if correcting else _("Record the exit"),
        anchor="#austritt",
        intro=_(
            "Record the situation after leaving within 28 days of the exit: only what happens in these "
            "days counts as a result upon leaving."
        ),
    )


@require_http_methods(["GET", "POST"])
def exit_event_create(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = ExitEventForm(posted(request))
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.exit_event_add(
            actor=request.user, participation=participation, **form.cleaned_data
        ),
        saved=_("The situation after leaving has been recorded."),
        heading=_("Record the situation after leaving"),
        anchor="#austritt",
        intro=_(
            "If several things happen within 28 days of the exit, record each with its date: only the "
            "last one counts."
        ),
    )


@require_http_methods(["GET", "POST"])
def education_start_create(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = EducationStartForm(posted(request))
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.education_start_add(
            actor=request.user, participation=participation, **form.cleaned_data
        ),
        saved=_("The start of education or training has been recorded."),
        heading=_("Record a start of education or training"),
        anchor="#austritt",
        intro=_("Education or training other than the ESF-funded counselling itself."),
    )


@require_http_methods(["GET", "POST"])
def qualification_create(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = QualificationForm(posted(request))
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.qualification_add(
            actor=request.user, participation=participation, **form.cleaned_data
        ),
        saved=_("The qualification has been recorded."),
        heading=_("Record a qualification gained"),
        anchor="#austritt",
    )


@require_http_methods(["GET", "POST"])
def no_answer_edit(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = NoAnswerForm(
        posted(request),
        initial={
            "no_answer": bool(participation.exit_no_answer_reason),
            "exit_no_answer_reason": participation.exit_no_answer_reason,
        },
    )
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.exit_no_answer_set(
            actor=request.user,
            participation=participation,
            no_answer=form.cleaned_data["no_answer"],
            reason=form.cleaned_data["exit_no_answer_reason"],
        ),
        saved=_("Saved."),
        heading=_("No answer possible on the situation after leaving"),
        anchor="#austritt",
        blocker="" if participation.exit_date else _("Record the exit first."),
        intro=_(
            "Use “No answer possible” only if the situation after leaving could really not be found out, "
            "and write down why."
        ),
    )


@require_http_methods(["GET", "POST"])
def followup_edit(request: InkaRequest, pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    form = FollowUpForm(
        posted(request),
        initial=FollowUpForm.initial_for(participation),
        employed_at_entry=participation.labour_status_at_entry == LabourStatus.EMPLOYED,
    )
    reference = selectors.six_month_reference(participation.exit_date) if participation.exit_date else None
    return _form_page(
        request,
        participation=participation,
        form=form,
        save=lambda: services.followup_record(
            actor=request.user, participation=participation, **form.service_data()
        ),
        saved=_("The six-month follow-up has been saved."),
        heading=_("Six-month follow-up"),
        anchor="#nachbefragung",
        blocker="" if reference else _("The follow-up is possible only after the exit."),
        reference=reference,
    )


def _remove(
    request: InkaRequest, remove: Callable[[], object], participation: Participation, done: str
) -> HttpResponse:
    try:
        remove()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(participation))  # the message shows at the top of the page
    messages.success(request, done)
    return redirect(_page_url(participation, "#austritt"))


@require_POST
def exit_event_delete(request: InkaRequest, pk: int, item_pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    event = get_object_or_404(ExitEvent, participation=participation, pk=item_pk)
    return _remove(
        request,
        lambda: services.exit_event_remove(actor=request.user, exit_event=event),
        participation,
        _("The situation after leaving has been removed."),
    )


@require_POST
def education_start_delete(request: InkaRequest, pk: int, item_pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    start = get_object_or_404(EducationStart, participation=participation, pk=item_pk)
    return _remove(
        request,
        lambda: services.education_start_remove(actor=request.user, education_start=start),
        participation,
        _("The start of education or training has been removed."),
    )


@require_POST
def qualification_delete(request: InkaRequest, pk: int, item_pk: int) -> HttpResponse:
    participation, _access = _get_participation(request, pk, write=True)
    qualification = get_object_or_404(Qualification, participation=participation, pk=item_pk)
    return _remove(
        request,
        lambda: services.qualification_remove(actor=request.user, qualification=qualification),
        participation,
        _("The qualification has been removed."),
    )


@require_POST
def job_outcome_adopt(request: InkaRequest, pk: int, outcome_pk: int) -> HttpResponse:
    """One click: a job outcome of the person's case at this site becomes an ESF result."""
    participation, _access = _get_participation(request, pk, write=True)
    outcome: JobOutcome = get_object_or_404(
        JobOutcome.objects.select_related("case"),
        pk=outcome_pk,
        case__person_id=participation.person_id,
        case__site_id=participation.site_id,
    )
    try:
        services.job_outcome_adopt(actor=request.user, participation=participation, job_outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(participation))  # the message shows at the top of the page
    messages.success(request, _("The outcome has been adopted as an ESF result."))
    return redirect(_page_url(participation, "#ergebnisse"))


# The site's list


def participation_list(request: InkaRequest) -> HttpResponse:
    access = site_access_here(request)
    form = ListFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.ListFilter.INCOMPLETE
    page = Paginator(selectors.participation_list(site_id=access.site_id, show=show), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = selectors.participation_rows(page.object_list)
    if rows:
        log_access(
            request,
            action="esf.participation.list",
            site_id=access.site_id,
            records=[row.participation for row in rows],
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "esf/participation_list.html",
        {
            "form": form,
            "show": show,
            "page": page,
            "rows": [(row, missing_labels(row.state.missing)) for row in rows],
            "query": query.urlencode(),
        },
    )


# The work list (registered in EsfConfig)


def work_list_items(*, user: Any, site_ids: list[int], today: Any) -> list[WorkListItem]:
    """Six-month follow-ups due within 14 days or overdue, for the caseworker of the participation's case."""
    return [
        WorkListItem(
            case=participation.case,
            label=str(participation.case.person),
            site_code=participation.case.site.code,
            due_on=selectors.six_month_reference(participation.exit_date),
            text=_("Six-month follow-up due (exit on %(date)s)")
            % {"date": formats.date_format(participation.exit_date, "SHORT_DATE_FORMAT")},
            url=_page_url(participation, "#nachbefragung"),
        )
        for participation in selectors.followups_due_for(user=user, site_ids=site_ids, today=today)
        if participation.case is not None and participation.exit_date is not None
    ]
