"""The case-work demo: every staffed site has case work, dates and consents are consistent, the demo
logins have a work list, and the same seed gives the same data."""

import hashlib
from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import Case, Consent, Contact, FollowUp, Person, Referral
from inka.core.demo import DemoContext, demo_generate
from inka.core.permissions import Role
from inka.programme.models import Site

SCALE = 0.02


@pytest.fixture
def ctx(db) -> DemoContext:
    return demo_generate(scale=SCALE)


def staffed_sites(today: date) -> list[Site]:
    staffed = Membership.objects.filter(role__in=[Role.CASEWORKER, Role.SITE_LEAD]).values("site")
    sites = Site.objects.filter(status=Site.Status.ACTIVE, pk__in=staffed)
    return [site for site in sites if site.starts_on is None or site.starts_on <= today]


def test_every_staffed_active_site_has_persons_cases_and_anonymous_contacts(ctx):
    sites = staffed_sites(timezone.localdate())
    assert len(sites) >= 10
    for site in sites:
        assert Person.objects.filter(site=site).exists(), site.code
        assert Case.objects.filter(site=site).exists(), site.code
        assert Contact.objects.filter(site=site, case=None).exists(), site.code
    assert {case.pk for case in ctx.cases} == set(Case.objects.values_list("pk", flat=True))
    assert not Site.objects.exclude(status=Site.Status.ACTIVE).filter(cases__isnull=False).exists()


def test_contacts_lie_within_their_case_and_never_in_the_future(ctx):
    today = timezone.localdate()
    assert not Contact.objects.filter(occurred_on__gt=today).exists()
    assert not Contact.objects.filter(occurred_on__lt=F("case__opened_on")).exists()
    assert not Contact.objects.filter(occurred_on__gt=F("case__closed_on")).exists()
    assert not Contact.objects.filter(case=None).exclude(note="", next_step="").exists()
    assert not Case.objects.filter(closed_on__gt=today).exists()
    # Every case has a contact on its opening day (the person's first contact).
    first = Contact.objects.filter(case=OuterRef("pk"), occurred_on=OuterRef("opened_on"))
    assert not Case.objects.exclude(Exists(first)).exists()


def test_every_case_has_a_counselling_consent_or_was_closed_for_its_withdrawal(ctx):
    opened_on = OuterRef("opened_on")
    valid = Consent.objects.filter(
        Q(expires_on=None) | Q(expires_on__gte=opened_on),
        Q(withdrawn_on=None) | Q(withdrawn_on__gt=opened_on),
        person=OuterRef("person"),
        purpose=Consent.Purpose.COUNSELLING,
        given_on__lte=opened_on,
    )
    withdrawn = Q(status=Case.Status.CLOSED, close_reason=Case.CloseReason.CONSENT_WITHDRAWN)
    assert not Case.objects.exclude(Exists(valid)).exclude(withdrawn).exists()
    # A withdrawal closes the person's case on or after the day of the withdrawal.
    for consent in Consent.objects.exclude(withdrawn_on=None):
        case = consent.person.cases.get(opened_on=consent.given_on)
        assert case.close_reason == Case.CloseReason.CONSENT_WITHDRAWN
        assert case.closed_on >= consent.withdrawn_on
    assert not Person.objects.annotate(
        open_cases=Count("cases", filter=Q(cases__status=Case.Status.OPEN))
    ).filter(open_cases__gt=1)


def test_referrals_rely_on_a_matching_sharing_consent_or_a_reason(ctx):
    for referral in Referral.objects.select_related("consent", "partner", "case"):
        if referral.consent is None:
            assert referral.consent_override_reason
            continue
        assert referral.consent.person_id == referral.case.person_id
        assert referral.consent.covers_partner(referral.partner)
        assert referral.consent.is_valid_on(referral.sent_on)
        assert referral.case.opened_on <= referral.sent_on


def test_the_demo_logins_have_overdue_and_upcoming_follow_ups(ctx):
    today = timezone.localdate()
    for login in ("lotse.alt", "lotse.gera"):
        work_list = FollowUp.objects.filter(assigned_to=ctx.users[login], done_on=None)
        assert work_list.filter(due_on__lt=today).exists(), login
        assert work_list.filter(due_on__gte=today).exists(), login
    assert not FollowUp.objects.filter(done_on=None, case__status=Case.Status.CLOSED).exists()


def digest() -> str:
    rows = sorted(
        Case.objects.values_list(
            "site__code", "reference", "person__name_key", "opened_on", "closed_on", "caseworker__email"
        ).annotate(contacts=Count("contacts"))
    )
    anonymous = sorted(Contact.objects.filter(case=None).values_list("site__code", "occurred_on", "mode"))
    return hashlib.sha256(repr((rows, anonymous)).encode()).hexdigest()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_case_work():
    digests = []
    for _ in range(2):
        with transaction.atomic():
            demo_generate(seed=5, scale=SCALE)
            digests.append(digest())
            transaction.set_rollback(True)  # start the second run on an empty database again
    assert digests[0] == digests[1]
    assert Case.objects.count() == 0
