"""The indicator engine against the hand-computed worked examples and edge cases of the ESF study.

background/esf-indicators.md §10 (Examples 1–3) and §9 (edge cases E1–E10, E17, E18, E24–E28, E33).
The worked examples must come out exactly as printed there under the default options.
"""

import json
from dataclasses import replace
from datetime import date

import pytest
from django.utils import translation

from inka.esf.catalogue import INDICATORS, OPTION_LABELS, OPTION_VALUE_LABELS, indicator
from inka.esf.engine import (
    OPTION_CHOICES,
    PREDICATES,
    SETS,
    OptionError,
    Options,
    Report,
    add_months,
    age_at,
    compute_report,
)
from inka.esf.records import ExitEvent, ParticipationRecord, Qualification, Stay

YEAR_2024 = {"period_from": date(2024, 1, 1), "period_to": date(2024, 12, 31)}
YEAR_2025 = {"period_from": date(2025, 1, 1), "period_to": date(2025, 12, 31)}
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
ALL_NO = {**dict.fromkeys(SENSITIVE, "NO"), "rural": "NO"}


def codes(indicator_set: str, kind: str | None = None) -> list[str]:
    return [item.code for item in INDICATORS[indicator_set] if kind in (None, item.kind)]


def report(records: list[ParticipationRecord], indicator_set: str = "esf-plus", **options: str) -> Report:
    """The 2024 report of the records under the given (else default) options."""
    return compute_report(records, indicator_set=indicator_set, options=Options.parse(options), **YEAR_2024)


def totals(records: list[ParticipationRecord], indicator_set: str = "esf-plus", **options: str) -> dict:
    return {
        code: counts["total"] for code, counts in report(records, indicator_set, **options).indicators.items()
    }


def counted(records: list[ParticipationRecord], indicator_set: str, code: str, **options: str) -> str:
    """Who counts in an indicator: each record reported alone, as the rules never look across records."""
    return " ".join(
        record.participation_id
        for record in records
        if report([record], indicator_set, **options).indicators[code]["total"]
    )


def by_gender(records: list[ParticipationRecord], who: str) -> dict[str, int]:
    """The breakdown a list of record ids must give."""
    genders = {record.participation_id: record.gender for record in records}
    counts = {gender: sum(genders[pid] == gender for pid in who.split()) for gender in "FMX"}
    return {"total": len(who.split()), **counts}


