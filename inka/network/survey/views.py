"""Partner survey pages: the site's waves and index, a wave's results and invitations, and the
partner's anonymous answer page reached through a one-time link (no account)."""

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role, require_current_site, require_site_role
from inka.network.models import SurveyInvitation, SurveyWave
from inka.network.survey import selectors, services
from inka.network.survey.chart import index_chart
from inka.network.survey.forms import AnswerForm, InviteForm, WaveForm
from inka.network.survey.services import IssuedLink, LinkState

# The steering group sees its site's results; the coordination sees every site's, never comments.
SITE_READERS = (*SITE_STAFF, Role.STEERING)
LINKS_SESSION_KEY = "inka.survey_links.{pk}"
LINK_STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.USED: 410,
    LinkState.EXPIRED: 410,
    LinkState.NOT_YET_OPEN: 200,
}


def _get_wave(pk: int) -> SurveyWave:
    # The scoped manager hides other sites' waves: 404 before any role check.
    return get_object_or_404(SurveyWave.objects.select_related("site", "instrument"), pk=pk)


def survey_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    if access.has_programme_role(Role.COORDINATOR):
        years, rows = selectors.index_table(site_ids=access.visible_site_ids)
        return render(request, "network/survey/survey_overview.html", {"years": years, "rows": rows})
    site = require_current_site(request, *SITE_READERS)
    summaries = selectors.wave_summaries(site_ids=[site.pk])
    return render(
        request,
        "network/survey/survey_list.html",
        {
            "site": site,
            "summaries": summaries[::-1],
            "chart": index_chart(summaries),
            "can_create": access.has_site_role(site.pk, *SITE_WRITERS),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_wave_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form = WaveForm(
        request.POST or None,
        instruments=selectors.instrument_list_active(),
        taken_years=selectors.wave_years(site_id=site.pk),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                wave = services.wave_create(actor=request.user, site=site, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The partner survey %(year)s has been planned.") % {"year": wave.year}
                )
                return redirect(wave)
        return render(request, "network/survey/wave_form.html", {"form": form, "site": site}, status=400)
    return render(request, "network/survey/wave_form.html", {"form": form, "site": site})


def survey_wave_detail(request: InkaRequest, pk: int) -> HttpResponse:
    wave = _get_wave(pk)
    require_site_role(request, wave.site_id, *SITE_READERS, Role.COORDINATOR)
    return _wave_page(request, wave)


def _wave_page(request: InkaRequest, wave: SurveyWave, invite_form: InviteForm | None = None) -> HttpResponse:
    access = request.site_access
    # Who answered and what partners suggested stays with the site's own team.
    is_team = access.has_site_role(wave.site_id, *SITE_STAFF)
    can_write = access.has_site_role(wave.site_id, *SITE_WRITERS)
    is_open = not services.wave_is_closed(wave)
    summary = selectors.wave_summary(wave)
    context: dict[str, Any] = {
        "wave": wave,
        "site": wave.site,
        "result": summary.result,
        "is_open": is_open,
        "is_team": is_team,
        "can_write": can_write,
    }
    if is_team:
        context["invitations"] = list(selectors.invitation_list(wave=wave))
        context["comments_allowed"] = not summary.result.flagged
        if not summary.result.flagged:
            context["comments"] = selectors.wave_comments(wave=wave)
    if can_write:
        context["new_links"] = request.session.pop(LINKS_SESSION_KEY.format(pk=wave.pk), None)
        if is_open:
            context["invite_form"] = invite_form or InviteForm(
                partners=selectors.partner_list_to_invite(wave=wave)
            )
    return render(
        request, "network/survey/wave_detail.html", context, status=400 if invite_form is not None else 200
    )


def _hand_over_links(request: InkaRequest, wave: SurveyWave, issued: Sequence[IssuedLink]) -> None:
    """Keep the new links for the next page only: they are shown once, only their hashes are stored."""
    request.session[LINKS_SESSION_KEY.format(pk=wave.pk)] = [
        {
            "partner": link.invitation.partner.name,
            "address_lines": link.invitation.partner.address_lines,
            "link": request.build_absolute_uri(reverse("network:survey_answer", args=[link.token])),
        }
        for link in issued
    ]


@require_POST
def survey_invite(request: InkaRequest, pk: int) -> HttpResponse:
    wave = _get_wave(pk)
    require_site_role(request, wave.site_id, *SITE_WRITERS)
    form = InviteForm(request.POST, partners=selectors.partner_list_to_invite(wave=wave))
    if form.is_valid():
        try:
            issued = services.invitations_create(
                actor=request.user, wave=wave, partners=form.cleaned_data["partners"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _hand_over_links(request, wave, issued)
            count = len(issued)
            messages.success(
                request,
                ngettext("%(count)s link has been created.", "%(count)s links have been created.", count)
                % {"count": count},
            )
            return redirect(f"{wave.get_absolute_url()}#neue-links")
    return _wave_page(request, wave, invite_form=form)


@require_POST
def survey_invitation_renew(request: InkaRequest, pk: int) -> HttpResponse:
    invitation: SurveyInvitation = get_object_or_404(
        SurveyInvitation.objects.select_related("wave", "partner"), pk=pk
    )
    wave = invitation.wave
    require_site_role(request, wave.site_id, *SITE_WRITERS)
    try:
        issued = services.invitation_renew(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(wave)
    _hand_over_links(request, wave, [issued])
    messages.success(
        request,
        _("A new link has been created for %(partner)s. The old link no longer works.")
        % {"partner": invitation.partner.name},
    )
    return redirect(f"{wave.get_absolute_url()}#neue-links")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request: InkaRequest, token: str) -> HttpResponse:
    """The partner's questionnaire; nothing on the page or in the answer names the partner."""
    state, invitation = services.invitation_for_token(token)
    context: dict[str, Any]
    if state != LinkState.VALID or invitation is None:
        context = {"state": state, "wave": invitation.wave if invitation else None}
        response = render(request, "network/survey/answer.html", context, status=LINK_STATUS[state])
    else:
        wave = invitation.wave
        instrument = selectors.instrument_get_with_items(wave.instrument_id)
        form = AnswerForm(request.POST or None, instrument=instrument)
        context = {"state": state, "wave": wave, "instrument": instrument, "form": form}
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.survey_answer(
                        token=token, answers=form.answers(), comment=form.cleaned_data.get("comment", "")
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    context["state"] = "answered"
            status = 200 if context["state"] == "answered" else 400
        response = render(request, "network/survey/answer.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
