"""Data quality (M7) on a small fixed data set, as of 20 May 2026, every share computed by hand.

Site A:
* open cases: S1 opened 1 January, last contact 19 February (exactly 90 days ago: fresh); S2 opened
  1 January, last contact 18 February (stale); S3 opened 19 February without contact (fresh);
  S4 opened 18 February without contact (stale); a closed case with old contacts does not count
  → 2 of 4 = 50 %, marked.
* persons: the five persons of those cases have a consent (one of them withdrawn); one more person
  has none → 1 of 6 = 16.7 %.
* open follow-ups: due 19 May (overdue), due today, due 1 June; one done long ago does not count
  → 1 of 3 = 33.3 %, marked (more than 33 %).
* referrals of the last 12 months (sent after 20 May 2025): awaiting an answer since 19 April 2026
  (31 days) and since 21 May 2025; awaiting since 20 April 2026 (30 days: not yet); accepted;
  withdrawn. One awaiting since 20 May 2025 is older than 12 months → 2 of 5 = 40 %, marked.
* ESF participations entered by today: three complete, one without ISCED level or certificates, one
  unemployed without the date since when → 2 of 5 = 40 %, marked; an incomplete one entering on
  1 June does not count yet.
Site B has no records: nothing to judge, nothing marked.
"""

from datetime import date
from decimal import Decimal

import pytest

from inka.cases.models import Case, Contact, FollowUp, Referral
from inka.cases.tests.factories import make_case, make_partner, make_person
from inka.esf.models import Participation
from inka.monitoring.catalogue import indicator, indicators
from inka.monitoring.quality import (
    CHECKS,
    INCOMPLETE_SHARE,
    QualityResult,
    incomplete_sites,
    site_quality,
)

TODAY = date(2026, 5, 20)


def contact(case, day):
    Contact.objects.create(site=case.site, case=case, author=case.caseworker, occurred_on=day, mode="phone")


def follow_up(case, due_on, done_on=None):
    FollowUp.objects.create(
        case=case,
        due_on=due_on,
        subject="Nachfragen",
        assigned_to=case.caseworker,
        created_by=case.caseworker,
        done_on=done_on,
    )


def referral(case, partner, sent_on, status=Referral.Status.SENT):
    Referral.objects.create(
        case=case,
        partner=partner,
        purpose="Beratung",
        consent_override_reason="Notlage",
        status=status,
        sent_on=sent_on,
        answered_on=sent_on if status == Referral.Status.ACCEPTED else None,
        created_by=case.caseworker,
    )


def participation(site, number, entry=date(2026, 1, 5), **fields):
    values = {
        "gender": "F",
        "date_of_birth": date(1990, 1, 1),
        "labour_status_at_entry": "EMPLOYED",
        "isced_level": 3,
        **fields,
    }
    Participation.objects.create(
        site=site, participation_id=f"Q-{number}", person_key=f"Q-{number}", entry_date=entry, **values
    )


@pytest.fixture
def data(world):
    a, worker = world.site_a, world.user("caseworker")

    def case(name, opened_on):
        return make_case(a, worker, make_person(a, "Test", name), opened_on=opened_on)

    s1 = case("Eins", date(2026, 1, 1))
    contact(s1, date(2026, 2, 19))
    s2 = case("Zwei", date(2026, 1, 1))
    contact(s2, date(2026, 1, 5))
    contact(s2, date(2026, 2, 18))
    s3 = case("Drei", date(2026, 2, 19))
    case("Vier", date(2026, 2, 18))
    closed = case("Fünf", date(2024, 1, 1))
    contact(closed, date(2024, 2, 1))
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED, closed_on=date(2024, 3, 1))
    s3.person.consents.update(withdrawn_on=date(2026, 3, 1))
    make_person(a, "Ohne", "Einwilligung")

    follow_up(s1, date(2026, 5, 19))
    follow_up(s1, TODAY)
    follow_up(s2, date(2026, 6, 1))
    follow_up(s2, date(2026, 1, 1), done_on=date(2026, 1, 2))

    partner = make_partner(a)
    referral(s1, partner, date(2026, 4, 19))
    referral(s1, partner, date(2025, 5, 21))
    referral(s2, partner, date(2026, 4, 20))
    referral(s2, partner, date(2026, 1, 10), Referral.Status.ACCEPTED)
    referral(s3, partner, date(2026, 1, 11), Referral.Status.WITHDRAWN)
    referral(s3, partner, date(2025, 5, 20))

    for number in range(3):
        participation(a, number)
    participation(a, 3, isced_level=None)
    participation(a, 4, labour_status_at_entry="UNEMPLOYED")
    participation(a, 5, entry=date(2026, 6, 1), gender="")
    return world


def test_each_check_per_site(data, django_assert_num_queries):
    with django_assert_num_queries(len(CHECKS)):
        quality = site_quality([data.site_a.pk, data.site_b.pk], TODAY)
    a = quality[data.site_a.pk]
    assert a["stale_cases"] == QualityResult(2, 4, Decimal("50.0"), True)
    assert a["persons_without_consent"] == QualityResult(1, 6, Decimal("16.7"), False)
    assert a["overdue_follow_ups"] == QualityResult(1, 3, Decimal("33.3"), True)
    assert a["referrals_unanswered"] == QualityResult(2, 5, Decimal("40.0"), True)
    assert a["esf_incomplete"] == QualityResult(2, 5, Decimal("40.0"), True)
    assert quality[data.site_b.pk] == {check.key: QualityResult(0, 0, None, False) for check in CHECKS}


def test_the_threshold_is_more_than_a_third():
    assert Decimal("33") == INCOMPLETE_SHARE
    assert QualityResult.of(33, 100) == QualityResult(33, 100, Decimal("33.0"), False)
    assert QualityResult.of(34, 100) == QualityResult(34, 100, Decimal("34.0"), True)
    assert QualityResult.of(1, 3).flagged  # 33.3 %
    assert QualityResult.of(0, 0) == QualityResult(0, 0, None, False)
    assert QualityResult.of(0, 5) == QualityResult(0, 5, Decimal("0.0"), False)


def test_sites_marked_for_an_indicator(data):
    quality = site_quality([data.site_a.pk, data.site_b.pk], TODAY)
    a = data.site_a.pk
    assert incomplete_sites(quality, indicator("persons.counselled")) == {a}  # stale cases
    assert incomplete_sites(quality, indicator("goals.achieved")) == {a}  # overdue follow-ups
    assert incomplete_sites(quality, indicator("esf.entered")) == {a}
    assert incomplete_sites(quality, indicator("contacts.total")) == set()  # names no check


def test_a_site_within_the_limit_is_not_marked(data):
    # Three more open cases, opened today: 2 stale of 7 = 28.6 %.
    for name in ("Sechs", "Sieben", "Acht"):
        make_case(
            data.site_a, data.user("caseworker"), make_person(data.site_a, "Test", name), opened_on=TODAY
        )
    quality = site_quality([data.site_a.pk], TODAY)
    assert quality[data.site_a.pk]["stale_cases"] == QualityResult(2, 7, Decimal("28.6"), False)
    assert incomplete_sites(quality, indicator("persons.counselled")) == set()


def test_every_check_an_indicator_names_exists():
    keys = {check.key for check in CHECKS}
    assert {item.quality for item in indicators() if item.quality} <= keys
