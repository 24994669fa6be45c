"""Data quality (M7): per site, how much of the data behind the indicators is incomplete, as of today.

Each check is one GROUP BY query in the app that owns the records and returns numbers only. A site
whose share of incomplete records is above `INCOMPLETE_SHARE` for a check is marked, and left out of
comparisons for every indicator that names that check (`Indicator.quality`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from inka.cases import selectors as cases
from inka.core.aggregates import statistics_scope
from inka.esf import selectors as esf
from inka.monitoring.catalogue import Indicator

INCOMPLETE_SHARE = Decimal("33")  # percent; a share above it marks the site

Tally = dict[int, tuple[int, int]]  # site id: (incomplete, total)


@dataclass(frozen=True)
class QualityCheck:
    key: str
    label: str | Promise
    explanation: str | Promise
    measure: Callable[..., Tally]  # (site_ids=, today=) -> {site id: (incomplete, total)}


CHECKS = (
    QualityCheck(
        "stale_cases",
        _("Open cases without contact"),
        _(
            "Open cases with no contact in the last 90 days that were opened before then, as a share "
            "of all open cases."
        ),
        cases.stale_case_counts,
    ),
    QualityCheck(
        "persons_without_consent",
        _("Persons without a consent record"),
        _("Persons with no consent recorded at all, as a share of all persons of the site."),
        cases.persons_without_consent_counts,
    ),
    QualityCheck(
        "overdue_follow_ups",
        _("Overdue follow-ups"),
        _("Open follow-ups whose due date has passed, as a share of all open follow-ups."),
        cases.overdue_follow_up_counts,
    ),
    QualityCheck(
        "referrals_unanswered",
        _("Unanswered referrals"),
        _(
            "Referrals sent more than 30 days ago that still await the partner's answer, as a share of "
            "the referrals sent in the last 12 months."
        ),
        cases.unanswered_referral_counts,
    ),
    QualityCheck(
        "esf_incomplete",
        _("Incomplete ESF participations"),
        _(
            "ESF participations that lack data they need to count in the ESF indicators, as a share of "
            "all participations of the site."
        ),
        esf.incomplete_participation_counts,
    ),
)


@dataclass(frozen=True)
class QualityResult:
    incomplete: int
    total: int
    share: Decimal | None  # percent, one decimal; None without any records
    flagged: bool  # share above INCOMPLETE_SHARE

    @classmethod
    def of(cls, incomplete: int, total: int) -> "QualityResult":
        if not total:
            return cls(incomplete, total, None, False)
        share = (Decimal(incomplete) * 100 / Decimal(total)).quantize(Decimal("0.1"))
        # Compared exactly, not rounded: 33.04 % is more than 33 %.
        return cls(incomplete, total, share, incomplete * 100 > INCOMPLETE_SHARE * total)


Quality = dict[int, dict[str, QualityResult]]


def site_quality(site_ids: Iterable[int], today: date) -> Quality:
    """{site id: {check key: result}} for every site and check; one query per check."""
    ids = sorted(set(site_ids))
    quality: Quality = {site: {} for site in ids}
    with statistics_scope(ids):
        for check in CHECKS:
            tally = check.measure(site_ids=ids, today=today)
            for site in ids:
                quality[site][check.key] = QualityResult.of(*tally.get(site, (0, 0)))
    return quality


def incomplete_sites(quality: Quality, indicator: Indicator) -> set[int]:
    """The sites marked by the check the indicator names (none when it names none)."""
    if indicator.quality is None:
        return set()
    return {
        site
        for site, results in quality.items()
        if (result := results.get(indicator.quality)) and result.flagged
    }