# Examples 1 and 2: the same nine participations of operation O1, entered and left in 2024.
EXAMPLE_1 = [
    ParticipationRecord(
        "P1",
        "O1",
        (Stay(date(2024, 3, 15), date(2024, 9, 30)),),
        gender="F",
        date_of_birth=date(1999, 3, 15),
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=date(2023, 9, 1),
        isced_level=3,
        **{**ALL_NO, "other_disadvantaged": "YES"},
        exit_events=(
            ExitEvent(date(2024, 10, 10), "JOB_SEARCHING"),
            ExitEvent(date(2024, 10, 20), "EMPLOYED"),
        ),
        followup_6m_status="EMPLOYED",
    ),
    ParticipationRecord(
        "P2",
        "O1",
        (Stay(date(2024, 3, 15), date(2024, 8, 31)),),
        gender="M",
        date_of_birth=date(1999, 3, 16),
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=date(2023, 9, 14),
        isced_level=2,
        **{**ALL_NO, "foreign_background": "YES", "rural": "YES", "household_jobless": "YES"},
        education_training_starts=(date(2024, 9, 15),),
        qualifications=(Qualification(date(2024, 8, 31), "Staplerschein", recognised=True),),
        followup_6m_status="INACTIVE",  # in training
    ),
    ParticipationRecord(
        "P3",
        "O1",
        (Stay(date(2024, 6, 30), date(2024, 12, 15)),),
        gender="F",
        date_of_birth=date(1969, 6, 30),
        labour_status_at_entry="INACTIVE",
        in_education_or_training_at_entry=False,
        isced_level=0,
        **{
            **ALL_NO,
            "disability": "YES",
            "household_jobless": "YES",
            "household_dependent_children": "YES",  # son 19, inactive
        },
        exit_events=(ExitEvent(date(2025, 1, 5), "JOB_SEARCHING"),),  # day 21
        followup_6m_status="UNEMPLOYED",
    ),
    ParticipationRecord(
        "P4",
        "O1",
        (Stay(date(2024, 6, 30), date(2024, 12, 20)),),
        gender="M",
        date_of_birth=date(1969, 7, 1),
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=date(2023, 6, 30),
        isced_level=4,
        **{
            **ALL_NO,
            "foreign_background": "REFUSED",
            "minority": "REFUSED",
            "household_dependent_children": "YES",
        },
        exit_events=(ExitEvent(date(2025, 1, 20), "EMPLOYED"),),  # day 31
        followup_6m_status="EMPLOYED",
    ),
    ParticipationRecord(
        "P5",
        "O1",
        (Stay(date(2024, 2, 1), date(2024, 7, 31)),),
        gender="F",
        date_of_birth=date(2007, 1, 10),
        labour_status_at_entry="INACTIVE",
        in_education_or_training_at_entry=True,  # pupil
        isced_level=2,
        **{**ALL_NO, "rural": "YES", "household_dependent_children": "YES"},
        exit_events=(ExitEvent(date(2024, 8, 28), "EMPLOYED"),),  # day 28
        followup_6m_status="EMPLOYED",
    ),
    ParticipationRecord(
        "P6",
        "O1",
        (Stay(date(2024, 5, 20), date(2024, 11, 30)),),
        gender="M",
        date_of_birth=date(1994, 5, 20),
        labour_status_at_entry="EMPLOYED",  # self-employed
        isced_level=6,
        **{
            **ALL_NO,
            "third_country_national": "YES",
            "foreign_background": "YES",
            "household_dependent_children": "YES",
            "household_single_adult": "YES",
        },
        exit_events=(ExitEvent(date(2024, 12, 1), "EMPLOYED"),),
        followup_6m_status="EMPLOYED",
        followup_6m_improved=True,  # part-time to full-time
    ),
    ParticipationRecord(
        "P7",
        "O1",
        (Stay(date(2024, 5, 20), date(2024, 10, 31)),),
        gender="F",
        date_of_birth=date(1994, 5, 21),
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=date(2022, 1, 10),
        isced_level=3,
        **{**ALL_NO, "homeless_or_housing_exclusion": "YES", "rural": "YES", "household_jobless": "YES"},
        exit_events=(
            ExitEvent(date(2024, 11, 5), "EMPLOYED"),
            ExitEvent(date(2024, 11, 25), "JOB_SEARCHING"),
        ),
        followup_6m_status="NO_RESPONSE",
    ),
    ParticipationRecord(  # labour status missing: incomplete
        "P8",
        "O1",
        (Stay(date(2024, 11, 11), date(2024, 12, 31)),),
        gender="F",
        date_of_birth=date(1985, 11, 11),
        isced_level=3,
        exit_events=(ExitEvent(date(2025, 1, 2), "EMPLOYED"),),
    ),
    ParticipationRecord(
        "P9",
        "O1",
        (Stay(date(2024, 1, 2), date(2024, 6, 30)),),
        gender="M",
        date_of_birth=date(1960, 1, 1),
        labour_status_at_entry="EMPLOYED",
        isced_level=3,
        **{**ALL_NO, "disability": "REFUSED"},
        followup_6m_status="INACTIVE",  # retired
    ),
]

# (codes, printed value, who) of the "Step 2: counts" table of Example 1.
EXAMPLE_1_COUNTS = [
    ("CO01 EECO01", 4, "P1 P2 P4 P7"),
    ("CO02 EECO02", 2, "P2 P7"),
    ("CO03 EECO03", 2, "P3 P5"),
    ("CO04", 1, "P3"),
    ("CO05 EECO04", 2, "P6 P9"),
    ("EECO11", 8, "P1 P2 P3 P4 P5 P6 P7 P9"),
    ("CO06", 2, "P2 P5"),
    ("CO07 EECO07", 2, "P3 P9"),
    ("CO08", 1, "P3"),
    ("CO09", 2, "P2 P5"),
    ("CO10 EECO09", 4, "P1 P4 P7 P9"),
    ("CO11 EECO10", 1, "P6"),
    ("EECO08", 3, "P2 P3 P5"),
    ("CO12", 3, "P2 P3 P7"),
    ("CO13", 1, "P3"),
    ("CO14", 1, "P6"),
    ("CO15", 2, "P2 P6"),
    ("CO16 EECO12", 1, "P3"),
    ("CO17", 1, "P1"),
    ("CO18 EECO16", 1, "P7"),
    ("CO19 EECO17", 3, "P2 P5 P7"),
    ("EECO05", 1, "P5"),
    ("EECO06", 3, "P1 P2 P7"),
    ("EECO13", 1, "P6"),
    ("EECO14", 2, "P2 P6"),
    ("EECO15", 0, ""),
]

# (codes, printed value, who) of the "Step 3: counts" table of Example 2.
EXAMPLE_2_COUNTS = [
    ("CR01 EECR01", 1, "P3"),
    ("CR02 EECR02", 1, "P2"),
    ("CR03 EECR03", 1, "P2"),
    ("CR04 EECR04", 2, "P1 P5"),
    ("CR05", 3, "P1 P2 P3"),
    ("CR06 EECR05", 4, "P1 P4 P5 P6"),
    ("CR07 EECR06", 1, "P6"),
    ("CR08", 0, ""),
    ("CR09", 2, "P1 P6"),
]


