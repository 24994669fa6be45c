"""The indicator catalogue (M3): every programme indicator defined once, with what it means.

An indicator names the selector of the app that counts it (monitoring reads other apps only through
their selectors), how it behaves over time (its kind) and how it breaks down. The dashboards, the
period reports and the exports all read this list; its German texts are shown to users as they are.

Selector signatures, by kind:
* FLOW, AMOUNT and both parts of a SHARE count events by month:
  ``measure(*, site_ids, start, end, by=None) -> Counts`` keyed (site id, "YYYY-MM", breakdown value),
  built with ``inka.core.aggregates.per_month``;
* DISTINCT, STOCK and INDEX are counted for each period on its own:
  ``measure(*, site_ids, periods, by=None) -> Counts`` keyed (site id, period key, breakdown value),
  built with ``inka.core.aggregates.per_period``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inka.core.aggregates import Counts


class Kind(StrEnum):
    FLOW = "flow"  # events; months add up to quarters and years
    DISTINCT = "distinct"  # different persons (or things) in the period; periods do not add up
    STOCK = "stock"  # a state on the last day of the period (the current period: today)
    SHARE = "share"  # part of a whole, both counted as FLOW; shown as a percentage
    AMOUNT = "amount"  # a sum that is not a count (hours); months add up
    INDEX = "index"  # a score (partner-survey index 0–100); not added up


class Section(models.TextChoices):
    CASE_WORK = "case_work", _("Case work")
    EMPLOYMENT = "employment", _("Job integration")
    ESF = "esf", _("ESF participation")
    COMMUNITY = "community", _("Neighbourhood work")
    NETWORK = "network", _("Network and steering")


@dataclass(frozen=True)
class Breakdown:
    """A dimension an indicator can be split by; `additive`: every record falls in exactly one value."""

    key: str
    label: str | Promise
    choices: Callable[[], Sequence[tuple[str, Any]]]  # (value, label) in display order; "" = unknown
    additive: bool = True


@dataclass(frozen=True)
class Indicator:
    code: str
    section: str
    name: str | Promise
    definition: str | Promise
    unit: str | Promise
    kind: Kind
    measure: Callable[..., Counts]
    breakdowns: tuple[str, ...] = ()
    whole: Callable[..., Counts] | None = None  # SHARE: the selector of the whole
    guard: str | None = None  # AMOUNT: the count whose hidden cells hide this one outside the team
    quality: str | None = None  # the data-quality check that marks a site as incomplete for it
    key_figure: bool = False  # shown on the programme dashboard's overview and as a map choice

    def __post_init__(self) -> None:
        if (self.kind == Kind.SHARE) != (self.whole is not None):
            raise ValueError(f"{self.code}: a share needs a whole, and only a share has one.")


@cache
def breakdowns() -> dict[str, Breakdown]:
    """The dimensions, by key (built on first use: the choices come from the apps' models)."""
    from inka.monitoring.indicators import BREAKDOWNS

    return {breakdown.key: breakdown for breakdown in BREAKDOWNS}


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every indicator, in the order of the catalogue page."""
    from inka.monitoring.indicators import INDICATORS

    codes = [indicator.code for indicator in INDICATORS]
    if len(set(codes)) != len(codes):
        raise ValueError("Indicator codes must be unique.")
    known = breakdowns()
    for indicator in INDICATORS:
        if unknown := set(indicator.breakdowns) - set(known):
            raise ValueError(f"{indicator.code}: unknown breakdowns {sorted(unknown)}.")
    return tuple(INDICATORS)


def indicator(code: str) -> Indicator:
    """The indicator with `code`; KeyError for an unknown one."""
    for candidate in indicators():
        if candidate.code == code:
            return candidate
    raise KeyError(code)
