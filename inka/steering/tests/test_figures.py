"""The site's figures for the steering group, counted by hand from a small world."""

from datetime import date

import pytest

from inka.cases.tests.factories import make_case, make_contact, make_person
from inka.community.models import (
    Activation,
    ActivationKind,
    Attendance,
    Headcount,
    OutreachRound,
    Project,
    Session,
)
from inka.network.models import ActivityKind, NetworkActivity, Partner, PartnerKind, SitePartner
from inka.steering.figures import site_figures, suppressed

TODAY = date(2026, 5, 15)  # in the second quarter


@pytest.fixture
def counted(world):
    """Records of site A (and one of site B) whose figures are worked out in the tests below."""
    site, worker = world.site_a, world.user("caseworker")
    # Anonymous contacts: two in Q1, one in Q2, one last year; one after today, one at site B.
    for day in [date(2026, 1, 10), date(2026, 2, 1), date(2026, 4, 3), date(2025, 7, 1), date(2026, 5, 20)]:
        make_contact(site, worker, occurred_on=day)
    make_contact(world.site_b, world.user("other_caseworker"), occurred_on=date(2026, 1, 10))
    # Cases: opened in Q1, in Q2 and last year; contacts in them.
    first, second, third = (make_person(site, name, "Beispiel") for name in ["Erika", "Max", "Lena"])
    case_1 = make_case(site, worker, first, opened_on=date(2026, 1, 5))
    case_2 = make_case(site, worker, second, opened_on=date(2026, 4, 1))
    case_3 = make_case(site, worker, third, opened_on=date(2025, 11, 1))
    for case, day in [
        (case_1, date(2026, 1, 15)),
        (case_1, date(2026, 4, 10)),
        (case_2, date(2026, 4, 11)),
        (case_2, date(2026, 4, 12)),
        (case_3, date(2025, 12, 1)),
    ]:
        make_contact(site, worker, case=case, occurred_on=day)
    # Community sessions: one in Q1 (15 counted), one in Q2 (3 counted, 2 named), one to come, one last year.
    project = Project.objects.create(
        site=site,
        title="Nachbarschaftscafé",
        kind="meeting_place",
        starts_on=date(2025, 1, 1),
        created_by=worker,
    )
    winter = Session.objects.create(project=project, held_on=date(2026, 2, 1))
    Headcount.objects.create(session=winter, age_band="18-29", count=10)
    Headcount.objects.create(session=winter, age_band="30-44", count=5)
    spring = Session.objects.create(project=project, held_on=date(2026, 4, 20), attendance_mode="named")
    Headcount.objects.create(session=spring, count=3)
    Attendance.objects.create(session=spring, person=first)
    Attendance.objects.create(session=spring, person=second)
    coming = Session.objects.create(project=project, held_on=date(2026, 6, 1))
    Headcount.objects.create(session=coming, count=50)
    autumn = Session.objects.create(project=project, held_on=date(2025, 9, 1))
    Headcount.objects.create(session=autumn, count=7)
    # Outreach, activation and the network.
    OutreachRound.objects.create(
        site=site, held_on=date(2026, 3, 1), area="Markt", conversations=12, recorded_by=worker
    )
    OutreachRound.objects.create(
        site=site, held_on=date(2025, 10, 10), area="Markt", conversations=4, recorded_by=worker
    )
    for _index in range(2):
        Activation.objects.create(
            site=site,
            occurred_on=date(2026, 4, 2),
            kind=ActivationKind.ORGANISED_EVENT,
            description="Flohmarkt",
            recorded_by=worker,
        )
    NetworkActivity.objects.create(
        site=site, kind=ActivityKind.MEETING, title="Netzwerktreffen", held_on=date(2026, 1, 20)
    )
    NetworkActivity.objects.create(
        site=site, kind=ActivityKind.EVENT, title="Fachtag", held_on=date(2025, 6, 6)
    )
    for name, since, active in [
        ("Jobcenter", date(2020, 1, 1), True),
        ("Wohnungsgesellschaft", date(2026, 4, 1), True),
        ("Tafel", None, True),
        ("Alter Verein", date(2019, 1, 1), False),
    ]:
        partner = Partner.objects.create(name=name, kind=PartnerKind.OTHER, is_active=active)
        SitePartner.objects.create(site=site, partner=partner, since=since)
    return site


def rows(figures):
    return {row.figure.key: (row.quarters, row.year, row.previous_year) for row in figures.rows}


def test_figures_by_quarter_this_year_and_last_years_total(counted):
    figures = site_figures(site_id=counted.pk, today=TODAY)
    assert (figures.year, figures.quarters, figures.previous_year) == (2026, (1, 2), 2025)
    assert rows(figures) == {
        "anonymous_contacts": ((2, 1), 3, 1),
        "case_contacts": ((1, 3), 4, 1),
        "persons_counselled": ((1, 2), 2, 1),  # Erika in both quarters counts once for the year
        "cases_opened": ((1, 1), 2, 1),
        "sessions": ((1, 1), 2, 1),
        "participants": ((15, 5), 20, 7),
        "outreach_conversations": ((12, 0), 12, 4),
        "activations": ((0, 2), 2, 0),
        "partners": ((2, 3), 3, 2),  # at the end of Q1, today, and at the end of 2025
        "network_activities": ((1, 0), 1, 1),
    }


def test_the_other_site_counts_only_its_own(world, counted):
    figures = site_figures(site_id=world.site_b.pk, today=TODAY)
    assert rows(figures)["anonymous_contacts"] == ((1, 0), 1, 0)
    assert all(row.year == 0 for row in figures.rows if row.figure.key != "anonymous_contacts")


def test_counting_takes_a_handful_of_queries(counted, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        site_figures(site_id=counted.pk, today=TODAY)


def test_suppression_hides_small_figures_and_what_would_reveal_them(counted):
    figures = suppressed(site_figures(site_id=counted.pk, today=TODAY), k=3)
    shown = rows(figures)
    assert figures.suppressed_below == 3
    # 2 and 1 anonymous contacts: both quarters hidden, the total of 3 may be shown.
    assert shown["anonymous_contacts"] == ((None, None), 3, None)
    # 15 and 5 participants stay; 7 last year too.
    assert shown["participants"] == ((15, 5), 20, 7)
    # 12 and 0 conversations: the 0 is hidden, so 12 must be too (the total would tell).
    assert shown["outreach_conversations"] == ((None, None), 12, 4)
    # Different persons do not add up: only the small ones go.
    assert shown["persons_counselled"] == ((None, None), None, None)
    assert shown["partners"] == ((None, 3), 3, None)
    for quarters, year, previous in shown.values():
        assert all(value is None or value >= 3 for value in (*quarters, year, previous))
