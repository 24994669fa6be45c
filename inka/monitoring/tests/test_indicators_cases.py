"""The case-work indicators on a small fixed data set, every figure computed by hand.

Site A ("Nord"), today 20 May 2026:

person  gender  born        cases (opened – closed)                contacts in cases
Anna    f       1990-06-15  C1 2025-11-03                          2025-11-03 walk-in, 2026-01-10 home
                                                                   visit (money, housing), 2026-02-20 outreach
Bernd   m       2008-03-31  C2 2026-01-15 – 2026-03-31 (referred)  2026-01-15 phone, 2026-03-31 accompaniment
Chris   –       –           C3 2024-06-01 – 2025-12-01 (goals)     2024-06-01 walk-in
                            C4 2026-02-01                          2026-02-02 appointment
Emil    m       1996-02-29  C6 2026-02-10                          2026-02-10 phone
Frida   f       1970-01-01  C7 2026-04-01                          –

Anonymous contacts at A: 2025-12-31 phone (m, 65+), 2026-01-05 outreach (f, 30-44),
2026-03-31 walk-in (nothing recorded, no topic). Every other contact has the topic "money".
Site B ("Süd"): Dora (f, 1960) C5 2026-01-20 with a walk-in that day; an anonymous outreach contact
on 2026-02-01.
"""

from datetime import date
from decimal import Decimal

import pytest

from inka.cases import selectors
from inka.cases.models import Case, Contact, ContactMode, ContactTopic, Goal, Progress, Referral
from inka.cases.selectors import age_band_filters
from inka.cases.tests.factories import make_case, make_partner, make_person
from inka.core.aggregates import Period
from inka.monitoring.catalogue import indicator
from inka.monitoring.figures import Ratio, exact_figures

