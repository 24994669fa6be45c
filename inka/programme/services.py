"""Writes to the site registry: validated, atomic, with an audit entry naming the actor."""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf
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
        setattr(site, name, lf(value))
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
    starts_on = period.starts_on
    if starts_on is None:
        raise ValidationError({"starts_on": _("Enter the date from which the change applies.")})
    if site.periods.filter(starts_on__gte=starts_on).exists():
        raise ValidationError(
            {"starts_on": _("The history already has a period starting on or after this date.")}
        )
    # The change ends the period that was open until now, the day before the new one starts.
    for previous in site.periods.filter(ends_on__isnull=True):
        previous.ends_on = starts_on - timedelta(days=1)
        previous.save(update_fields=["ends_on", "updated_at"])
        audit(
            actor=actor,
            action="inka.site.period_ended",
            obj=site,
            period=previous.pk,
            ends_on=previous.ends_on,
        )
    period.save()
    audit(
        actor=actor,
        action="inka.site.period_added",
        obj=site,
        changes=diff({}, snapshot(period, PERIOD_FIELDS)),
    )
    return period
