"""The personal work list: overdue and upcoming follow-ups, referrals waiting for an answer."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from inka.cases import selectors
from inka.cases.worklist import extra_sections
from inka.core.audit import log_access
from inka.core.http import InkaRequest
from inka.core.permissions import SITE_WRITERS


def work_list(request: InkaRequest) -> HttpResponse:
    site_ids = request.site_access.sites_with_role(*SITE_WRITERS)
    # Reminders of other apps (registered in inka/cases/worklist.py), each a section of its own;
    # a steering-group member without case work sees only those.
    extra = extra_sections(user=request.user, access=request.site_access, today=timezone.localdate())
    if not site_ids and not extra:
        raise PermissionDenied
    work = selectors.work_list(user=request.user, site_ids=site_ids) if site_ids else None
    cases = {item.case for section in extra for item in section.items if item.case is not None}
    if work is not None:
        cases |= {item.case for item in [*work.overdue, *work.upcoming]}
        cases |= {item.case for item in work.waiting_referrals}
    for site_id in sorted({case.site_id for case in cases}):
        log_access(
            request,
            action="work_list.view",
            site_id=site_id,
            records=sorted((case for case in cases if case.site_id == site_id), key=lambda case: case.pk),
        )
    return render(
        request,
        "cases/work_list.html",
        {
            "work": work,
            "extra_sections": extra,
            "several_sites": len(request.site_access.site_roles) > 1,
        },
    )