TODAY = date(2026, 5, 20)
Q1 = Period("2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
FEBRUARY = Period("2026-02", date(2026, 2, 1), date(2026, 2, 28))
MARCH = Period("2026-03", date(2026, 3, 1), date(2026, 3, 31))
YEAR_2025 = Period("2025", date(2025, 1, 1), date(2025, 12, 31))
# Ends the day before Bernd turns 18 and after Emil (born 29 February) turned 30 on 1 March.
EDGE = Period("edge", date(2026, 1, 1), date(2026, 3, 30))
SPAN = {"start": date(2022, 1, 1), "end": TODAY}
M = ContactMode


def contact(site, author, day, mode, case=None, topics=("money",), **fields):
    made = Contact.objects.create(site=site, case=case, author=author, occurred_on=day, mode=mode, **fields)
    for topic in topics:
        ContactTopic.objects.create(contact=made, topic=topic)
    return made


def referral(case, partner, sent_on, status, answered_on=None):
    return Referral.objects.create(
        case=case,
        partner=partner,
        purpose="Beratung",
        consent_override_reason="Notlage",
        status=status,
        sent_on=sent_on,
        answered_on=answered_on,
        created_by=case.caseworker,
    )


def goal(case, topic, status, done_on=None):
    return Goal.objects.create(case=case, title="Ziel", topic=topic, status=status, done_on=done_on)


@pytest.fixture
def data(world):
    a, b, worker = world.site_a, world.site_b, world.user("caseworker")
    anna = make_person(a, "Anna", "Arnold", gender="f", birth_date=date(1990, 6, 15))
    bernd = make_person(a, "Bernd", "Berger", gender="m", birth_date=date(2008, 3, 31))
    chris = make_person(a, "Chris", "Claus", gender="", birth_date=None)
    emil = make_person(a, "Emil", "Ernst", gender="m", birth_date=date(1996, 2, 29))
    frida = make_person(a, "Frida", "Fuchs", gender="f", birth_date=date(1970, 1, 1))
    dora = make_person(b, "Dora", "Dietz", gender="f", birth_date=date(1960, 1, 1))
    c1 = make_case(a, worker, anna, opened_on=date(2025, 11, 3))
    c2 = make_case(a, worker, bernd, opened_on=date(2026, 1, 15))
    c3 = make_case(a, worker, chris, opened_on=date(2024, 6, 1))
    Case.objects.filter(pk=c3.pk).update(
        status=Case.Status.CLOSED, closed_on=date(2025, 12, 1), close_reason=Case.CloseReason.GOALS_ACHIEVED
    )
    c4 = make_case(a, worker, chris, consent=False, opened_on=date(2026, 2, 1))
    c6 = make_case(a, worker, emil, opened_on=date(2026, 2, 10))
    make_case(a, worker, frida, opened_on=date(2026, 4, 1))
    c5 = make_case(b, world.user("other_caseworker"), dora, opened_on=date(2026, 1, 20))

    contact(a, worker, date(2025, 11, 3), M.WALK_IN, c1)
    contact(a, worker, date(2026, 1, 10), M.HOME_VISIT, c1, topics=("money", "housing"))
    contact(a, worker, date(2026, 2, 20), M.OUTREACH, c1)
    contact(a, worker, date(2026, 1, 15), M.PHONE, c2)
    contact(a, worker, date(2026, 3, 31), M.ACCOMPANIMENT, c2)
    contact(a, worker, date(2024, 6, 1), M.WALK_IN, c3)
    contact(a, worker, date(2026, 2, 2), M.APPOINTMENT, c4)
    contact(a, worker, date(2026, 2, 10), M.PHONE, c6)
    contact(a, worker, date(2025, 12, 31), M.PHONE, gender="m", age_band="65+")
    contact(a, worker, date(2026, 1, 5), M.OUTREACH, gender="f", age_band="30-44")
    contact(a, worker, date(2026, 3, 31), M.WALK_IN, topics=())
    contact(b, worker, date(2026, 1, 20), M.WALK_IN, c5)
    contact(b, worker, date(2026, 2, 1), M.OUTREACH)
    Case.objects.filter(pk=c2.pk).update(
        status=Case.Status.CLOSED, closed_on=date(2026, 3, 31), close_reason=Case.CloseReason.REFERRED
    )

    debts = make_partner(a, "Schuldnerberatung", kind="debt_counselling")
    jobcenter = make_partner(a, "Jobcenter Altenburger Land", kind="jobcenter")
    status = Referral.Status
    referral(c1, debts, date(2026, 1, 12), status.ACCEPTED, date(2026, 1, 14))
    referral(c1, jobcenter, date(2026, 2, 25), status.SENT)
    referral(c2, jobcenter, date(2026, 3, 31), status.DECLINED, date(2026, 4, 2))
    referral(c2, debts, date(2026, 1, 20), status.WITHDRAWN)  # withdrawn before any answer
    referral(c1, debts, date(2025, 12, 31), status.COMPLETED, date(2026, 1, 5))
    referral(
        c6, jobcenter, date(2026, 2, 11), status.WITHDRAWN, date(2026, 2, 12)
    )  # accepted, then withdrawn
    referral(c5, debts, date(2026, 2, 1), status.SENT)

    goal(c1, "money", Progress.ACHIEVED, date(2026, 1, 31))
    goal(c1, "housing", Progress.ACHIEVED, date(2026, 4, 1))
    goal(c2, "work", Progress.GIVEN_UP, date(2026, 2, 1))
    goal(c6, "", Progress.ACHIEVED, date(2026, 3, 31))
    goal(c1, "health", Progress.OPEN)
    return world


def monthly(selector, data, **arguments):
    return selector(site_ids=[data.site_a.pk, data.site_b.pk], **SPAN, **arguments)


def only(counts, site):
    """The counts of one site, without the site in the key."""
    return {key[1:]: number for key, number in counts.items() if key[0] == site.pk}


# --- Contacts ------------------------------------------------------------------------------------


def test_contacts_by_month(data):
    counts = monthly(selectors.contact_counts, data)
    assert only(counts, data.site_a) == {
        ("2024-06", None): 1,
        ("2025-11", None): 1,
        ("2025-12", None): 1,
        ("2026-01", None): 3,
        ("2026-02", None): 3,
        ("2026-03", None): 2,
    }
    assert only(counts, data.site_b) == {("2026-01", None): 1, ("2026-02", None): 1}


def test_anonymous_contacts_and_contacts_in_cases(data):
    anonymous = only(monthly(selectors.contact_counts, data, anonymous=True), data.site_a)
    assert anonymous == {("2025-12", None): 1, ("2026-01", None): 1, ("2026-03", None): 1}
    in_cases = only(monthly(selectors.contact_counts, data, anonymous=False), data.site_a)
    assert in_cases == {
        ("2024-06", None): 1,
        ("2025-11", None): 1,
        ("2026-01", None): 2,
        ("2026-02", None): 3,
        ("2026-03", None): 1,
    }


def test_contacts_made_by_going_out(data):
    outreach = monthly(selectors.contact_counts, data, outreach=True)
    assert only(outreach, data.site_a) == {("2026-01", None): 2, ("2026-02", None): 1, ("2026-03", None): 1}
    assert only(outreach, data.site_b) == {("2026-02", None): 1}


def test_contacts_by_mode(data):
    counts = only(monthly(selectors.contact_counts, data, by="mode"), data.site_a)
    assert {key: n for key, n in counts.items() if key[0].startswith("2026")} == {
        ("2026-01", M.HOME_VISIT): 1,
        ("2026-01", M.PHONE): 1,
        ("2026-01", M.OUTREACH): 1,
        ("2026-02", M.OUTREACH): 1,
        ("2026-02", M.APPOINTMENT): 1,
        ("2026-02", M.PHONE): 1,
        ("2026-03", M.ACCOMPANIMENT): 1,
        ("2026-03", M.WALK_IN): 1,
    }


def test_contacts_by_topic_count_once_per_topic_and_not_without_one(data):
    counts = only(monthly(selectors.contact_counts, data, by="topic"), data.site_a)
    assert {key: n for key, n in counts.items() if key[0].startswith("2026")} == {
        ("2026-01", "money"): 3,
        ("2026-01", "housing"): 1,
        ("2026-02", "money"): 3,
        ("2026-03", "money"): 1,  # the anonymous walk-in on 31 March has no topic
    }


def test_anonymous_contacts_by_gender_and_age_band_as_recorded(data):
    gender = only(monthly(selectors.contact_counts, data, anonymous=True, by="gender"), data.site_a)
    assert gender == {("2025-12", "m"): 1, ("2026-01", "f"): 1, ("2026-03", ""): 1}
    bands = only(monthly(selectors.contact_counts, data, anonymous=True, by="age_band"), data.site_a)
    assert bands == {("2025-12", "65+"): 1, ("2026-01", "30-44"): 1, ("2026-03", ""): 1}


def test_an_unknown_breakdown_is_an_error(data):
    with pytest.raises(ValueError):
        monthly(selectors.contact_counts, data, by="close_reason")


def test_the_share_of_contacts_made_by_going_out(data):
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk], today=TODAY, codes=["contacts.outreach_share"]
    )
    share = indicator("contacts.outreach_share")
    assert figures.value(share, data.site_a.pk, "2026-Q1") == Ratio(4, 8)
    assert figures.value(share, data.site_a.pk, "2026-Q1").percent == Decimal("50.0")
    assert figures.value(share, data.site_b.pk, "2026-Q1") == Ratio(1, 2)
    assert figures.value(share, None, "2026-Q1") == Ratio(5, 10)
    assert figures.value(share, data.site_a.pk, "2025") == Ratio(0, 2)
    assert figures.value(share, data.site_a.pk, "2025").percent == Decimal("0.0")
    assert figures.value(share, data.site_a.pk, "2026-Q2") == Ratio(0, 0)
    assert figures.value(share, data.site_a.pk, "2026-Q2").percent is None
    # The comparison span: January to March of both years.
    assert figures.value(share, data.site_a.pk, "2026-Q1-Q1") == Ratio(4, 8)
    assert figures.value(share, data.site_a.pk, "2025-Q1-Q1") == Ratio(0, 0)