def expand(rows: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    return [(code, value, who) for row_codes, value, who in rows for code in row_codes.split()]


def test_example_1_tables_name_every_output_indicator_of_both_sets() -> None:
    named = {code for code, _, _ in expand(EXAMPLE_1_COUNTS)}
    assert named == set(codes("esf-plus", "output")) | set(codes("esf-2014", "output"))


@pytest.mark.parametrize(("code", "value", "who"), expand(EXAMPLE_1_COUNTS))
def test_example_1_output_indicators(code: str, value: int, who: str) -> None:
    indicator_set = "esf-plus" if code.startswith("EE") else "esf-2014"
    assert len(who.split()) == value
    assert report(EXAMPLE_1, indicator_set).indicators[code] == by_gender(EXAMPLE_1, who)
    assert counted(EXAMPLE_1, indicator_set, code) == who


def test_example_1_record_totals_and_grand_total() -> None:
    figures = report(EXAMPLE_1)
    assert figures.records["entries"] == 9  # grand total of records, P8 included
    assert figures.records["entries_complete"] == 8
    assert figures.indicators["EECO11"] == {"total": 8, "F": 4, "M": 4, "X": 0}
    assert report(EXAMPLE_1, "esf-2014").records == figures.records


def test_example_1_total_is_the_three_labour_statuses_and_isced_0_is_in_no_co_education_indicator() -> None:
    esf_plus, esf_2014 = totals(EXAMPLE_1), totals(EXAMPLE_1, "esf-2014")
    assert esf_2014["CO01"] + esf_2014["CO03"] + esf_2014["CO05"] == esf_plus["EECO11"] == 8
    assert esf_2014["CO09"] + esf_2014["CO10"] + esf_2014["CO11"] == 7
    assert esf_plus["EECO08"] + esf_plus["EECO09"] + esf_plus["EECO10"] == 8


@pytest.mark.parametrize("indicator_set", SETS)
def test_example_1_long_term_unemployed_under_both_rules(indicator_set: str) -> None:
    code = "EECO02" if indicator_set == "esf-plus" else "CO02"
    eu = report(EXAMPLE_1, indicator_set, ltu_rule="EU_GUIDANCE").indicators[code]
    de = report(EXAMPLE_1, indicator_set, ltu_rule="DE_SGB3").indicators[code]
    assert eu == by_gender(EXAMPLE_1, "P2 P7")
    assert de == by_gender(EXAMPLE_1, "P4 P7")
    assert counted(EXAMPLE_1, indicator_set, code, ltu_rule="EU_GUIDANCE") == "P2 P7"
    assert counted(EXAMPLE_1, indicator_set, code, ltu_rule="DE_SGB3") == "P4 P7"  # same count, others


@pytest.mark.parametrize(("code", "value", "who"), expand(EXAMPLE_2_COUNTS))
def test_example_2_result_indicators(code: str, value: int, who: str) -> None:
    indicator_set = "esf-plus" if code.startswith("EE") else "esf-2014"
    assert len(who.split()) == value
    assert report(EXAMPLE_1, indicator_set).indicators[code] == by_gender(EXAMPLE_1, who)
    assert counted(EXAMPLE_1, indicator_set, code) == who


def test_example_2_tables_name_every_result_indicator_of_both_sets() -> None:
    named = {code for code, _, _ in expand(EXAMPLE_2_COUNTS)}
    assert named == set(codes("esf-plus", "result")) | set(codes("esf-2014", "result"))


def test_example_2_record_totals() -> None:
    # Complete leavers in 2024 = 8; everyone but P7 (no response) has a follow-up answer.
    assert report(EXAMPLE_1).records == {
        "entries": 9,
        "entries_complete": 8,
        "leavers": 9,
        "leavers_complete": 8,
        "followup_responses": 7,
    }


@pytest.mark.parametrize(
    ("options", "changed"),
    [
        ({"eecr01_population": "ALL"}, {"EECR01": "P3 P7"}),
        ({"cr05_component_rule": "LITERAL"}, {"CR05": "P1 P2 P3 P6 P7"}),
        # The study lists CR05 only; CR09 shares DIS(p), so rural-only P5 (employed at six months) joins too.
        ({"disadvantaged_includes_rural": "true"}, {"CR05": "P1 P2 P3 P5", "CR09": "P1 P5 P6"}),
        (
            {"cr06_population": "UNEMPLOYED_OR_INACTIVE_AT_ENTRY"},
            {"CR06": "P1 P4 P5", "CR09": "P1"},
        ),
        ({"eecr05_population": "UNEMPLOYED_OR_INACTIVE_AT_ENTRY"}, {"EECR05": "P1 P4 P5"}),
    ],
)
def test_example_2_figures_under_non_default_settings(
    options: dict[str, str], changed: dict[str, str]
) -> None:
    for indicator_set in SETS:
        default = report(EXAMPLE_1, indicator_set).indicators
        changed_report = report(EXAMPLE_1, indicator_set, **options).indicators
        expected = {code: by_gender(EXAMPLE_1, who) for code, who in changed.items() if code in default}
        assert changed_report == {**default, **expected}
        for code in expected:
            assert counted(EXAMPLE_1, indicator_set, code, **options) == changed[code]


# Example 3: re-entry, two operations, missing data, leap day. The study gives no genders; any will do.
Q1_BEFORE_REENTRY = ParticipationRecord(
    "Q1",
    "A",
    (Stay(date(2024, 11, 4), date(2024, 12, 20)),),
    gender="F",
    date_of_birth=date(2000, 2, 29),
    labour_status_at_entry="UNEMPLOYED",
    unemployed_since=date(2024, 3, 1),
    isced_level=2,
)
Q1 = replace(
    Q1_BEFORE_REENTRY,
    stays=(*Q1_BEFORE_REENTRY.stays, Stay(date(2025, 3, 3), date(2025, 6, 30))),
    exit_events=(ExitEvent(date(2025, 7, 14), "EMPLOYED"),),  # day 14
)
Q3A = ParticipationRecord(
    "Q3a",
    "A",
    (Stay(date(2025, 1, 15), date(2025, 3, 31)),),
    gender="X",
    date_of_birth=date(1985, 4, 10),
    labour_status_at_entry="UNEMPLOYED",
    unemployed_since=date(2024, 12, 1),
    isced_level=3,
)
EXAMPLE_3_OTHERS = [
    ParticipationRecord(
        "Q2",
        "A",
        (Stay(date(2025, 2, 28), None),),
        gender="M",
        date_of_birth=date(1970, 3, 1),
        labour_status_at_entry="INACTIVE",
        in_education_or_training_at_entry=False,
        isced_level=1,
    ),
    Q3A,
    replace(Q3A, participation_id="Q3b", site="B", stays=(Stay(date(2025, 4, 1), None),)),
    ParticipationRecord(
        "Q4",
        "A",
        (Stay(date(2025, 5, 5), date(2025, 9, 30)),),
        gender="F",
        date_of_birth=date(1990, 8, 8),
        labour_status_at_entry="EMPLOYED",
        isced_level=5,
        disability="REFUSED",
        foreign_background="REFUSED",
    ),
    ParticipationRecord(  # ISCED missing: incomplete
        "Q5",
        "A",
        (Stay(date(2025, 6, 2), None),),
        gender="M",
        date_of_birth=date(1992, 2, 2),
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=date(2025, 1, 1),
    ),
    # Q6, the anonymous walk-in, is no participant and so never becomes a record.
]
EXAMPLE_3 = [Q1, *EXAMPLE_3_OTHERS]


def example_3(year: dict, **options: str) -> Report:
    return compute_report(EXAMPLE_3, options=Options.parse(options), **year)


def test_example_3_entries_2024() -> None:
    figures = {code: counts["total"] for code, counts in example_3(YEAR_2024).indicators.items()}
    printed = {"EECO11": 1, "EECO01": 1, "EECO02": 1, "EECO06": 1, "EECO08": 1}  # Q1 alone
    assert figures == {code: printed.get(code, 0) for code in codes("esf-plus")}  # no leavers in 2024
    assert example_3(YEAR_2024, ltu_rule="DE_SGB3").indicators["EECO02"]["total"] == 0


def test_example_3_entries_2025_keep_the_first_entry_of_a_re_entry() -> None:
    figures = example_3(YEAR_2025)
    printed = {
        "EECO11": 4,  # Q2, Q3a, Q3b, Q4
        "EECO01": 2,
        "EECO02": 0,
        "EECO03": 1,
        "EECO04": 1,
        "EECO06": 0,  # ages 54, 39, 39, 34
        "EECO07": 0,  # Q2 is 54 (born 1 March, entered 28 February)
        "EECO08": 1,
        "EECO09": 2,
        "EECO10": 1,
        "EECO12": 0,  # Q4 refused
        "EECO14": 0,  # Q4 refused
    }
    output_totals = {code: figures.indicators[code]["total"] for code in codes("esf-plus", "output")}
    assert output_totals == {code: printed.get(code, 0) for code in output_totals}
    assert figures.records["entries"] == 5  # Q5 is entered but incomplete; Q1 entered in 2024
    assert figures.records["entries_complete"] == 4


def test_example_3_leavers_2024_revised_to_0_after_the_re_entry() -> None:
    as_reported_in_january = compute_report([Q1_BEFORE_REENTRY, *EXAMPLE_3_OTHERS], **YEAR_2024)
    assert as_reported_in_january.records["leavers"] == 1
    assert as_reported_in_january.records["leavers_complete"] == 1
    revised = example_3(YEAR_2024)
    assert revised.records["leavers"] == 0
    assert revised.records["leavers_complete"] == 0


def test_example_3_leavers_and_results_2025() -> None:
    figures = example_3(YEAR_2025)
    assert figures.records["leavers"] == 3  # Q1 (final exit), Q3a, Q4
    assert figures.records["leavers_complete"] == 3
    assert figures.indicators["EECR04"] == {"total": 1, "F": 1, "M": 0, "X": 0}  # Q1, employed on day 14
    for code in ("EECR01", "EECR02", "EECR03"):
        assert figures.indicators[code]["total"] == 0
    # Q1's six-month follow-up (2025-12-30) is not recorded yet, so it counts nowhere.
    assert figures.records["followup_responses"] == 0
    assert figures.indicators["EECR05"]["total"] == 0


def test_example_3_sites() -> None:
    everywhere = example_3(YEAR_2025)
    assert everywhere.sites == ("A", "B")
    site_a = compute_report(EXAMPLE_3, sites=["A"], **YEAR_2025)
    assert site_a.sites == ("A",)
    assert site_a.indicators["EECO01"]["total"] == 1  # Q3b at site B is left out
    assert site_a.records["entries"] == 4


# Edge cases of §9. A complete participation entering on 1 June 2024, to vary one fact at a time.
ENTRY = date(2024, 6, 1)
EXIT = date(2024, 9, 30)


def person(**fields: object) -> ParticipationRecord:
    values: dict = {
        "participation_id": "E",
        "site": "ALT",
        "stays": (Stay(ENTRY, EXIT),),
        "gender": "X",
        "date_of_birth": date(1990, 1, 1),
        "labour_status_at_entry": "EMPLOYED",
        "isced_level": 3,
    }
    return ParticipationRecord(**{**values, **fields})


def entered_at_age(born: date) -> dict[str, int]:
    return {**totals([person(date_of_birth=born)]), **totals([person(date_of_birth=born)], "esf-2014")}


def test_e1_exactly_25_on_entry() -> None:
    figures = entered_at_age(date(1999, 6, 1))
    assert (figures["CO06"], figures["EECO06"]) == (0, 1)


def test_e2_25th_birthday_the_day_after_entry() -> None:
    assert entered_at_age(date(1999, 6, 2))["CO06"] == 1


def test_e3_exactly_55_on_entry() -> None:
    figures = entered_at_age(date(1969, 6, 1))
    assert (figures["CO07"], figures["EECO07"]) == (1, 1)


def test_e4_54_years_and_364_days() -> None:
    figures = entered_at_age(date(1969, 6, 2))
    assert (figures["CO07"], figures["EECO07"]) == (0, 0)


def test_e5_exactly_18_and_30th_birthday_on_entry() -> None:
    eighteen = entered_at_age(date(2006, 6, 1))
    assert (eighteen["EECO05"], eighteen["EECO06"]) == (0, 1)
    assert entered_at_age(date(1994, 6, 1))["EECO06"] == 0
    assert entered_at_age(date(1994, 6, 2))["EECO06"] == 1  # 29 years and 364 days


def test_e6_born_on_29_february() -> None:
    born = date(2000, 2, 29)
    assert age_at(born, date(2025, 2, 28)) == 24
    assert age_at(born, date(2025, 3, 1)) == 25
    assert age_at(born, date(2024, 2, 29)) == 24
    assert age_at(born, date(2024, 2, 28)) == 23

    def below_25(entry: date) -> int:
        record = person(date_of_birth=born, stays=(Stay(entry, None),))
        return compute_report([record], indicator_set="esf-2014", **YEAR_2025).indicators["CO06"]["total"]

    assert (below_25(date(2025, 2, 28)), below_25(date(2025, 3, 1))) == (1, 0)


def test_e7_age_and_status_stay_those_of_the_first_entry() -> None:
    reentered = person(
        date_of_birth=date(2000, 6, 15),
        stays=(Stay(date(2025, 6, 1), date(2025, 6, 10)), Stay(date(2025, 7, 1), None)),  # 24, then 25
    )
    figures = compute_report([reentered], indicator_set="esf-2014", **YEAR_2025)
    assert figures.indicators["CO06"]["total"] == 1
    assert figures.records["entries"] == 1


def unemployed(born: date, since: date, entry: date) -> ParticipationRecord:
    return person(
        date_of_birth=born,
        labour_status_at_entry="UNEMPLOYED",
        unemployed_since=since,
        stays=(Stay(entry, None),),
    )


def long_term(record: ParticipationRecord) -> tuple[int, int]:
    """(EU guidance, § 18 SGB III)."""
    return totals([record], ltu_rule="EU_GUIDANCE")["EECO02"], totals([record], ltu_rule="DE_SGB3")["EECO02"]


def test_e8_adult_unemployed_exactly_12_months() -> None:
    assert long_term(unemployed(date(1980, 1, 1), date(2023, 6, 1), date(2024, 6, 1))) == (0, 1)


def test_e9_under_25_unemployed_6_months_and_a_day() -> None:
    assert long_term(unemployed(date(2002, 1, 1), date(2023, 12, 1), date(2024, 6, 2))) == (1, 0)


def test_e10_under_25_unemployed_exactly_6_months() -> None:
    assert long_term(unemployed(date(2002, 1, 1), date(2023, 12, 1), date(2024, 6, 1))) == (0, 0)


def test_long_term_unemployment_counts_in_both_sets_alike() -> None:
    record = unemployed(date(1980, 1, 1), date(2022, 1, 1), date(2024, 6, 1))
    assert totals([record])["EECO02"] == totals([record], "esf-2014")["CO02"] == 1


@pytest.mark.parametrize("answer", ["REFUSED", "NOT_ASKED", "NO"])
@pytest.mark.parametrize("indicator_set", SETS)
def test_e17_refused_or_unasked_sensitive_items_keep_the_record_complete_and_count_nowhere(
    answer: str, indicator_set: str
) -> None:
    record = person(**dict.fromkeys(SENSITIVE, answer), rural="UNKNOWN" if answer == "NOT_ASKED" else answer)
    figures = report([record], indicator_set)
    assert figures.records["entries_complete"] == 1
    counting = {code for code, counts in figures.indicators.items() if counts["total"]}
    # Only the labour status, the ISCED level and the total count (employed, ISCED 3, age 34).
    assert counting == ({"EECO04", "EECO09", "EECO11"} if indicator_set == "esf-plus" else {"CO05", "CO10"})


@pytest.mark.parametrize(
    "missing",
    [
        {"gender": None},
        {"date_of_birth": None},
        {"labour_status_at_entry": None},
        {"isced_level": None},
        {"labour_status_at_entry": "UNEMPLOYED", "unemployed_since": None},
        {"labour_status_at_entry": "INACTIVE", "in_education_or_training_at_entry": None},
    ],
)
@pytest.mark.parametrize("indicator_set", SETS)
def test_e18_a_missing_core_item_excludes_the_record_from_every_indicator(
    missing: dict, indicator_set: str
) -> None:
    record = person(
        **{**ALL_NO, "disability": "YES", "rural": "YES"},
        exit_events=(ExitEvent(EXIT, "EMPLOYED"),),
        qualifications=(Qualification(EXIT, "Zertifikat", recognised=True),),
        followup_6m_status="EMPLOYED",
        **missing,
    )
    figures = report([record], indicator_set)
    assert figures.records == {
        "entries": 1,
        "entries_complete": 0,
        "leavers": 1,
        "leavers_complete": 0,
        "followup_responses": 0,
    }
    assert all(counts["total"] == 0 for counts in figures.indicators.values())


def leaver(*events: tuple[date, str], status: str = "INACTIVE", **fields: object) -> ParticipationRecord:
    return person(
        labour_status_at_entry=status,
        in_education_or_training_at_entry=False if status == "INACTIVE" else None,
        unemployed_since=date(2024, 1, 1) if status == "UNEMPLOYED" else None,
        exit_events=tuple(ExitEvent(day, kind) for day, kind in events),
        **fields,
    )


def upon_leaving(record: ParticipationRecord, **options: str) -> tuple[int, int]:
    """(EECR01 job searching, EECR04 employed)."""
    figures = totals([record], **options)
    return figures["EECR01"], figures["EECR04"]


def test_e24_only_the_last_event_in_the_window_counts() -> None:
    searching_then_employed = leaver((date(2024, 10, 5), "JOB_SEARCHING"), (date(2024, 10, 20), "EMPLOYED"))
    assert upon_leaving(searching_then_employed) == (0, 1)
    employed_then_searching = leaver((date(2024, 10, 1), "EMPLOYED"), (date(2024, 10, 20), "JOB_SEARCHING"))
    assert upon_leaving(employed_then_searching) == (1, 0)
    employed_then_inactive = leaver(
        (date(2024, 10, 1), "SELF_EMPLOYED"), (date(2024, 10, 2), "INACTIVE_OTHER")
    )
    assert upon_leaving(employed_then_inactive) == (0, 0)
    # The list need not be sorted; on the same day the later entry wins.
    unsorted = leaver((date(2024, 10, 20), "SELF_EMPLOYED"), (date(2024, 10, 5), "JOB_SEARCHING"))
    assert upon_leaving(unsorted) == (0, 1)
    same_day = leaver((date(2024, 10, 5), "EMPLOYED"), (date(2024, 10, 5), "JOB_SEARCHING"))
    assert upon_leaving(same_day) == (1, 0)


@pytest.mark.parametrize(
    ("day", "counts"),
    [(date(2024, 9, 29), False), (EXIT, True), (date(2024, 10, 28), True), (date(2024, 10, 29), False)],
    ids=["day before exit", "exit day", "day 28", "day 29"],
)
def test_e25_the_result_window_is_exit_day_to_day_28(day: date, counts: bool) -> None:
    assert upon_leaving(leaver((day, "EMPLOYED"))) == (0, int(counts))
    assert upon_leaving(leaver((day, "JOB_SEARCHING"))) == (int(counts), 0)
    assert totals([person(education_training_starts=(day,))])["EECR02"] == int(counts)


@pytest.mark.parametrize(
    ("day", "recognised", "counts"),
    [
        (EXIT, True, True),
        (ENTRY, True, True),
        (date(2024, 10, 28), True, True),
        (date(2024, 10, 29), True, False),
        (date(2024, 5, 31), True, False),
        (EXIT, False, False),
    ],
    ids=["exit day", "entry day", "day 28", "day 29", "before entry", "attendance only"],
)
def test_e26_qualifications(day: date, recognised: bool, counts: bool) -> None:
    record = person(qualifications=(Qualification(day, "Zertifikat", recognised),))
    assert totals([record])["EECR03"] == totals([record], "esf-2014")["CR03"] == int(counts)


def test_e27_employed_at_entry_and_on_leaving() -> None:
    record = leaver(
        (date(2024, 10, 1), "EMPLOYED"),
        status="EMPLOYED",
        followup_6m_status="EMPLOYED",
        followup_6m_improved=True,
    )
    esf_plus, esf_2014 = totals([record]), totals([record], "esf-2014")
    assert (esf_plus["EECR04"], esf_2014["CR04"]) == (0, 0)
    assert (esf_plus["EECR05"], esf_2014["CR06"]) == (1, 1)
    assert (esf_plus["EECR06"], esf_2014["CR07"]) == (1, 1)
    assert upon_leaving(record, eecr04_population="ALL") == (0, 1)
    not_improved = replace(record, followup_6m_improved=None)
    assert (totals([not_improved])["EECR06"], totals([not_improved], "esf-2014")["CR07"]) == (0, 0)


def test_improvement_counts_only_for_those_employed_at_entry() -> None:
    record = leaver(status="UNEMPLOYED", followup_6m_status="EMPLOYED", followup_6m_improved=True)
    assert totals([record])["EECR06"] == 0


def test_e28_six_months_after_31_august_is_the_end_of_february() -> None:
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        ("EMPLOYED", 1),
        ("SELF_EMPLOYED", 1),
        ("UNEMPLOYED", 0),
        ("INACTIVE", 0),
        ("NO_RESPONSE", 0),
        (None, 0),
    ],
)
def test_six_month_status(status: str | None, counts: int) -> None:
    record = leaver(status="UNEMPLOYED", followup_6m_status=status)
    assert totals([record])["EECR05"] == counts
    assert report([record]).records["followup_responses"] == int(status not in (None, "NO_RESPONSE"))


