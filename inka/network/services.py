"""Writes to the partner network: validated, atomic, with an audit entry naming the actor."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import lf
from inka.network.models import Partner, SitePartner
from inka.network.selectors import partner_get_duplicate
from inka.programme.models import Site

PARTNER_FIELDS = [
    "name", "kind", "street", "postcode", "town", "phone", "email", "website", "is_active", "notes",
]  # fmt: skip
LINK_FIELDS = ["since", "contact_person", "contact_phone", "contact_email", "notes"]


def _clean_text(value: Any) -> Any:
    value = lf(value)
    return value.strip() if isinstance(value, str) else value


def _refuse_duplicate(partner: Partner) -> None:
    """One entry per institution: the same name in the same town is refused at the name field."""
    if partner_get_duplicate(name=partner.name, town=partner.town, exclude_pk=partner.pk) is None:
        return
    if partner.pk is None:
        message = _(
            "A partner with this name and town is already on record. "
            "You can add the existing partner to your site's list instead."
        )
    else:
        message = _("Another partner with this name and town is already on record.")
    raise ValidationError({"name": ValidationError(message, code="duplicate")})


@transaction.atomic
def partner_create(
    *, actor: Any, site: Site, link_fields: Mapping[str, Any] | None = None, **fields: Any
) -> Partner:
    """Add a partner to the programme-wide directory and to `site`'s list; refuses a duplicate."""
    partner = Partner(**{name: _clean_text(value) for name, value in fields.items()})
    _refuse_duplicate(partner)
    partner.full_clean()
    partner.save()
    audit(
        actor=actor,
        action="inka.partner.created",
        obj=partner,
        site_id=site.pk,
        changes=diff({}, snapshot(partner, PARTNER_FIELDS)),
    )
    site_partner_link(actor=actor, site=site, partner=partner, **(link_fields or {}))
    return partner


@transaction.atomic
def partner_update(*, actor: Any, partner: Partner, site: Site | None = None, **fields: Any) -> Partner:
    """Change a partner's directory entry; `site` is where the change was made, for the change history."""
    stored = snapshot(Partner.objects.get(pk=partner.pk), PARTNER_FIELDS)
    for name, value in fields.items():
        if name not in PARTNER_FIELDS:
            raise TypeError(f"partner_update() cannot change {name!r}")
        setattr(partner, name, _clean_text(value))
    _refuse_duplicate(partner)
    partner.full_clean()
    partner.save()
    changes = diff(stored, snapshot(partner, PARTNER_FIELDS))
    if changes:
        audit(
            actor=actor,
            action="inka.partner.updated",
            obj=partner,
            site_id=site.pk if site is not None else None,
            changes=changes,
        )
    return partner


@transaction.atomic
def site_partner_link(*, actor: Any, site: Site, partner: Partner, **fields: Any) -> SitePartner:
    """Put an existing partner on `site`'s list; an existing link is returned unchanged."""
    existing = SitePartner.objects.filter(site=site, partner=partner).first()
    if existing is not None:
        return existing
    link = SitePartner(
        site=site, partner=partner, **{name: _clean_text(value) for name, value in fields.items()}
    )
    link.full_clean()
    link.save()
    audit(
        actor=actor,
        action="inka.partner.linked",
        obj=link,
        changes=diff({}, snapshot(link, ["partner", *LINK_FIELDS])),
    )
    return link


@transaction.atomic
def site_partner_update(*, actor: Any, link: SitePartner, **fields: Any) -> SitePartner:
    """Change a site's cooperation with a partner (since when, contact person, notes)."""
    stored = snapshot(SitePartner.objects.get(pk=link.pk), LINK_FIELDS)
    for name, value in fields.items():
        if name not in LINK_FIELDS:
            raise TypeError(f"site_partner_update() cannot change {name!r}")
        setattr(link, name, _clean_text(value))
    link.full_clean()
    link.save()
    changes = diff(stored, snapshot(link, LINK_FIELDS))
    if changes:
        audit(actor=actor, action="inka.partner.link_updated", obj=link, changes=changes)
    return link
