"""Properties of the indicator engine that hold for any participation records, any period and any options."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from inka.esf.catalogue import INDICATORS
from inka.esf.engine import OPTION_CHOICES, Options, Report, add_months, compute_report
from inka.esf.records import ExitEvent, ParticipationRecord, Qualification, Stay

ANSWERS = st.sampled_from(["YES", "NO", "REFUSED", "NOT_ASKED"])
SENSITIVE = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "other_disadvantaged",
    "homeless_or_housing_exclusion",
    "household_jobless",
    "household_dependent_children",
    "household_single_adult",
)
BREAKDOWN = ("total", "F", "M", "X")
PROPERTY = settings(max_examples=30, deadline=None)


def days_after(day: date, low: int, high: int) -> st.SearchStrategy[date]:
    return st.integers(low, high).map(lambda offset: day + timedelta(days=offset))


@st.composite
def complete_records(draw: st.DrawFn) -> ParticipationRecord:
    """A complete participation with one to three stays between 2022 and 2026, and results around its exit."""
    entry = draw(st.dates(date(2022, 1, 1), date(2026, 6, 30)))
    stays, start = [], entry
    for _ in range(draw(st.integers(1, 3))):
        end = draw(days_after(start, 0, 200))
        stays.append(Stay(start, end))
        start = draw(days_after(end, 1, 120))
    if draw(st.booleans()):
        stays[-1] = Stay(stays[-1].entry, None)  # still active
    last = stays[-1].exit or stays[-1].entry
    status = draw(st.sampled_from(["EMPLOYED", "UNEMPLOYED", "INACTIVE"]))
    # Ages near the limits of the age indicators turn up often, birthdays on the entry day or the day after.
    age = draw(st.one_of(st.sampled_from([17, 18, 24, 25, 29, 30, 54, 55]), st.integers(14, 75)))
    born = add_months(entry, -12 * age) - timedelta(days=draw(st.integers(-1, 364)))
    return ParticipationRecord(
        participation_id=str(draw(st.integers(0, 10**6))),  # the engine never looks at it
        site=draw(st.sampled_from(["ALT", "GER"])),
        stays=tuple(stays),
        gender=draw(st.sampled_from(["F", "M", "X"])),
        date_of_birth=born,
        labour_status_at_entry=status,
        unemployed_since=draw(days_after(entry, -900, 0)) if status == "UNEMPLOYED" else None,
        in_education_or_training_at_entry=draw(st.booleans()) if status == "INACTIVE" else None,
        isced_level=draw(st.integers(0, 8)),
        **{name: draw(ANSWERS) for name in SENSITIVE},
        rural=draw(st.sampled_from(["YES", "NO", "UNKNOWN"])),
        exit_events=tuple(
            draw(
                st.lists(
                    st.builds(
                        ExitEvent,
                        days_after(last, -3, 40),
                        st.sampled_from(["JOB_SEARCHING", "EMPLOYED", "SELF_EMPLOYED", "INACTIVE_OTHER"]),
                    ),
                    max_size=4,
                )
            )
        ),
        education_training_starts=tuple(draw(st.lists(days_after(last, -3, 40), max_size=2))),
        qualifications=tuple(
            draw(
                st.lists(
                    st.builds(Qualification, days_after(entry, -5, 400), st.just("Q"), st.booleans()),
                    max_size=2,
                )
            )
        ),
        followup_6m_status=draw(
            st.sampled_from([None, "EMPLOYED", "SELF_EMPLOYED", "UNEMPLOYED", "INACTIVE", "NO_RESPONSE"])
        ),
        followup_6m_improved=draw(st.sampled_from([None, True, False])),
    )


# Ways to lose one item that makes a record count.
INCOMPLETE = [
    lambda r: replace(r, gender=None),
    lambda r: replace(r, date_of_birth=None),
    lambda r: replace(r, labour_status_at_entry=None),
    lambda r: replace(r, isced_level=None),
    lambda r: replace(r, labour_status_at_entry="UNEMPLOYED", unemployed_since=None),
    lambda r: replace(r, labour_status_at_entry="INACTIVE", in_education_or_training_at_entry=None),
]
incomplete_records = st.builds(
    lambda record, blank: blank(record), complete_records(), st.sampled_from(INCOMPLETE)
)
record_lists = st.lists(complete_records(), max_size=10)
options = st.fixed_dictionaries(
    {name: st.sampled_from(values) for name, values in OPTION_CHOICES.items()}
).map(Options.parse)


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.dates(date(2022, 1, 1), date(2026, 12, 31)))
    return start, draw(days_after(start, 0, 800))


def reports(
    records: list[ParticipationRecord], period: tuple[date, date], chosen: Options
) -> dict[str, Report]:
    return {
        indicator_set: compute_report(
            records, indicator_set=indicator_set, period_from=period[0], period_to=period[1], options=chosen
        )
        for indicator_set in INDICATORS
    }


def codes_of(kind: str) -> list[str]:
    return [item.code for items in INDICATORS.values() for item in items if item.kind == kind]


def in_period(day: date | None, period: tuple[date, date]) -> bool:
    return day is not None and period[0] <= day <= period[1]


@PROPERTY
@given(record_lists, periods(), options)
def test_the_total_is_the_three_labour_statuses_and_the_isced_groups(records, period, chosen) -> None:
    plus, legacy = reports(records, period, chosen).values()
    p, c = plus.indicators, legacy.indicators
    for key in BREAKDOWN:
        assert p["EECO01"][key] + p["EECO03"][key] + p["EECO04"][key] == p["EECO11"][key]
        assert c["CO01"][key] + c["CO03"][key] + c["CO05"][key] == p["EECO11"][key]
        assert p["EECO08"][key] + p["EECO09"][key] + p["EECO10"][key] == p["EECO11"][key]
        assert c["CO09"][key] + c["CO10"][key] + c["CO11"][key] <= p["EECO11"][key]  # ISCED 0 is in none
    assert p["EECO11"]["total"] == plus.records["entries_complete"] == legacy.records["entries_complete"]


@PROPERTY
@given(record_lists, periods(), options)
def test_sub_indicators_never_exceed_their_parent(records, period, chosen) -> None:
    plus, legacy = reports(records, period, chosen).values()
    figures = {**plus.indicators, **legacy.indicators}
    leavers = plus.records["leavers_complete"]
    responses = plus.records["followup_responses"]

    def total(*codes: str, key: str = "total") -> int:
        return sum(figures[code][key] for code in codes)

    subsets = [
        ("EECO02", "EECO01"),
        ("CO02", "CO01"),
        ("CO04", "CO03"),
        ("CO08", "CO07"),
        ("CO13", "CO12"),
        ("CR09", "CR06"),
    ]
    if chosen.eecr05_population == "ALL":
        subsets.append(("EECR06", "EECR05"))
    if chosen.cr06_population == "ALL":
        subsets += [("CR07", "CR06"), ("CR08", "CR06")]
    for key in BREAKDOWN:
        for sub, parent in subsets:
            assert total(sub, key=key) <= total(parent, key=key), (sub, parent)
        assert total("EECO05", "EECO06", "EECO07", key=key) <= total("EECO11", key=key)
        if chosen.cr05_component_rule == "MIRROR":
            assert total("CR05", key=key) <= total("CR01", "CR02", "CR03", "CR04", key=key)
    # Job searching and employment upon leaving exclude each other.
    assert total("EECR01", "EECR04") <= leavers
    assert total("CR01", "CR04") <= leavers
    assert total("EECR04") <= leavers
    for code in ("EECR05", "CR06"):
        assert total(code) <= responses <= leavers


@PROPERTY
@given(record_lists, periods(), options)
def test_every_breakdown_adds_up(records, period, chosen) -> None:
    for result in reports(records, period, chosen).values():
        for counts in result.indicators.values():
            assert counts["F"] + counts["M"] + counts["X"] == counts["total"]


@PROPERTY
@given(record_lists, periods(), options)
def test_no_indicator_exceeds_its_population(records, period, chosen) -> None:
    for result in reports(records, period, chosen).values():
        totals = result.records
        assert totals["entries_complete"] <= totals["entries"]
        assert totals["leavers_complete"] <= totals["leavers"]
        for code, counts in result.indicators.items():
            population = "entries_complete" if code in codes_of("output") else "leavers_complete"
            assert counts["total"] <= totals[population], code


@PROPERTY
@given(record_lists, st.lists(incomplete_records, min_size=1, max_size=5), periods(), options)
def test_incomplete_records_change_only_the_record_totals(records, incomplete, period, chosen) -> None:
    before = reports(records, period, chosen)
    after = reports([*incomplete, *records], period, chosen)
    entered = sum(in_period(record.entry_date, period) for record in incomplete)
    left = sum(in_period(record.exit_date, period) for record in incomplete)
    for indicator_set, result in after.items():
        assert result.indicators == before[indicator_set].indicators
        assert result.records == {
            **before[indicator_set].records,
            "entries": before[indicator_set].records["entries"] + entered,
            "leavers": before[indicator_set].records["leavers"] + left,
        }


@PROPERTY
@given(record_lists, st.lists(complete_records(), max_size=5), periods(), options)
def test_results_come_only_from_leavers_of_the_period(records, others, period, chosen) -> None:
    not_leaving = [record for record in others if not in_period(record.exit_date, period)]
    before = reports(records, period, chosen)
    after = reports([*records, *not_leaving], period, chosen)
    for indicator_set, result in after.items():
        for code in codes_of("result"):
            if code in result.indicators:
                assert result.indicators[code] == before[indicator_set].indicators[code], code
        for key in ("leavers", "leavers_complete", "followup_responses"):
            assert result.records[key] == before[indicator_set].records[key]