def test_contact_indicators_roll_up_to_quarters_and_years(data):
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk],
        today=TODAY,
        codes=["contacts.total", "contacts.anonymous", "contacts.case"],
    )
    a = data.site_a.pk
    assert figures.number("contacts.total", a, "2026-Q1") == 8
    assert figures.number("contacts.total", a, "2026") == 8
    assert figures.number("contacts.total", a, "2025-Q4") == 2
    assert figures.number("contacts.total", a, "2024") == 1
    assert figures.number("contacts.total", None, "2026-Q1") == 10
    assert figures.number("contacts.anonymous", a, "2026-Q1") == 2
    assert figures.number("contacts.anonymous", a, "2026-Q1", by="gender", value="f") == 1
    assert figures.number("contacts.case", a, "2026-Q1") == 6
    assert figures.number("contacts.case", a, "2026-Q1", by="mode", value=M.PHONE) == 2
    assert figures.number("contacts.total", a, "2026-Q1", by="topic", value="money") == 7


# --- Persons -------------------------------------------------------------------------------------


def persons(data, periods, **arguments):
    return selectors.person_counts(site_ids=[data.site_a.pk, data.site_b.pk], periods=periods, **arguments)


def test_persons_counselled_count_each_person_once_per_period(data):
    counts = persons(data, [Q1, YEAR_2025, MARCH, FEBRUARY])
    a, b = data.site_a.pk, data.site_b.pk
    # Q1: Anna (2 contacts), Bernd (2), Chris (in his second case), Emil; anonymous contacts are nobody.
    assert counts == {
        (a, "2026-Q1", None): 4,
        (a, "2025", None): 1,
        (a, "2026-03", None): 1,
        (a, "2026-02", None): 3,
        (b, "2026-Q1", None): 1,
    }