def test_e33_independent_migration_items() -> None:
    figures = totals([person(third_country_national="YES", foreign_background="REFUSED")])
    assert (figures["EECO13"], figures["EECO14"]) == (1, 0)


def test_co15_is_foreign_background_or_minority() -> None:
    def co15(**answers: str) -> int:
        return totals([person(**answers)], "esf-2014")["CO15"]

    assert (
        co15(foreign_background="YES")
        == co15(minority="YES")
        == co15(foreign_background="YES", minority="YES")
    )
    assert co15(third_country_national="YES") == 0


def test_results_count_by_the_final_exit_and_outputs_by_the_first_entry() -> None:
    entered_2023 = person(
        stays=(Stay(date(2023, 12, 1), date(2024, 3, 31)),),
        exit_events=((ExitEvent(date(2024, 4, 1), "EMPLOYED")),),
    )
    left_2025 = person(stays=(Stay(date(2024, 12, 1), date(2025, 1, 31)),), followup_6m_status="EMPLOYED")
    active = person(stays=(Stay(date(2024, 3, 1), None),), followup_6m_status="EMPLOYED")
    figures = report([entered_2023, left_2025, active])
    assert figures.records == {
        "entries": 2,
        "entries_complete": 2,
        "leavers": 1,
        "leavers_complete": 1,
        "followup_responses": 0,
    }
    assert figures.indicators["EECO11"]["total"] == 2
    assert figures.indicators["EECR05"]["total"] == 0


