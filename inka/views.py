"""The start page: each role begins where its work is."""

from django.http import HttpResponse
from django.shortcuts import render

from inka.core.http import InkaRequest
from inka.core.permissions import PROGRAMME_ROLES
from inka.programme import selectors as programme_selectors
from inka.programme.map import MapPoint, thuringia_map


def start(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    context: dict[str, object] = {}
    if request.current_site_id is not None:
        site = programme_selectors.site_list(site_ids=[request.current_site_id]).get()
        context.update(
            site=site,
            current_period=programme_selectors.site_current_period(site),
            team=programme_selectors.site_team(site=site, staff_only=True),
            role=access.role_at(site.pk),
        )
    if access.programme_roles & PROGRAMME_ROLES:
        sites = list(programme_selectors.site_list(site_ids=access.visible_site_ids))
        rows = [(site, programme_selectors.site_current_period(site)) for site in sites]
        points = [
            MapPoint(
                code=site.code,
                name=site.name,
                url=site.get_absolute_url(),
                latitude=float(site.latitude),
                longitude=float(site.longitude),
                status=site.status,
            )
            for site in sites
            if site.latitude is not None and site.longitude is not None
        ]
        context.update(
            programme_rows=rows,
            map=thuringia_map(points),
            active_count=sum(1 for site in sites if site.status == site.Status.ACTIVE),
        )
    return render(request, "start.html", context)
