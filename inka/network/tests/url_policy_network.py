"""URL policies of the services directory, contact persons, agreements and network activities.

Objects belong to site A (or to site A's link to a partner). Lists and "add" pages work on the user's
current site, so site B's caseworker gets those of site B; coordination reads all
sites; the data protection officer and the technical administration have no business here
(SECURITY.md).
"""

from datetime import date
from typing import Any

from inka.core.tests.policy_tables import HERE_WRITE, HERE_WRITE_POST, LOGIN, POST_ONLY, Policy
from inka.network.models import (
    Agreement,
    AgreementKind,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    SitePartner,
)

READ = {"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}
# Writing on a record of site A: its caseworker and site lead; site B's caseworker does not find it.
WRITE_A = {"anonymous": LOGIN, "other_caseworker": 404, "caseworker": 200, "site_lead": 200, "default": 403}
WRITE_A_POST = {**WRITE_A, "caseworker": 400, "site_lead": 400}
READ_A = {"anonymous": LOGIN, "other_caseworker": 404, "dpo": 403, "admin": 403, "default": 200}


def _link_a(w: Any) -> SitePartner:
    partner = Partner.objects.get_or_create(
        name="Landratsamt Altenburger Land, Sozialamt",
        town="Altenburg",
        defaults={"kind": PartnerKind.MUNICIPALITY},
    )[0]
    return SitePartner.objects.get_or_create(site=w.site_a, partner=partner)[0]


def link_a(w: Any) -> dict[str, Any]:
    return {"link_pk": _link_a(w).pk}


def contact_a(w: Any) -> dict[str, Any]:
    link = _link_a(w)
    contact = PartnerContact.objects.get_or_create(link=link, name="Frau Beispiel")[0]
    return {"link_pk": link.pk, "pk": contact.pk}


def service_a(w: Any) -> dict[str, Any]:
    link = _link_a(w)
    service = Service.objects.get_or_create(partner=link.partner, name="Wohngeldberatung")[0]
    return {"link_pk": link.pk, "pk": service.pk}


def agreement_a(w: Any) -> dict[str, Any]:
    link = _link_a(w)
    agreement = Agreement.objects.get_or_create(
        site=w.site_a,
        partner=link.partner,
        kind=AgreementKind.MUNICIPAL_CONTRACT,
        title="Kooperationsvertrag",
        defaults={
            "signed_on": date(2024, 1, 10),
            "starts_on": date(2024, 2, 1),
            "ends_on": date(2026, 1, 31),
        },
    )[0]
    return {"pk": agreement.pk}


def activity_a(w: Any) -> dict[str, Any]:
    activity = NetworkActivity.objects.get_or_create(
        site=w.site_a, kind="meeting", title="Netzwerktreffen", held_on=date(2024, 5, 14)
    )[0]
    return {"pk": activity.pk}


POLICY: dict[str, Policy] = {
    # The services directory; services are kept through a site's link to their partner.
    "network:service_list": Policy(get=READ),
    "network:service_create": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=link_a),
    "network:service_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=service_a),
    # Contact persons of site A's cooperation with a partner.
    "network:partner_contact_create": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=link_a),
    "network:partner_contact_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=contact_a),
    "network:partner_contact_delete": Policy(
        get=POST_ONLY, post={**WRITE_A, "caseworker": 302, "site_lead": 302}, kwargs=contact_a
    ),
    # Cooperation agreements
    "network:agreement_list": Policy(get=READ),
    "network:agreement_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "network:agreement_detail": Policy(get=READ_A, kwargs=agreement_a),
    "network:agreement_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=agreement_a),
    "network:agreement_renew": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=agreement_a),
    # Network activities
    "network:activity_list": Policy(get=READ),
    "network:activity_create": Policy(get=HERE_WRITE, post=HERE_WRITE_POST),
    "network:activity_edit": Policy(get=WRITE_A, post=WRITE_A_POST, kwargs=activity_a),
}
