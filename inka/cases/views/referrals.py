"""Referrals with a closed loop: the caseworker refers (consent checked), the partner answers once
through a one-time link without an account, the answer shows on the case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inka.cases import services
from inka.cases.forms import PartnerAnswerForm, ReferralForm, ReferralUpdateForm
from inka.cases.models import Case, Referral
from inka.cases.services import IssuedReferral, LinkState
from inka.cases.views.base import get_case
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.network.selectors import partner_choices, service_choices

LINK_SESSION_KEY = "inka.referral_link.{pk}"


@require_http_methods(["GET", "POST"])
def referral_create(request: InkaRequest, case_pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk, write=True)
    form = ReferralForm(
        request.POST or None,
        partners=partner_choices(site_id=case.site_id),
        services=service_choices(site_id=case.site_id),
    )
    # Coming back from the services directory with a service chosen ("refer to this service").
    chosen = form.services.get(request.GET.get("service", ""))
    if not form.is_bound and chosen is not None:
        form.initial.update({"service": str(chosen.pk), "partner": chosen.partner_id})
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _hand_over_link(request, issued)
            messages.success(request, _("The referral has been recorded."))
            return redirect("cases:referral_detail", case_pk=case.pk, pk=issued.referral.pk)
    return form_page(request, "cases/referral_form.html", {"form": form, "case": case, "access": access})


def _hand_over_link(request: InkaRequest, issued: IssuedReferral) -> None:
    """Show the link once on the next page and, if the partner has an e-mail address, send it there.
    The e-mail holds the link only, no personal data."""
    link = request.build_absolute_uri(reverse("cases:referral_answer", args=[issued.token]))
    request.session[LINK_SESSION_KEY.format(pk=issued.referral.pk)] = link
    referral = issued.referral
    if referral.partner.email:
        context = {"referral": referral, "site": referral.case.site, "link": link}
        send_mail(
            subject=_("A referral from %(site)s") % {"site": referral.case.site.name},
            message=render_to_string("cases/referral_email.txt", context),
            from_email=None,
            recipient_list=[referral.partner.email],
        )
        messages.info(request, _("The link has been sent to %(email)s.") % {"email": referral.partner.email})


def _get_referral(case: Case, pk: int) -> Referral:
    return get_object_or_404(
        case.referrals.select_related("partner", "service", "consent", "created_by"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, access = get_case(request, case_pk)
    referral = _get_referral(case, pk)
    form = ReferralUpdateForm(request.POST or None, referral=referral)
    if request.method == "POST":
        access = get_case(request, case_pk, write=True)[1]
        if form.is_valid():
            try:
                services.referral_update(actor=request.user, referral=referral, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The referral has been updated."))
                return redirect(f"{case.get_absolute_url()}#vermittlungen")
    else:
        log_access(request, action="case.referral", site_id=case.site_id, records=[case])
    link = request.session.pop(LINK_SESSION_KEY.format(pk=referral.pk), None) if access.can_write else None
    return form_page(
        request,
        "cases/referral_detail.html",
        {"case": case, "referral": referral, "form": form, "link": link, "access": access},
    )


@require_POST
def referral_renew_link(request: InkaRequest, case_pk: int, pk: int) -> HttpResponse:
    case, _access = get_case(request, case_pk, write=True)
    referral = _get_referral(case, pk)
    try:
        issued = services.referral_renew_link(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _hand_over_link(request, issued)
        messages.success(request, _("A new link has been created. The old link no longer works."))
    return redirect("cases:referral_detail", case_pk=case.pk, pk=referral.pk)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def referral_answer(request: InkaRequest, token: str) -> HttpResponse:
    """The partner's page: the referral's minimum data and one answer; afterwards the link is spent."""
    state, referral = services.referral_for_token(token)
    if state != LinkState.VALID or referral is None:
        status = 404 if state == LinkState.UNKNOWN else 410
        return render(request, "cases/referral_answer.html", {"state": state}, status=status)
    form = PartnerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_answer(token=token, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "cases/referral_answer.html", {"state": "answered", "referral": referral})
    if request.method == "GET":
        log_access(request, action="referral.partner_view", site_id=referral.case.site_id, records=[referral])
    response = form_page(
        request, "cases/referral_answer.html", {"state": state, "referral": referral, "form": form}
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