def test_age_at() -> None:
    assert age_at(date(1990, 6, 15), date(2024, 6, 14)) == 33
    assert age_at(date(1990, 6, 15), date(2024, 6, 15)) == 34
    assert age_at(date(1990, 6, 15), date(1990, 6, 15)) == 0


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2023, 9, 14), 6, date(2024, 3, 14)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_options_parse() -> None:
    assert Options.parse({}) == Options()
    options = Options.parse({"ltu_rule": "DE_SGB3", "disadvantaged_includes_rural": "true"})
    assert options == Options(ltu_rule="DE_SGB3", disadvantaged_includes_rural=True)
    assert Options.parse({"disadvantaged_includes_rural": "false"}).disadvantaged_includes_rural is False
    for name, values in OPTION_CHOICES.items():
        for value in values:
            assert Options.parse({name: value}).as_dict()[name] == (
                value == "true" if value in ("true", "false") else value
            )


def test_options_defaults_are_the_first_choices() -> None:
    assert Options().as_dict() == {
        name: values[0] == "true" if name == "disadvantaged_includes_rural" else values[0]
        for name, values in OPTION_CHOICES.items()
    }


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"ltu_rul": "DE_SGB3"}, ["ltu_rul"]),
        ({"indicator_set": "esf-2014"}, ["indicator_set"]),
        ({"ltu_rule": "de_sgb3"}, ["de_sgb3", "ltu_rule", "EU_GUIDANCE, DE_SGB3"]),
        ({"disadvantaged_includes_rural": "yes"}, ["yes", "disadvantaged_includes_rural", "false, true"]),
        ({"cr06_population": ""}, ["cr06_population"]),
    ],
)
def test_options_parse_errors_name_the_option_and_value(values: dict[str, str], named: list[str]) -> None:
    with pytest.raises(OptionError) as error:
        Options.parse(values)
    assert isinstance(error.value, ValueError)
    for text in named:
        assert text in str(error.value)


