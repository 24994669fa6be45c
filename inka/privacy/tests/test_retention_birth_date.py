"""The replacement birth date: another day of the same year with the same age on every reference day."""

from datetime import date, timedelta

import pytest
from django.db.models import Value
from hypothesis import given, settings
from hypothesis import strategies as st

from inka.cases.models import AgeBand, Person
from inka.cases.selectors import age_band_filters
from inka.cases.tests.factories import make_person
from inka.community.selectors import _age_on
from inka.esf.engine import age_at
from inka.privacy.retention import _month_ends, age_on, replacement_birth_date

births = st.dates(min_value=date(1920, 1, 1), max_value=date(2015, 12, 31))
references = st.lists(st.dates(min_value=date(2016, 1, 1), max_value=date(2040, 12, 31)), max_size=40)


def brute_force(born: date, days: list[date]) -> date | None:
    """The definition: the first other day of the year, in calendar order, with the same ages."""
    day = date(born.year, 1, 1)
    while day.year == born.year:
        if day != born and all(age_at(day, ref) == age_at(born, ref) for ref in days):
            return day
        day += timedelta(days=1)
    return None


@settings(max_examples=300, deadline=None)
@given(births, references)
def test_the_replacement_keeps_every_age_and_is_the_first_such_day(born, days):
    found = replacement_birth_date(born, days)
    assert found == brute_force(born, days)
    if found is not None:
        assert found != born and found.year == born.year
        for day in days:
            assert age_at(found, day) == age_at(born, day)


@settings(max_examples=200, deadline=None)
@given(
    births,
    st.dates(min_value=date(2016, 1, 1), max_value=date(2030, 12, 31)),
    st.lists(references, max_size=1),
)
def test_with_every_month_end_of_a_span_there_is_always_a_replacement_in_the_same_month_or_the_next_day(
    born, first, extra
):
    month_ends = _month_ends(first, first + timedelta(days=800))
    found = replacement_birth_date(born, month_ends)
    assert found is not None
    for day in month_ends:
        assert age_at(found, day) == age_at(born, day)


def test_every_python_age_of_inka_agrees_with_the_one_the_run_uses():
    for born in (date(2000, 2, 29), date(1999, 3, 1), date(1980, 12, 31), date(1980, 1, 1)):
        for day in (
            date(2023, 2, 28),
            date(2023, 3, 1),
            date(2024, 2, 28),
            date(2024, 2, 29),
            date(2024, 12, 31),
        ):
            assert age_on(born, day) == age_at(born, day) == Person(birth_date=born).age_on(day)


def test_29_february_counts_from_1_march_in_common_years():
    born = date(2000, 2, 29)
    # 28 February of a common year is before the birthday, 1 March after it: with a reference on
    # 28 February only 1 March is left, unless a leap year's 29 February is a reference too.
    assert replacement_birth_date(born, [date(2023, 2, 28), date(2023, 3, 1)]) == date(2000, 3, 1)
    assert replacement_birth_date(born, [date(2023, 2, 28), date(2024, 2, 29)]) is None
    assert replacement_birth_date(born, [date(2024, 2, 29)]) == date(2000, 1, 1)


def test_typical_cases():
    month_ends = _month_ends(date(2023, 3, 5), date(2024, 6, 1))
    assert replacement_birth_date(date(1985, 5, 10), month_ends) == date(1985, 5, 1)
    assert replacement_birth_date(date(1985, 5, 1), month_ends) == date(1985, 5, 2)
    # A session on the first of the month as well: no day keeps both ages.
    assert replacement_birth_date(date(1985, 6, 1), [*month_ends, date(2024, 6, 1)]) is None
    # Born on 1 January with a reference on 1 January: nothing before it, nothing after it.
    assert replacement_birth_date(date(1990, 1, 1), [date(2024, 1, 1)]) is None
    assert replacement_birth_date(date(1990, 12, 31), [date(2024, 12, 30)]) is None
    assert replacement_birth_date(date(1990, 12, 31), []) == date(1990, 1, 1)


BIRTHS = (date(2000, 2, 28), date(2000, 2, 29), date(2000, 3, 1), date(2001, 2, 28), date(2001, 3, 1))
DAYS = (date(2023, 2, 28), date(2023, 3, 1), date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1))


@pytest.mark.django_db
def test_the_sql_age_bands_and_ages_agree_with_the_one_the_run_uses(world):
    persons = {make_person(world.site_a, last_name=f"P{born}", birth_date=born).pk: born for born in BIRTHS}
    rows = Person.objects.filter(pk__in=persons)
    for day in DAYS:
        # Monitoring: the age band on a period's last day, as a filter on the birth date.
        for band, condition in age_band_filters("birth_date", day).items():
            found = set(rows.filter(condition).values_list("pk", flat=True))
            assert found == {pk for pk, born in persons.items() if band_of(age_on(born, day)) == band}
        # Community: the age on the session's day, computed by the database.
        ages = dict(rows.annotate(day=Value(day), age=_age_on("day", "birth_date")).values_list("pk", "age"))
        assert ages == {pk: age_on(born, day) for pk, born in persons.items()}


def band_of(age: int) -> str:
    return next(band for band in reversed(AgeBand.values) if age >= int(band.rstrip("+").split("-")[0]))
