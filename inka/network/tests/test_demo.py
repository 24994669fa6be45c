import random
from collections import Counter
from datetime import date

import pytest
from django.utils import timezone
from faker import Faker

from inka.core.demo import DemoContext
from inka.core.models import AuditEntry
from inka.network import demo, demo_relations, selectors
from inka.network.models import (
    Agreement,
    AgreementKind,
    NetworkActivity,
    Partner,
    PartnerContact,
    PartnerKind,
    Service,
    ServiceAudience,
    ServiceLanguage,
    SitePartner,
    SurveyWave,
)
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
    """The partners and their relations (the partner survey has tests of its own)."""
    ctx = context()
    programme_demo.generate(ctx)
    demo._generate_partners(ctx)
    demo_relations.generate(ctx)
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
    counts = relation_counts()
    assert full_run() == first
    assert relation_counts() == counts
    # Agreements and survey invitations keep their partners; without them the partners can go.
    Agreement.objects.update(renewed_by=None)
    Agreement.objects.all().delete()
    NetworkActivity.objects.all().delete()
    SurveyWave.objects.all().delete()
    SitePartner.objects.all().delete()
    Partner.objects.all().delete()
    assert full_run() == first
    assert relation_counts() == counts


def relation_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in [Service, ServiceAudience, ServiceLanguage, PartnerContact, Agreement, NetworkActivity]
    )


def test_every_partner_offers_services_and_every_site_has_agreements_and_activities(demo_sites):
    demo._generate_partners(demo_sites)
    demo_relations.generate(demo_sites)
    today = timezone.localdate()
    partners = Partner.objects.filter(site_links__isnull=False).distinct()
    per_partner = Counter(Service.objects.values_list("partner_id", flat=True))
    assert {partner.pk for partner in partners} == set(per_partner)
    assert all(1 <= count <= 4 for count in per_partner.values())
    for service in Service.objects.prefetch_related("audiences", "languages"):
        service.full_clean()
        assert service.audiences.all() and service.languages.all()
    migration = Service.objects.filter(partner__kind=PartnerKind.MIGRATION)
    assert {"ar", "uk", "fa"} <= set(
        ServiceLanguage.objects.filter(service__in=migration).values_list("language", flat=True)
    )
    contacts = Counter(PartnerContact.objects.values_list("link_id", flat=True))
    assert max(contacts.values()) <= 2
    for site in Site.objects.filter(status=Site.Status.ACTIVE):
        agreements = Agreement.objects.filter(site=site)
        for agreement in agreements.select_related("partner"):
            agreement.full_clean()
            assert SitePartner.objects.filter(site=site, partner=agreement.partner).exists()
        assert agreements.filter(
            kind=AgreementKind.MUNICIPAL_CONTRACT, partner__kind=PartnerKind.MUNICIPALITY
        ).exists()
        assert 3 <= agreements.filter(kind=AgreementKind.COOPERATION, renews__isnull=True).count() <= 8
        # Every site's team has something to renew on its work list.
        assert selectors.agreement_reminders(site_ids=[site.pk], today=today).exists(), site.code
        started = site.starts_on or date(2013, 3, 1)
        for year in range(max(2024, started.year + 1), today.year):
            activities = NetworkActivity.objects.filter(site=site, held_on__year=year)
            assert 6 <= activities.count() <= 12, (site.code, year)
        for activity in NetworkActivity.objects.filter(site=site).prefetch_related("partners"):
            assert started <= activity.held_on <= today
            assert 2 <= len(activity.partners.all()) <= 10
            assert {p.pk for p in activity.partners.all()} <= set(
                SitePartner.objects.filter(site=site).values_list("partner_id", flat=True)
            )
    # Written directly, like the partners: no services run, so no change history.
    assert not AuditEntry.objects.exclude(action="inka.site.seeded").exists()


def test_the_relations_are_written_in_bulk(demo_sites, django_assert_max_num_queries):
    demo._generate_partners(demo_sites)
    # Inserts in batches (SQLite takes 999 values a query), not a query per record.
    with django_assert_max_num_queries(60):
        demo_relations.generate(demo_sites)
    assert Service.objects.count() > 200
