"""The ESF indicator engine: participation records in, indicator figures by gender out.

Pure functions, no database. The rules are those of ESF.md and of the study it pins
(background/esf-indicators.md §3, §5–§7): outputs count complete participations by their first entry,
results count complete participations by their final exit, every figure is broken down by gender.
"""

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from inka.esf.catalogue import INDICATORS
from inka.esf.codes import GENDERS
from inka.esf.completeness import is_complete
from inka.esf.records import ParticipationRecord

SETS = ("esf-plus", "esf-2014")

# The allowed values of each option, default first; the bool option is spelled "true"/"false".
OPTION_CHOICES: dict[str, tuple[str, ...]] = {
    "ltu_rule": ("EU_GUIDANCE", "DE_SGB3"),
    "eecr01_population": ("INACTIVE_AT_ENTRY", "NOT_UNEMPLOYED_AT_ENTRY", "ALL"),
    "eecr04_population": ("UNEMPLOYED_OR_INACTIVE_AT_ENTRY", "ALL"),
    "eecr05_population": ("ALL", "UNEMPLOYED_OR_INACTIVE_AT_ENTRY"),
    "cr06_population": ("ALL", "UNEMPLOYED_OR_INACTIVE_AT_ENTRY"),
    "cr05_component_rule": ("MIRROR", "LITERAL"),
    "disadvantaged_includes_rural": ("false", "true"),
}

RESULT_WINDOW = timedelta(days=28)  # "upon leaving": exit day to exit day + 28, both inclusive


class OptionError(ValueError):
    """An unknown option, set or value; the message is German because the command line and page show it."""


def _check_option(name: str, value: str) -> None:
    if name not in OPTION_CHOICES:
        raise OptionError(f"Unbekannte Option „{name}“. Bekannt sind: {', '.join(OPTION_CHOICES)}.")
    if value not in OPTION_CHOICES[name]:
        allowed = ", ".join(OPTION_CHOICES[name])
        raise OptionError(f"Unzulässiger Wert „{value}“ für die Option „{name}“. Erlaubt sind: {allowed}.")


@dataclass(frozen=True)
class Options:
    """The settings of ESF.md where the rules leave a choice; the defaults are the pinned ones."""

    ltu_rule: str = "EU_GUIDANCE"
    eecr01_population: str = "INACTIVE_AT_ENTRY"
    eecr04_population: str = "UNEMPLOYED_OR_INACTIVE_AT_ENTRY"
    eecr05_population: str = "ALL"
    cr06_population: str = "ALL"
    cr05_component_rule: str = "MIRROR"
    disadvantaged_includes_rural: bool = False

    def __post_init__(self) -> None:
        # A misspelt value given in code would otherwise silently count by some other rule.
        for name, value in self.as_dict().items():
            _check_option(name, str(value).lower() if isinstance(value, bool) else value)

    @classmethod
    def parse(cls, values: Mapping[str, str]) -> "Options":
        """Options from NAME=VALUE text (command line, stored programme settings); the rest stay default."""
        for name, value in values.items():
            _check_option(name, value)
        text = dict(values)
        rural = text.pop("disadvantaged_includes_rural", "false") == "true"
        return cls(**text, disadvantaged_includes_rural=rural)

    def as_dict(self) -> dict[str, str | bool]:
        return asdict(self)


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class Report:
    indicator_set: str
    period_from: date
    period_to: date
    sites: tuple[str, ...]
    options: Options
    records: dict[str, int]
    indicators: dict[str, dict[str, int]]

    def as_json(self) -> dict:
        """The report as the JSON object of ESF.md "Command line"."""
        return {
            "indicator_set": self.indicator_set,
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "sites": list(self.sites),
            "options": self.options.as_dict(),
            "records": dict(self.records),
            "indicators": {code: dict(counts) for code, counts in self.indicators.items()},
        }


