"""Records of the services directory, agreements and network activities for tests (written directly)."""

from datetime import date
from typing import Any

from inka.network.models import (
    Agreement,
    AgreementKind,
    NetworkActivity,
    Partner,
    PartnerKind,
    Service,
    ServiceAudience,
    ServiceLanguage,
    SitePartner,
)


def make_link(site: Any, name: str, *, town: str = "Altenburg", kind: str = PartnerKind.OTHER, **fields: Any):
    """The site's link to the partner `name` in `town` (the partner is made once, shared by sites)."""
    partner = Partner.objects.get_or_create(name=name, town=town, defaults={"kind": kind})[0]
    return SitePartner.objects.get_or_create(site=site, partner=partner, defaults=fields)[0]


def make_service(
    partner: Partner,
    name: str,
    *,
    audiences: tuple[str, ...] = ("everyone",),
    languages: tuple[str, ...] = ("de",),
    **fields: Any,
) -> Service:
    service = Service.objects.create(partner=partner, name=name, **fields)
    ServiceAudience.objects.bulk_create(ServiceAudience(service=service, audience=a) for a in audiences)
    ServiceLanguage.objects.bulk_create(ServiceLanguage(service=service, language=lang) for lang in languages)
    return service


def make_agreement(
    site: Any, partner: Partner, title: str = "Kooperationsvereinbarung", **fields: Any
) -> Agreement:
    fields.setdefault("kind", AgreementKind.COOPERATION)
    fields.setdefault("signed_on", date(2024, 1, 10))
    fields.setdefault("starts_on", date(2024, 2, 1))
    return Agreement.objects.create(site=site, partner=partner, title=title, **fields)


def make_activity(
    site: Any, title: str = "Netzwerktreffen", partners: tuple[Partner, ...] = (), **fields: Any
):
    fields.setdefault("kind", "meeting")
    fields.setdefault("held_on", date(2024, 5, 14))
    activity = NetworkActivity.objects.create(site=site, title=title, **fields)
    activity.partners.set(partners)
    return activity
