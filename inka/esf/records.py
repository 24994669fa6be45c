"""Participation records as the indicator engine sees them: plain, frozen values, no database.

`selectors.participation_records` builds them from the database, `interchange` from import files,
the tests by hand. Codes are the strings of `codes.py` (and ESF.md); sensitive items are
"YES" / "NO" / "REFUSED" / "NOT_ASKED".
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ExitEvent:
    date: date
    type: str  # JOB_SEARCHING | EMPLOYED | SELF_EMPLOYED | INACTIVE_OTHER


@dataclass(frozen=True)
class Qualification:
    date: date
    title: str
    recognised: bool


@dataclass(frozen=True)
class Stay:
    entry: date
    exit: date | None  # None: still active (only the last stay)


@dataclass(frozen=True)
class ParticipationRecord:
    participation_id: str
    site: str  # the site's short code
    stays: tuple[Stay, ...]
    gender: str | None = None  # F | M | X
    date_of_birth: date | None = None
    labour_status_at_entry: str | None = None  # EMPLOYED | UNEMPLOYED | INACTIVE
    unemployed_since: date | None = None
    in_education_or_training_at_entry: bool | None = None
    isced_level: int | None = None  # given or derived from the certificates
    disability: str = "NOT_ASKED"
    third_country_national: str = "NOT_ASKED"
    foreign_background: str = "NOT_ASKED"
    minority: str = "NOT_ASKED"
    other_disadvantaged: str = "NOT_ASKED"
    homeless_or_housing_exclusion: str = "NOT_ASKED"
    rural: str = "UNKNOWN"
    household_jobless: str = "NOT_ASKED"
    household_dependent_children: str = "NOT_ASKED"
    household_single_adult: str = "NOT_ASKED"
    exit_events: tuple[ExitEvent, ...] = ()
    education_training_starts: tuple[date, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    followup_6m_status: str | None = None
    followup_6m_improved: bool | None = None

    @property
    def entry_date(self) -> date | None:
        """The first entry: output data always describe it (re-entry keeps it, rule R9)."""
        return self.stays[0].entry if self.stays else None

    @property
    def exit_date(self) -> date | None:
        """The final exit; None while the participation is active."""
        return self.stays[-1].exit if self.stays else None
