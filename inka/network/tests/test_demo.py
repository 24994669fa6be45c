import random
from collections import Counter

import pytest
from faker import Faker

from inka.core.demo import DemoContext
from inka.core.models import AuditEntry
from inka.network import demo
from inka.network.models import Partner, PartnerKind, SitePartner
from inka.programme import demo as programme_demo
from inka.programme.models import Site


def context(seed: int = 7) -> DemoContext:
    faker = Faker("de_DE")
    faker.seed_instance(seed)
    return DemoContext(seed=seed, rng=random.Random(seed), faker=faker)


@pytest.fixture
def demo_sites(db):
    ctx = context()
    programme_demo.generate(ctx)
    return ctx


def full_run() -> set[tuple[str, str, str]]:
    ctx = context()
    programme_demo.generate(ctx)
    demo.generate(ctx)
    return set(SitePartner.objects.values_list("site__code", "partner__name", "contact_person"))


def test_every_active_site_gets_15_to_25_partners_after_its_start(demo_sites):
    demo.generate(demo_sites)
    active = Site.objects.filter(status=Site.Status.ACTIVE)
    counts = Counter(SitePartner.objects.values_list("site__code", flat=True))
    assert set(counts) == set(active.values_list("code", flat=True))
    assert all(15 <= count <= 25 for count in counts.values()), counts
    for link in SitePartner.objects.select_related("site").exclude(since=None):
        assert link.site.starts_on is None or link.since >= link.site.starts_on
    assert set(Partner.objects.values_list("kind", flat=True)) == set(PartnerKind.values)
    for partner in Partner.objects.all():
        partner.full_clean()
    assert not AuditEntry.objects.filter(action__startswith="inka.partner.").exists()


def test_district_offices_are_shared_by_the_sites_of_the_district(demo_sites):
    demo.generate(demo_sites)
    gera = SitePartner.objects.filter(partner__name="Jobcenter Gera").values_list("site__code", flat=True)
    assert {"GLU", "GLB"} <= set(gera)
    agency = Partner.objects.get(name="Agentur für Arbeit Altenburg-Gera")
    assert {"ALT", "GLU"} <= set(agency.site_links.values_list("site__code", flat=True))


def test_the_same_seed_gives_the_same_partners_and_a_rerun_adds_nothing(db):
    first = full_run()
    partners = Partner.objects.count()
    assert full_run() == first
    assert Partner.objects.count() == partners
    SitePartner.objects.all().delete()
    Partner.objects.all().delete()
    assert full_run() == first
