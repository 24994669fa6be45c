import pytest

from inka.network.models import Partner, PartnerKind, SitePartner


@pytest.fixture
def make_link():
    """make_link(site, "Jobcenter Gera", town="Gera", **link_fields) → a partner on the site's list."""

    def make(site, name, *, town="Altenburg", kind=PartnerKind.OTHER, is_active=True, **link_fields):
        partner = Partner.objects.get_or_create(
            name=name, town=town, defaults={"kind": kind, "is_active": is_active}
        )[0]
        return SitePartner.objects.create(site=site, partner=partner, **link_fields)

    return make
