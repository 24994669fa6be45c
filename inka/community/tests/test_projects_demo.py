"""The demo of community projects: every staffed site has projects, sessions and activation; the data
keeps the rules the services keep (dates within the period, attendance only after the session, named
participants only with a consent valid on the day)."""

import hashlib

import pytest
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from inka.accounts.models import Membership
from inka.cases.models import Consent
from inka.community.demo_projects import FIRST_DAY
from inka.community.models import (
    Activation,
    Attendance,
    AttendanceMode,
    Headcount,
    Project,
    ProjectStatus,
    Session,
)
from inka.core.demo import demo_generate
from inka.core.permissions import Role
from inka.programme.models import Site


@pytest.fixture
def demo(db):
    return demo_generate(scale=0.02)


def test_every_staffed_active_site_has_projects_sessions_and_activation(demo):
    today = timezone.localdate()
    staffed = Membership.objects.filter(role__in=[Role.CASEWORKER, Role.SITE_LEAD]).values("site")
    sites = [
        site
        for site in Site.objects.filter(status=Site.Status.ACTIVE, pk__in=staffed)
        if site.starts_on is None or site.starts_on <= today
    ]
    assert len(sites) >= 10
    for site in sites:
        assert Project.objects.filter(site=site, kind="meeting_place", ends_on=None).exists(), site.code
        assert Session.objects.filter(project__site=site, held_on__lte=today).exists(), site.code
        assert Activation.objects.filter(site=site).exists(), site.code
    assert not Project.objects.filter(starts_on__lt=FIRST_DAY).exists()


def test_sessions_and_attendance_keep_the_rules(demo):
    today = timezone.localdate()
    assert not Session.objects.filter(held_on__lt=F("project__starts_on")).exists()
    assert not Session.objects.filter(held_on__gt=F("project__ends_on")).exists()
    assert not Headcount.objects.filter(session__held_on__gt=today).exists()
    assert not Attendance.objects.filter(session__held_on__gt=today).exists()
    assert not Headcount.objects.filter(session__attendance_mode=AttendanceMode.NAMED).exists()
    assert not Attendance.objects.filter(session__attendance_mode=AttendanceMode.HEADCOUNT).exists()
    assert not Attendance.objects.exclude(person__site=F("session__project__site")).exists()
    assert not Session.objects.filter(project__status=ProjectStatus.CANCELLED).exists()
    assert not Activation.objects.filter(Q(occurred_on__gt=today) | Q(occurred_on__lt=FIRST_DAY)).exists()
    assert not Activation.objects.exclude(project=None).exclude(project__site=F("site")).exists()
    day = OuterRef("session__held_on")
    valid = Consent.objects.filter(
        Q(expires_on=None) | Q(expires_on__gte=day),
        Q(withdrawn_on=None) | Q(withdrawn_on__gt=day),
        person=OuterRef("person"),
        purpose=Consent.Purpose.COMMUNITY,
        given_on__lte=day,
    )
    assert Attendance.objects.exists() and Headcount.objects.exists()
    assert not Attendance.objects.exclude(Exists(valid)).exists()


def test_alt_has_persons_who_may_be_named_today(demo):
    consents = Consent.objects.filter(
        person__site__code="ALT",
        purpose=Consent.Purpose.COMMUNITY,
        given_on__lt=timezone.localdate(),
        withdrawn_on=None,
    )
    assert consents.count() >= 3
    assert all(consent.taken_by_id for consent in consents)


def digest() -> str:
    projects = sorted(Project.objects.values_list("site__code", "title", "starts_on", "ends_on", "budget"))
    cells = sorted(Headcount.objects.values_list("session__held_on", "age_band", "gender", "count"))
    named = sorted(Attendance.objects.values_list("session__held_on", "person__name_key"))
    activations = sorted(Activation.objects.values_list("site__code", "occurred_on", "kind", "residents"))
    return hashlib.sha256(repr((projects, cells, named, activations)).encode()).hexdigest()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_projects():
    digests = []
    for _ in range(2):
        with transaction.atomic():
            demo_generate(seed=5, scale=0.02)
            digests.append(digest())
            transaction.set_rollback(True)  # start the second run on an empty database again
    assert digests[0] == digests[1]
    assert not Project.objects.exists()
