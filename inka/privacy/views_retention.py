"""Retention and erasure (S6): the dry run and the approval for the data protection officer, the
final payment and retention period of each funding round for the coordination."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inka.cases.models import Person
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import Role, require_programme_role
from inka.privacy import retention
from inka.privacy.forms_retention import FundingRoundRetentionForm, RetentionApprovalForm
from inka.privacy.models import RetentionApproval
from inka.programme.models import FundingRound

# Matrix row "programme settings": the coordination and the technical administration.
ROUND_EDITORS = (Role.COORDINATOR, Role.ADMIN)


def _model_name(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


def _overview(request: InkaRequest, form: RetentionApprovalForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    report = retention.run(today, dry_run=True)
    # The page names persons by id only (those with a problem); the read is logged all the same.
    log_access(
        request, action="retention.view", site_id=None, record_type=Person, record_ids=sorted(report.problems)
    )
    context: dict[str, Any] = {
        "today": today,
        "report": report,
        "held": [(retention.Reason(reason).label, count) for reason, count in sorted(report.held.items())],
        "problems": [(pk, retention.Problem(problem).label) for pk, problem in report.problems.items()],
        "records": [(_model_name(label), count) for label, count in report.records.items()],
        "rounds": FundingRound.objects.order_by("starts_on"),
        "approvals": RetentionApproval.objects.select_related("approved_by")[:10],
        "pending": retention.latest_approval(),
        "form": form,
        "access_log_days": settings.ACCESS_LOG_RETENTION_DAYS,
    }
    return render(request, "privacy/retention.html", context, status=status)


@require_GET
def retention_overview(request: InkaRequest) -> HttpResponse:
    require_programme_role(request, Role.DPO)
    return _overview(request, RetentionApprovalForm())


@require_POST
def retention_approve(request: InkaRequest) -> HttpResponse:
    require_programme_role(request, Role.DPO)
    form = RetentionApprovalForm(request.POST)
    if not form.is_valid():
        return _overview(request, form, status=400)
    note = form.cleaned_data["note"]
    approval = retention.approve(actor=request.user, today=timezone.localdate(), note=note)
    count = len(approval.person_ids)
    message = ngettext(
        "Approved: %(count)d person may be anonymised by the next retention run.",
        "Approved: %(count)d persons may be anonymised by the next retention run.",
        count,
    )
    messages.success(request, message % {"count": count})
    return redirect("privacy:retention")


@require_GET
def funding_rounds(request: InkaRequest) -> HttpResponse:
    require_programme_role(request, *ROUND_EDITORS, Role.DPO)
    return render(
        request,
        "privacy/retention_funding_rounds.html",
        {
            "rounds": FundingRound.objects.order_by("starts_on"),
            "can_edit": request.site_access.has_programme_role(*ROUND_EDITORS),
        },
    )


@require_http_methods(["GET", "POST"])
def funding_round_edit(request: InkaRequest, pk: int) -> HttpResponse:
    funding_round = get_object_or_404(FundingRound, pk=pk)
    require_programme_role(request, *ROUND_EDITORS)
    form = FundingRoundRetentionForm(request.POST or None, instance=funding_round)
    context = {"form": form, "funding_round": funding_round}
    if request.method == "POST":
        if form.is_valid():
            try:
                retention.funding_round_retention_set(
                    actor=request.user, funding_round=funding_round, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The retention period of the funding round has been saved."))
                return redirect("privacy:funding_rounds")
        return render(request, "privacy/retention_funding_round_form.html", context, status=400)
    return render(request, "privacy/retention_funding_round_form.html", context)
