"""The help plan (goals and their steps) and follow-ups on a case."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inka.accounts.selectors import site_caseworkers
from inka.cases import services
from inka.cases.forms import FollowUpForm, GoalForm, StepForm
from inka.cases.models import GoalStep
from inka.cases.views.base import get_case
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page


@require_http_methods(["GET", "POST"])
def goal_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal has been added to the help plan."))
            return redirect(f"{case.get_absolute_url()}#hilfeplan")
    return form_page(
        request, "cases/plan_form.html", {"form": form, "case": case, "kind": "goal", "access": access}
    )


@require_http_methods(["GET", "POST"])
def goal_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    goal = get_object_or_404(case.goals, pk=pk)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The goal has been saved."))
            return redirect(f"{case.get_absolute_url()}#hilfeplan")
    return form_page(
        request,
        "cases/plan_form.html",
        {"form": form, "case": case, "goal": goal, "kind": "goal", "access": access},
    )


@require_http_methods(["GET", "POST"])
def step_create(request: InkaRequest, case_pk: int, goal_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    goal = get_object_or_404(case.goals, pk=goal_pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_create(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step has been added."))
            return redirect(f"{case.get_absolute_url()}#hilfeplan")
    return form_page(
        request,
        "cases/plan_form.html",
        {"form": form, "case": case, "goal": goal, "kind": "step", "access": access},
    )


@require_http_methods(["GET", "POST"])
def step_edit(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    step: GoalStep = get_object_or_404(GoalStep.objects.select_related("goal"), pk=pk, goal__case=case)
    form = StepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_update(actor=request.user, step=step, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step has been saved."))
            return redirect(f"{case.get_absolute_url()}#hilfeplan")
    return form_page(
        request,
        "cases/plan_form.html",
        {"form": form, "case": case, "goal": step.goal, "step": step, "kind": "step", "access": access},
    )


@require_http_methods(["GET", "POST"])
def follow_up_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    form = FollowUpForm(
        request.POST or None,
        team=site_caseworkers(site_id=case.site_id),
        initial={"assigned_to": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been put on the work list."))
            return redirect(f"{case.get_absolute_url()}#wiedervorlagen")
    return form_page(
        request, "cases/plan_form.html", {"form": form, "case": case, "kind": "follow_up", "access": access}
    )


@require_POST
def follow_up_done(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    follow_up = get_object_or_404(case.follow_ups, pk=pk)
    try:
        services.follow_up_done(actor=request.user, follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is done."))
    target = request.POST.get("next", "")
    return redirect(
        "cases:work_list" if target == "work_list" else f"{case.get_absolute_url()}#wiedervorlagen"
    )
