"""The site dashboard, its exports, the indicator catalogue and the data-quality page.

Site staff see their site's exact figures, the steering group and the programme coordination the
published ones (access.py); data protection and administration see no figures at all.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, Role, require_current_site
from inka.monitoring import quality
from inka.monitoring.access import SITE_FIGURE_ROLES, Audience, audience_at
from inka.monitoring.catalogue import Kind, Section, breakdowns, indicators
from inka.monitoring.dashboard_site import catalogue_anchor, check_label, flagged_checks
from inka.monitoring.dashboard_site import site_dashboard as build_site_dashboard
from inka.monitoring.exports import FORMATS, download_links, export_response
from inka.programme import selectors as site_selectors
from inka.programme.models import Site

KIND_TEXTS = {
    Kind.FLOW: _("Events: the months add up to the year."),
    Kind.DISTINCT: _(
        "Different persons or things in the period: the periods do not add up (someone counselled in "
        "several months counts once in the year)."
    ),
    Kind.STOCK: _("A stock on the last day of the period (in the current period: today)."),
    Kind.SHARE: _("A share in percent: a part of a whole, both counted over the period."),
    Kind.AMOUNT: _("An amount, e.g. hours: the months add up to the year."),
    Kind.INDEX: _("A score from 0 to 100 for a year: not added up."),
}


@require_GET
def home(request: InkaRequest) -> HttpResponse:
    """The Kennzahlen entry: one's own site's dashboard; for the coordinator the programme's (or a site's)."""
    access = request.site_access
    if access.has_programme_role(Role.COORDINATOR):
        chosen = request.GET.get("site", "")
        if chosen.isdigit():
            return redirect("monitoring:site_dashboard", site_id=int(chosen))
        return redirect("monitoring:programme_dashboard")
    site = require_current_site(request, *SITE_STAFF, Role.STEERING)
    return redirect("monitoring:site_dashboard", site_id=site.pk)


# What the team can do about each check (the data-quality page).
ADVICE = {
    "stale_cases": _(
        "Look through the open cases on the work list: record the last contact, or close cases that "
        "have ended with the reason for closing."
    ),
    "persons_without_consent": _(
        "Record each person's consent to counselling on the person's page, including a consent that "
        "has since been withdrawn."
    ),
    "overdue_follow_ups": _(
        "Carry out the overdue follow-ups or record them as done; move the due date if it was set too early."
    ),
    "referrals_unanswered": _(
        "Ask the partners about referrals they have not answered and record their answer in the case."
    ),
    "esf_incomplete": _(
        "Complete the entry questionnaire and the exit data of the ESF participations that the ESF "
        "participation list marks as incomplete."
    ),
}


def _dashboard_site(request: InkaRequest, site_id: int) -> tuple[Site, Audience]:
    """The site (hidden from other sites' staff: 404) and how the user sees it (403 when not at all)."""
    site = get_object_or_404(Site, pk=site_id)
    audience = audience_at(request.site_access, site.pk)
    if audience is None:
        raise PermissionDenied
    return site, audience


@require_GET
def site_dashboard(request: InkaRequest, site_id: int) -> HttpResponse:
    site, audience = _dashboard_site(request, site_id)
    today = timezone.localdate()
    flags = flagged_checks(site, today)
    document = build_site_dashboard(site, audience=audience, today=today, flags=flags)
    access = request.site_access
    coordinator = access.has_programme_role(Role.COORDINATOR)
    sites = site_selectors.site_list(site_ids=access.visible_site_ids).order_by("code") if coordinator else ()
    context: dict[str, Any] = {
        "document": document,
        "site": site,
        "outside": audience == Audience.OUTSIDE,
        "k": settings.SUPPRESSION_K,
        "sites": sites,
        "flagged": [{"label": check_label(key), "names": names} for key, names in flags.items()],
        # The data-quality page shows the team its own site and the coordinator every site.
        "can_see_quality": coordinator or (audience == Audience.TEAM and site.pk == request.current_site_id),
        "exports": download_links(
            lambda fmt: reverse("monitoring:site_dashboard_export", args=[site.pk, fmt])
        ),
    }
    return render(request, "monitoring/site_dashboard.html", context)


@require_GET
def site_dashboard_export(request: InkaRequest, site_id: int, fmt: str) -> HttpResponse:
    if fmt not in dict(FORMATS):
        raise Http404
    site, audience = _dashboard_site(request, site_id)

    document = build_site_dashboard(site, audience=audience, today=timezone.localdate())
    return export_response(document, fmt, k=settings.SUPPRESSION_K)


@require_GET
def catalogue(request: InkaRequest) -> HttpResponse:
    """Every indicator with its definition, unit, kind, breakdowns and data-quality check."""
    if not request.site_access.has_any_role(*SITE_FIGURE_ROLES):
        raise PermissionDenied
    known = breakdowns()
    checks = {check.key: check for check in quality.CHECKS}
    sections = [
        {
            "title": section.label,
            "key": section.value,
            "entries": [
                {
                    "indicator": item,
                    "anchor": catalogue_anchor(item.code),
                    "kind": KIND_TEXTS[item.kind],
                    "breakdowns": [known[key] for key in item.breakdowns],
                    "check": checks.get(item.quality or ""),
                }
                for item in indicators()
                if item.section == section
            ],
        }
        for section in Section
    ]
    return render(request, "monitoring/catalogue.html", {"sections": sections})


@require_GET
def quality_page(request: InkaRequest) -> HttpResponse:
    """The team: its current site's checks in detail; the coordinator: every site's shares and flags."""
    access = request.site_access
    today = timezone.localdate()
    context: dict[str, Any] = {"checks": quality.CHECKS, "threshold": quality.INCOMPLETE_SHARE}
    if access.has_programme_role(Role.COORDINATOR):
        sites = list(site_selectors.site_list(site_ids=access.visible_site_ids).order_by("code"))
        results = quality.site_quality([site.pk for site in sites], today)
        context["rows"] = [
            (site, [results[site.pk][check.key] for check in quality.CHECKS]) for site in sites
        ]
        return render(request, "monitoring/quality.html", context)
    site = require_current_site(request, *SITE_STAFF)
    checked = quality.site_quality([site.pk], today)[site.pk]
    context["site"] = site
    context["entries"] = [
        {
            "check": check,
            "result": checked[check.key],
            "advice": ADVICE[check.key],
            "indicators": [item for item in indicators() if item.quality == check.key],
        }
        for check in quality.CHECKS
    ]
    return render(request, "monitoring/quality.html", context)
