"""Writes to the site registry: validated, atomic, with an audit entry naming the actor."""

from typing import Any

from django.db import transaction

from inka.core.audit import audit, diff, snapshot
from inka.programme.models import Carrier, Site, SitePeriod

SITE_FIELDS = [
    "code", "name", "district", "neighbourhood", "street", "postcode", "town", "latitude", "longitude",
    "opening_hours", "contact_person", "phone", "email", "description", "starts_on",
    "starts_on_precision", "ends_on", "status", "is_public", "notes",
]  # fmt: skip
PERIOD_FIELDS = ["carrier", "neighbourhood", "starts_on", "starts_on_precision", "ends_on", "note"]


@transaction.atomic
def site_create(*, actor: Any, **fields: Any) -> Site:
    """Add a site to the registry."""
    site = Site(**fields)
    site.full_clean()
    site.save()
    audit(actor=actor, action="inka.site.created", obj=site, changes=diff({}, snapshot(site, SITE_FIELDS)))
    return site


@transaction.atomic
def site_update(*, site: Site, actor: Any, **fields: Any) -> Site:
    """Change a site's registry entry; the audit entry holds old and new values."""
    # Diff against the stored row: a ModelForm has already changed `site` in memory.
    stored = snapshot(Site.objects.get(pk=site.pk), SITE_FIELDS)
    for name, value in fields.items():
        setattr(site, name, value)
    site.full_clean()
    site.save()
    changes = diff(stored, snapshot(site, SITE_FIELDS))
    if changes:
        audit(actor=actor, action="inka.site.updated", obj=site, changes=changes)
    return site


@transaction.atomic
def site_period_create(*, site: Site, actor: Any, carrier_name: str = "", **fields: Any) -> SitePeriod:
    """Record a new stretch of the site's history (a new carrier or neighbourhood)."""
    carrier = Carrier.objects.get_or_create(name=carrier_name)[0] if carrier_name else None
    period = SitePeriod(site=site, carrier=carrier, **fields)
    period.full_clean()
    period.save()
    audit(
        actor=actor,
        action="inka.site.period_added",
        obj=site,
        changes=diff({}, snapshot(period, PERIOD_FIELDS)),
    )
    return period
