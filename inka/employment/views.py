"""Job integration pages: the forms behind the case page's section "Job integration".

Each view: scoped fetch of the case (other site → 404), writers only (→ 403), a part looked up on
that case only (a part of another case → 404), form → service → back to the case.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.cases.access import CaseAccess
from inka.cases.models import Case
from inka.cases.views.base import get_case, write_blocker
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, posted
from inka.employment import services
from inka.employment.forms import ApplicationForm, BarrierAssessmentForm, CareerPlanForm, JobOutcomeForm
from inka.employment.models import (
    SPECIAL_BARRIERS,
    Application,
    Barrier,
    BarrierAssessment,
    CareerPlan,
    JobOutcome,
)
from inka.employment.selectors import case_employment

SECTION = "#arbeit"


def case_section_context(case: Case, access: CaseAccess) -> dict[str, Any]:
    """Context of the case page's section "Job integration" (registered in EmploymentConfig)."""
    return {
        "employment": case_employment(case=case, can_see_special=access.can_see_special),
        "access": access,
        "case": case,
        "can_edit": access.can_write and case.is_open,
    }


def _visible_barriers(access: CaseAccess) -> list[Barrier]:
    return [barrier for barrier in Barrier if access.can_see_special or barrier not in SPECIAL_BARRIERS]


def _form_page(
    request: InkaRequest,
    *,
    case: Case,
    form: forms.BaseForm,
    save: Callable[[], object],
    saved: str,
    template: str,
    **context: Any,
) -> HttpResponse:
    """GET shows the form; POST saves through `save` and goes back to the case, or shows the errors."""
    context = {"case": case, "form": form, **context}
    if request.method == "POST":
        if form.is_valid():
            try:
                save()
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, saved)
                return redirect(case.get_absolute_url() + SECTION)
        return render(request, template, context, status=400)
    return render(request, template, {**context, "blocker": write_blocker(case)})


@require_http_methods(["GET", "POST"])
def barrier_assessment_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    latest = (
        BarrierAssessment.objects.filter(case=case)
        .prefetch_related("ratings")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    kind = BarrierAssessment.Kind.REVIEW if latest is not None else BarrierAssessment.Kind.INTAKE
    # A review starts from the latest ratings, so only what changed needs a new choice.
    initial = BarrierAssessmentForm.initial_for(latest) if latest is not None else {}
    initial.update({"assessed_on": timezone.localdate(), "note": ""})
    form = BarrierAssessmentForm(posted(request), initial=initial, barriers=_visible_barriers(access))
    if request.method == "GET" and latest is not None:
        log_access(request, action="view", site_id=case.site_id, records=[case])
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.barrier_assessment_record(
            actor=request.user, case=case, kind=kind, **form.service_data()
        ),
        saved=_("The assessment of the placement barriers has been saved."),
        template="employment/barrier_assessment_form.html",
        kind=BarrierAssessment.Kind(kind),
    )


@require_http_methods(["GET", "POST"])
def barrier_assessment_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    assessment: BarrierAssessment = get_object_or_404(
        BarrierAssessment.objects.prefetch_related("ratings"), case=case, pk=pk
    )
    assessment.case = case
    form = BarrierAssessmentForm(
        posted(request),
        initial=BarrierAssessmentForm.initial_for(assessment),
        barriers=_visible_barriers(access),
    )
    if request.method == "GET":
        log_access(request, action="view", site_id=case.site_id, records=[case])
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.barrier_assessment_update(
            actor=request.user,
            assessment=assessment,
            can_see_special=access.can_see_special,
            **form.service_data(),
        ),
        saved=_("The assessment of the placement barriers has been saved."),
        template="employment/barrier_assessment_form.html",
        kind=BarrierAssessment.Kind(assessment.kind),
        assessment=assessment,
    )


@require_http_methods(["GET", "POST"])
def career_plan_edit(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    plan = CareerPlan.objects.filter(case=case).first()
    form = CareerPlanForm(posted(request), instance=plan)
    if request.method == "GET" and plan is not None:
        log_access(request, action="view", site_id=case.site_id, records=[case])
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.career_plan_save(actor=request.user, case=case, **form.cleaned_data),
        saved=_("The career perspective has been saved."),
        template="employment/career_plan_form.html",
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
def application_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    form = ApplicationForm(posted(request))
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.application_add(actor=request.user, case=case, **form.cleaned_data),
        saved=_("The application has been added."),
        template="employment/application_form.html",
    )


@require_http_methods(["GET", "POST"])
def application_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    application = get_object_or_404(Application, case=case, pk=pk)
    application.case = case
    form = ApplicationForm(posted(request), instance=application)
    if request.method == "GET":
        log_access(request, action="view", site_id=case.site_id, records=[case])
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.application_update(
            actor=request.user, application=application, **form.cleaned_data
        ),
        saved=_("The application has been saved."),
        template="employment/application_form.html",
        application=application,
    )


@require_http_methods(["GET", "POST"])
def job_outcome_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    form = JobOutcomeForm(posted(request))
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.job_outcome_add(actor=request.user, case=case, **form.cleaned_data),
        saved=_("The outcome has been recorded."),
        template="employment/job_outcome_form.html",
    )


@require_http_methods(["GET", "POST"])
def job_outcome_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    job_outcome = get_object_or_404(JobOutcome, case=case, pk=pk)
    job_outcome.case = case
    form = JobOutcomeForm(posted(request), instance=job_outcome)
    if request.method == "GET":
        log_access(request, action="view", site_id=case.site_id, records=[case])
    return _form_page(
        request,
        case=case,
        form=form,
        save=lambda: services.job_outcome_update(
            actor=request.user, job_outcome=job_outcome, **form.cleaned_data
        ),
        saved=_("The outcome has been saved."),
        template="employment/job_outcome_form.html",
        job_outcome=job_outcome,
    )