def test_persons_counselled_for_the_first_time_and_further(data):
    periods = [Q1, YEAR_2025, MARCH]
    a, b = data.site_a.pk, data.site_b.pk
    # Anna's first contact was in November 2025, Chris's in 2024 (another case), Bernd's in January.
    assert persons(data, periods, first_time=True) == {
        (a, "2026-Q1", None): 2,  # Bernd, Emil
        (a, "2025", None): 1,  # Anna
        (b, "2026-Q1", None): 1,  # Dora
    }
    assert persons(data, periods, first_time=False) == {
        (a, "2026-Q1", None): 2,  # Anna, Chris
        (a, "2026-03", None): 1,  # Bernd: first counselled in January
    }


def test_persons_by_gender(data):
    a = data.site_a.pk
    assert persons(data, [Q1], by="gender") == {
        (a, "2026-Q1", "f"): 1,
        (a, "2026-Q1", "m"): 2,
        (a, "2026-Q1", ""): 1,
        (data.site_b.pk, "2026-Q1", "f"): 1,
    }
    assert persons(data, [Q1], by="gender", first_time=True) == {
        (a, "2026-Q1", "m"): 2,
        (data.site_b.pk, "2026-Q1", "f"): 1,
    }
    assert persons(data, [Q1], by="gender", first_time=False) == {
        (a, "2026-Q1", "f"): 1,
        (a, "2026-Q1", ""): 1,
    }


def test_persons_by_age_on_the_last_day_of_the_period(data):
    a = data.site_a.pk
    counts = {key: n for key, n in persons(data, [Q1, EDGE, FEBRUARY], by="age_band").items() if key[0] == a}
    assert counts == {
        # 31 March: Anna 35, Bernd 18 that day, Emil 30 (born 29 February: 30 from 1 March), Chris unknown
        (a, "2026-Q1", "30-44"): 2,
        (a, "2026-Q1", "18-29"): 1,
        (a, "2026-Q1", ""): 1,
        # 30 March: Bernd still 17
        (a, "edge", "0-17"): 1,
        (a, "edge", "30-44"): 2,
        (a, "edge", ""): 1,
        # February: Anna, Chris, Emil (29 on 28 February)
        (a, "2026-02", "30-44"): 1,
        (a, "2026-02", "18-29"): 1,
        (a, "2026-02", ""): 1,
    }
    with pytest.raises(ValueError):  # first-time persons are broken down by gender only
        persons(data, [Q1], by="age_band", first_time=True)


def test_age_bands_follow_person_age_on(data):
    """The date filters agree with Person.age_on on birthdays, 29 February and band edges."""
    from inka.cases.models import AgeBand, Person

    born = [date(2008, 3, 31), date(1996, 2, 29), date(1996, 3, 1), date(1961, 5, 20), date(1961, 5, 21)]
    people = [
        make_person(data.site_a, "Test", f"Person{index}", birth_date=day) for index, day in enumerate(born)
    ]
    for day in [
        date(2026, 3, 30),
        date(2026, 3, 31),
        date(2026, 2, 28),
        date(2028, 2, 29),
        date(2026, 5, 20),
    ]:
        filters = age_band_filters("birth_date", day)
        for person in people:
            age = person.age_on(day)
            expected = next(
                band for band in reversed(AgeBand.values) if age >= int(band.rstrip("+").split("-")[0])
            )
            found = [
                band
                for band, condition in filters.items()
                if Person.objects.filter(condition, pk=person.pk).exists()
            ]
            assert found == [expected], (person.birth_date, day)


def test_person_indicators_through_the_figures(data):
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk],
        today=TODAY,
        codes=["persons.counselled", "persons.new", "persons.continuing"],
    )
    a = data.site_a.pk
    assert figures.number("persons.counselled", a, "2026-Q1") == 4
    assert figures.number("persons.counselled", a, "2026") == 4  # not 4 + 0: distinct over the year
    assert figures.number("persons.counselled", a, "2025-Q4") == 1
    assert figures.number("persons.counselled", None, "2026-Q1") == 5
    assert figures.number("persons.counselled", a, "2026-Q1", by="age_band", value="30-44") == 2
    assert figures.number("persons.new", a, "2026", by="gender", value="m") == 2
    assert figures.number("persons.continuing", a, "2026-Q1", by="gender", value="") == 1
    assert figures.number("persons.counselled", a, "2026-Q2") == 0


