"""The demo of volunteers and outreach rounds: every staffed site has both, and the data keeps the rules
the services keep (hours within their limits and at the site's own sessions, a round's conversations
exactly as many anonymous contacts with exactly its topic counts)."""

from collections import Counter

import pytest
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import Contact, ContactMode, ContactTopic
from inka.community.demo_volunteers import FIRST_DAY
from inka.community.models import OutreachRound, OutreachTopic, Volunteer, VolunteerHours
from inka.core.demo import demo_generate
from inka.core.permissions import Role
from inka.programme.models import Site


@pytest.fixture
def demo(db):
    return demo_generate(scale=0.02)


def test_every_staffed_active_site_has_volunteers_hours_and_rounds(demo):
    today = timezone.localdate()
    staffed = Membership.objects.filter(role__in=[Role.CASEWORKER, Role.SITE_LEAD]).values("site")
    sites = [
        site
        for site in Site.objects.filter(status=Site.Status.ACTIVE, pk__in=staffed)
        if site.starts_on is None or site.starts_on <= today
    ]
    assert len(sites) >= 10
    for site in sites:
        assert 5 <= Volunteer.objects.filter(site=site).count() <= 25, site.code
        assert OutreachRound.objects.filter(site=site).exists(), site.code
    assert VolunteerHours.objects.exclude(session=None).exists()
    assert VolunteerHours.objects.exclude(month=None).exists()
    assert Volunteer.objects.exclude(person=None).exists()


def test_volunteers_and_hours_keep_the_rules(demo):
    today = timezone.localdate()
    assert not Volunteer.objects.exclude(person=None).exclude(person__site=F("site")).exists()
    assert not Volunteer.objects.filter(until__lt=F("since")).exists()
    hours = VolunteerHours.objects
    assert not hours.exclude(session=None).exclude(session__project__site=F("volunteer__site")).exists()
    assert not hours.exclude(project=None).exclude(project__site=F("volunteer__site")).exists()
    assert not hours.filter(Q(session__held_on__gt=today) | Q(month__gt=today)).exists()
    assert not hours.filter(
        Q(hours__lte=0) | Q(session__isnull=False, hours__gt=24) | Q(hours__gt=744)
    ).exists()
    assert not hours.exclude(session=None).exclude(project=F("session__project")).exists()
    twice = hours.exclude(session=None).values("volunteer", "session").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()


def test_each_rounds_conversations_are_its_anonymous_contacts_with_its_topic_counts(demo):
    today = timezone.localdate()
    rounds = OutreachRound.objects.annotate(contact_count=Count("contacts"))
    assert not rounds.exclude(contact_count=F("conversations")).exists()
    assert not rounds.filter(Q(held_on__gt=today) | Q(held_on__lt=FIRST_DAY)).exists()
    assert not OutreachTopic.objects.filter(conversations__gt=F("round__conversations")).exists()
    assert not rounds.annotate(staff_count=Count("staff")).filter(staff_count=0).exists()
    for outreach in OutreachRound.objects.prefetch_related("topics", "contacts")[:20]:
        contacts = list(outreach.contacts.all())
        assert {(c.case_id, c.mode, c.occurred_on, c.site_id, c.age_band, c.gender) for c in contacts} == {
            (None, ContactMode.OUTREACH, outreach.held_on, outreach.site_id, "", "")
        }
        topics = Counter(ContactTopic.objects.filter(contact__in=contacts).values_list("topic", flat=True))
        assert topics == {t.topic: t.conversations for t in outreach.topics.all()}
    total = OutreachRound.objects.aggregate(n=Sum("conversations"))["n"]
    links = OutreachRound.contacts.through.objects
    assert links.count() == links.values("contact").distinct().count() == total
    assert Contact.objects.filter(pk__in=links.values("contact"), mode=ContactMode.OUTREACH).count() == total