def age_at(born: date, day: date) -> int:
    """Completed years on `day`. Comparing (month, day) pairs makes a 29 February birthday count from
    1 March in non-leap years, as German law has it."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class _Participant:
    """A complete record with the values its predicates share, derived once.

    Everything describes the first entry (rule R9); the result values are meaningful for leavers only.
    """

    record: ParticipationRecord
    options: Options
    gender: str
    age: int
    status: str
    isced: int
    long_term_unemployed: bool
    last_event: str | None  # the labour-market event that counts upon leaving
    in_education_upon_leaving: bool
    qualified: bool


def _long_term_unemployed(record: ParticipationRecord, entry: date, age: int, rule: str) -> bool:
    if record.labour_status_at_entry != "UNEMPLOYED" or record.unemployed_since is None:
        return False
    if rule == "DE_SGB3":  # § 18 SGB III: one year and longer
        return entry >= add_months(record.unemployed_since, 12)
    # EU guidance: more than 6 months below 25, more than 12 months from 25
    return entry > add_months(record.unemployed_since, 6 if age < 25 else 12)


def _in_result_window(day: date, exit_date: date | None) -> bool:
    return exit_date is not None and exit_date <= day <= exit_date + RESULT_WINDOW


def _last_event(record: ParticipationRecord) -> str | None:
    """Only the last labour-market event in the result window counts; on the same day the later one."""
    in_window = [
        (event.date, position, event.type)
        for position, event in enumerate(record.exit_events)
        if _in_result_window(event.date, record.exit_date)
    ]
    return max(in_window)[2] if in_window else None


def _qualified(record: ParticipationRecord, entry: date) -> bool:
    """A recognised qualification awarded during the participation or within the result window."""
    exit_date = record.exit_date
    return exit_date is not None and any(
        q.recognised and entry <= q.date <= exit_date + RESULT_WINDOW for q in record.qualifications
    )


def _participant(record: ParticipationRecord, options: Options) -> _Participant:
    # Only complete records get here, so the core fields are present.
    assert record.entry_date and record.date_of_birth and record.labour_status_at_entry and record.gender
    assert record.isced_level is not None
    age = age_at(record.date_of_birth, record.entry_date)
    return _Participant(
        record=record,
        options=options,
        gender=record.gender,
        age=age,
        status=record.labour_status_at_entry,
        isced=record.isced_level,
        long_term_unemployed=_long_term_unemployed(record, record.entry_date, age, options.ltu_rule),
        last_event=_last_event(record),
        in_education_upon_leaving=any(
            _in_result_window(start, record.exit_date) for start in record.education_training_starts
        ),
        qualified=_qualified(record, record.entry_date),
    )


Predicate = Callable[[_Participant], bool]

_POPULATIONS: dict[str, Predicate] = {
    "ALL": lambda p: True,
    "INACTIVE_AT_ENTRY": lambda p: p.status == "INACTIVE",
    "NOT_UNEMPLOYED_AT_ENTRY": lambda p: p.status != "UNEMPLOYED",
    "UNEMPLOYED_OR_INACTIVE_AT_ENTRY": lambda p: p.status in ("UNEMPLOYED", "INACTIVE"),
}


def _unemployed(p: _Participant) -> bool:
    return p.status == "UNEMPLOYED"


def _inactive(p: _Participant) -> bool:
    return p.status == "INACTIVE"


def _employed(p: _Participant) -> bool:
    return p.status == "EMPLOYED"


def _inactive_not_in_education(p: _Participant) -> bool:
    return _inactive(p) and not p.record.in_education_or_training_at_entry


def _job_searching(p: _Participant) -> bool:
    return p.last_event == "JOB_SEARCHING"


def _employed_upon_leaving(p: _Participant) -> bool:
    return p.last_event in ("EMPLOYED", "SELF_EMPLOYED")


def _employed_6m(p: _Participant) -> bool:
    # Not recorded and NO_RESPONSE both count as not employed.
    return p.record.followup_6m_status in ("EMPLOYED", "SELF_EMPLOYED")


def _improved_6m(p: _Participant) -> bool:
    return _employed(p) and _employed_6m(p) and p.record.followup_6m_improved is True


def _yes(answer: str) -> bool:
    """Only YES counts; refused, not asked and unknown never do."""
    return answer == "YES"


def _disadvantaged(p: _Participant) -> bool:
    """DIS(p): any of the disadvantages CO12–CO18, rural (CO19) only when the option says so."""
    codes: tuple[str, ...] = ("CO12", "CO13", "CO14", "CO15", "CO16", "CO17", "CO18")
    if p.options.disadvantaged_includes_rural:
        codes += ("CO19",)
    return any(PREDICATES[code](p) for code in codes)


def _cr05(p: _Participant) -> bool:
    if p.options.cr05_component_rule == "MIRROR":
        achieved = any(PREDICATES[code](p) for code in ("CR01", "CR02", "CR03", "CR04"))
    else:  # LITERAL: the four outcomes whatever the status at entry
        achieved = (
            _job_searching(p) or p.in_education_upon_leaving or p.qualified or _employed_upon_leaving(p)
        )
    return _disadvantaged(p) and achieved


PREDICATES: dict[str, Predicate] = {
    # ESF+ 2021–2027, outputs
    "EECO01": _unemployed,
    "EECO02": lambda p: p.long_term_unemployed,
    "EECO03": _inactive,
    "EECO04": _employed,
    "EECO05": lambda p: p.age < 18,
    "EECO06": lambda p: 18 <= p.age <= 29,
    "EECO07": lambda p: p.age >= 55,
    "EECO08": lambda p: p.isced <= 2,
    "EECO09": lambda p: p.isced in (3, 4),
    "EECO10": lambda p: p.isced >= 5,
    "EECO11": lambda p: True,  # the three labour statuses together: every complete participation
    "EECO12": lambda p: _yes(p.record.disability),
    "EECO13": lambda p: _yes(p.record.third_country_national),
    "EECO14": lambda p: _yes(p.record.foreign_background),
    "EECO15": lambda p: _yes(p.record.minority),
    "EECO16": lambda p: _yes(p.record.homeless_or_housing_exclusion),
    "EECO17": lambda p: _yes(p.record.rural),
    # ESF+ 2021–2027, results
    "EECR01": lambda p: _POPULATIONS[p.options.eecr01_population](p) and _job_searching(p),
    "EECR02": lambda p: p.in_education_upon_leaving,
    "EECR03": lambda p: p.qualified,
    "EECR04": lambda p: _POPULATIONS[p.options.eecr04_population](p) and _employed_upon_leaving(p),
    "EECR05": lambda p: _POPULATIONS[p.options.eecr05_population](p) and _employed_6m(p),
    "EECR06": _improved_6m,
    # ESF 2014–2020, outputs
    "CO01": _unemployed,
    "CO02": lambda p: p.long_term_unemployed,
    "CO03": _inactive,
    "CO04": _inactive_not_in_education,
    "CO05": _employed,
    "CO06": lambda p: p.age < 25,
    "CO07": lambda p: p.age >= 55,
    "CO08": lambda p: p.age >= 55 and (_unemployed(p) or _inactive_not_in_education(p)),
    "CO09": lambda p: p.isced in (1, 2),  # ISCED 0 is in none of CO09–CO11
    "CO10": lambda p: p.isced in (3, 4),
    "CO11": lambda p: p.isced >= 5,
    "CO12": lambda p: _yes(p.record.household_jobless),
    "CO13": lambda p: _yes(p.record.household_jobless) and _yes(p.record.household_dependent_children),
    "CO14": lambda p: _yes(p.record.household_single_adult) and _yes(p.record.household_dependent_children),
    "CO15": lambda p: _yes(p.record.foreign_background) or _yes(p.record.minority),
    "CO16": lambda p: _yes(p.record.disability),
    "CO17": lambda p: _yes(p.record.other_disadvantaged),
    "CO18": lambda p: _yes(p.record.homeless_or_housing_exclusion),
    "CO19": lambda p: _yes(p.record.rural),
    # ESF 2014–2020, results
    "CR01": lambda p: _inactive(p) and _job_searching(p),
    "CR02": lambda p: p.in_education_upon_leaving,
    "CR03": lambda p: p.qualified,
    "CR04": lambda p: _POPULATIONS["UNEMPLOYED_OR_INACTIVE_AT_ENTRY"](p) and _employed_upon_leaving(p),
    "CR05": _cr05,
    "CR06": lambda p: _POPULATIONS[p.options.cr06_population](p) and _employed_6m(p),
    "CR07": _improved_6m,
    "CR08": lambda p: p.age >= 55 and _employed_6m(p),
    "CR09": lambda p: _POPULATIONS[p.options.cr06_population](p) and _disadvantaged(p) and _employed_6m(p),
}


def _by_gender(participants: Iterable[_Participant], predicate: Predicate) -> dict[str, int]:
    counts = dict.fromkeys(GENDERS, 0)
    for participant in participants:
        if predicate(participant):
            counts[participant.gender] += 1
    return {"total": sum(counts.values()), **counts}


def compute_report(
    records: Iterable[ParticipationRecord],
    *,
    indicator_set: str = "esf-plus",
    period_from: date,
    period_to: date,
    sites: Sequence[str] = (),
    options: Options = DEFAULT_OPTIONS,
) -> Report:
    """The indicators of a set for a period (both ends inclusive).

    Records of sites other than `sites` are left out; with no sites every record counts and the
    report names the sites the records come from.
    """
    if indicator_set not in SETS:
        raise OptionError(f"Unbekannter Indikatorensatz „{indicator_set}“. Erlaubt sind: {', '.join(SETS)}.")
    covered = [record for record in records if not sites or record.site in sites]

    def in_period(day: date | None) -> bool:
        return day is not None and period_from <= day <= period_to

    entries = [record for record in covered if in_period(record.entry_date)]
    leavers = [record for record in covered if in_period(record.exit_date)]
    entrants = [_participant(record, options) for record in entries if is_complete(record)]
    complete_leavers = [_participant(record, options) for record in leavers if is_complete(record)]
    return Report(
        indicator_set=indicator_set,
        period_from=period_from,
        period_to=period_to,
        sites=tuple(sites) if sites else tuple(sorted({record.site for record in covered})),
        options=options,
        records={
            "entries": len(entries),
            "entries_complete": len(entrants),
            "leavers": len(leavers),
            "leavers_complete": len(complete_leavers),
            "followup_responses": sum(
                p.record.followup_6m_status not in (None, "NO_RESPONSE") for p in complete_leavers
            ),
        },
        indicators={
            indicator.code: _by_gender(
                entrants if indicator.kind == "output" else complete_leavers, PREDICATES[indicator.code]
            )
            for indicator in INDICATORS[indicator_set]
        },
    )