# --- Cases, referrals, goals ---------------------------------------------------------------------


def test_cases_opened_and_closed(data):
    opened = only(monthly(selectors.case_counts, data, event="opened"), data.site_a)
    assert opened == {
        ("2024-06", None): 1,
        ("2025-11", None): 1,
        ("2026-01", None): 1,
        ("2026-02", None): 2,
        ("2026-04", None): 1,
    }
    closed = monthly(selectors.case_counts, data, event="closed", by="close_reason")
    assert only(closed, data.site_a) == {("2025-12", "goals_achieved"): 1, ("2026-03", "referred"): 1}
    assert only(closed, data.site_b) == {}
    with pytest.raises(ValueError):
        monthly(selectors.case_counts, data, event="opened", by="close_reason")


def test_referrals_sent_and_answered(data):
    sent = only(monthly(selectors.referral_counts, data), data.site_a)
    assert sent == {("2025-12", None): 1, ("2026-01", None): 2, ("2026-02", None): 2, ("2026-03", None): 1}
    answered = only(monthly(selectors.referral_counts, data, answered=True), data.site_a)
    # The January withdrawal came before any answer; the February one after an acceptance.
    assert answered == {
        ("2025-12", None): 1,
        ("2026-01", None): 1,
        ("2026-02", None): 1,
        ("2026-03", None): 1,
    }


def test_referrals_by_partner_kind_and_status(data):
    kinds = only(monthly(selectors.referral_counts, data, by="partner_kind"), data.site_a)
    assert kinds == {
        ("2025-12", "debt_counselling"): 1,
        ("2026-01", "debt_counselling"): 2,
        ("2026-02", "jobcenter"): 2,
        ("2026-03", "jobcenter"): 1,
    }
    answered = only(monthly(selectors.referral_counts, data, answered=True, by="partner_kind"), data.site_a)
    assert answered == {
        ("2025-12", "debt_counselling"): 1,
        ("2026-01", "debt_counselling"): 1,
        ("2026-02", "jobcenter"): 1,
        ("2026-03", "jobcenter"): 1,
    }
    status = only(monthly(selectors.referral_counts, data, by="referral_status"), data.site_a)
    assert status == {
        ("2025-12", "completed"): 1,
        ("2026-01", "accepted"): 1,
        ("2026-01", "withdrawn"): 1,
        ("2026-02", "sent"): 1,
        ("2026-02", "withdrawn"): 1,
        ("2026-03", "declined"): 1,
    }
    assert only(monthly(selectors.referral_counts, data), data.site_b) == {("2026-02", None): 1}


def test_the_answer_rate_of_referrals(data):
    figures = exact_figures(
        site_ids=[data.site_a.pk, data.site_b.pk],
        today=TODAY,
        codes=["referrals.answer_rate", "referrals.sent"],
    )
    rate = indicator("referrals.answer_rate")
    a, b = data.site_a.pk, data.site_b.pk
    assert figures.value(rate, a, "2026-Q1") == Ratio(3, 5)
    assert figures.value(rate, a, "2026-Q1").percent == Decimal("60.0")
    assert figures.value(rate, b, "2026-Q1") == Ratio(0, 1)
    assert figures.value(rate, None, "2026-Q1") == Ratio(3, 6)
    assert figures.value(rate, a, "2025") == Ratio(1, 1)
    assert figures.number("referrals.sent", a, "2026-Q1", by="partner_kind", value="jobcenter") == 3
    assert figures.number("referrals.sent", a, "2026-Q1", by="referral_status", value="withdrawn") == 2


def test_goals_achieved(data):
    counts = only(monthly(selectors.goal_counts, data), data.site_a)
    assert counts == {("2026-01", None): 1, ("2026-03", None): 1, ("2026-04", None): 1}
    topics = only(monthly(selectors.goal_counts, data, by="topic"), data.site_a)
    assert topics == {("2026-01", "money"): 1, ("2026-03", ""): 1, ("2026-04", "housing"): 1}
    figures = exact_figures(site_ids=[data.site_a.pk], today=TODAY, codes=["goals.achieved"])
    assert figures.number("goals.achieved", data.site_a.pk, "2026-Q1") == 2
    assert figures.number("goals.achieved", data.site_a.pk, "2026-Q2", by="topic", value="housing") == 1
