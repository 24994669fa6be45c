"""Reads of programme and site data. Callers pass the site ids they may see; the scope is the net."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from inka.programme.models import Carrier, District, Programme, Site, SitePeriod


def site_list(*, site_ids: Sequence[int]) -> QuerySet[Site]:
    """Sites with their district and carrier history, for tables and the map."""
    return (
        Site.objects.filter(pk__in=site_ids)
        .select_related("district")
        .prefetch_related(Prefetch("periods", queryset=SitePeriod.objects.select_related("carrier")))
        .order_by("name")
    )


def site_current_period(site: Site, *, today: date | None = None) -> SitePeriod | None:
    """The carrier period in force today (uses prefetched periods when present)."""
    today = today or timezone.localdate()
    current = [period for period in site.periods.all() if period.is_current(today)]
    return current[-1] if current else None


def site_team(*, site: Site, staff_only: bool = False) -> list[Any]:
    """The active members of a site (memberships with their users), site leads first.

    `staff_only` leaves out the steering group, which works with the team but is not part of it.
    """
    role_order = {"site_lead": 0, "caseworker": 1, "reader": 2, "steering": 3}
    members = site.memberships.filter(user__is_active=True).select_related("user")
    if staff_only:
        members = members.exclude(role="steering")
    return sorted(members, key=lambda m: (role_order.get(m.role, 9), m.user.last_name, m.user.first_name))


def site_get_public(*, code: str) -> Site | None:
    """A published site by its short code, for the page without login (unscoped by design)."""
    return Site.public.select_related("district").filter(code=code.upper()).first()


def programme_get() -> Programme | None:
    return Programme.objects.order_by("pk").first()


def carrier_names() -> list[str]:
    return list(Carrier.objects.order_by("name").values_list("name", flat=True))


def district_list() -> QuerySet[District]:
    return District.objects.order_by("name")