def test_options_built_in_code_are_checked_too() -> None:
    with pytest.raises(OptionError, match="Unzulässiger Wert „ALLE“ für die Option „eecr01_population“"):
        Options(eecr01_population="ALLE")


def test_unknown_indicator_set() -> None:
    with pytest.raises(OptionError, match="esf-2027"):
        compute_report([], indicator_set="esf-2027", **YEAR_2024)


@pytest.mark.parametrize("indicator_set", SETS)
def test_as_json_shape(indicator_set: str) -> None:
    figures = compute_report(
        [],
        indicator_set=indicator_set,
        sites=["ALT", "GER"],
        options=Options(ltu_rule="DE_SGB3"),
        **YEAR_2024,
    )
    document = json.loads(json.dumps(figures.as_json()))
    assert list(document) == ["indicator_set", "from", "to", "sites", "options", "records", "indicators"]
    assert document["indicator_set"] == indicator_set
    assert (document["from"], document["to"]) == ("2024-01-01", "2024-12-31")
    assert document["sites"] == ["ALT", "GER"]
    assert document["options"] == {**Options().as_dict(), "ltu_rule": "DE_SGB3"}
    assert document["options"]["disadvantaged_includes_rural"] is False
    assert list(document["records"]) == [
        "entries",
        "entries_complete",
        "leavers",
        "leavers_complete",
        "followup_responses",
    ]
    assert list(document["indicators"]) == codes(indicator_set)
    assert all(counts == {"total": 0, "F": 0, "M": 0, "X": 0} for counts in document["indicators"].values())


def test_catalogue() -> None:
    assert codes("esf-plus") == [f"EECO{n:02}" for n in range(1, 18)] + [f"EECR{n:02}" for n in range(1, 7)]
    assert codes("esf-2014") == [f"CO{n:02}" for n in range(1, 20)] + [f"CR{n:02}" for n in range(1, 10)]
    assert set(PREDICATES) == set(codes("esf-plus")) | set(codes("esf-2014"))
    assert {item.kind for item in INDICATORS["esf-plus"]} == {"output", "result"}
    assert all(
        item.kind == ("output" if "CO" in item.code else "result")
        for items in INDICATORS.values()
        for item in items
    )
    with translation.override("en"):
        assert str(indicator("EECO01").name) == "Unemployed, including long-term unemployed"
    assert indicator("CO16").name == indicator("EECO12").name
    with pytest.raises(KeyError):
        indicator("EECO18")


def test_option_labels_cover_every_option_and_value() -> None:
    assert set(OPTION_LABELS) == set(OPTION_CHOICES)
    assert {name: set(values) for name, values in OPTION_VALUE_LABELS.items()} == {
        name: set(values) for name, values in OPTION_CHOICES.items()
    }
