"""Reads of period reports. Callers pass the site ids they may see; the scope is the net."""

from collections.abc import Sequence

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from inka.monitoring.models import PeriodReport, ReportStatus


def _latest(reports: QuerySet[PeriodReport]) -> QuerySet[PeriodReport]:
    """The latest version of each period among `reports` (a yearly report has no quarter: 0 here)."""
    newer = reports.annotate(period_quarter=Coalesce("quarter", 0)).filter(
        site_id=OuterRef("site_id"),
        year=OuterRef("year"),
        period_quarter=Coalesce(OuterRef("quarter"), 0),
        version__gt=OuterRef("version"),
    )
    return reports.filter(~Exists(newer))


def report_list(
    *,
    site_ids: Sequence[int],
    statuses: Sequence[str] | None = None,
    year: int | None = None,
    submitted_first: bool = False,
) -> QuerySet[PeriodReport]:
    """The latest version of each period's report (among `statuses`), newest period first.

    `submitted_first`: reports waiting for review come first (the programme coordination's list).
    """
    reports = PeriodReport.objects.filter(site_id__in=site_ids)
    if statuses:
        reports = reports.filter(status__in=statuses)
    if year is not None:
        reports = reports.filter(year=year)
    # Newest period first; a yearly report (no quarter) before the quarters of its year.
    ordering: list[str | OrderBy] = ["-year", Coalesce("quarter", 5).desc(), "site__name"]
    found = _latest(reports).select_related("site")
    if submitted_first:
        waiting = Case(When(status=ReportStatus.SUBMITTED, then=Value(0)), default=Value(1))
        return found.annotate(waiting=waiting).order_by("waiting", *ordering)
    return found.order_by(*ordering)


def report_versions(report: PeriodReport, *, statuses: Sequence[str] | None = None) -> list[PeriodReport]:
    """Every version of the report's period (among `statuses`), the first one first."""
    versions = PeriodReport.objects.filter(site_id=report.site_id, year=report.year, quarter=report.quarter)
    if statuses:
        versions = versions.filter(status__in=statuses)
    return list(versions.select_related("submitted_by", "reviewed_by").order_by("version"))


def report_years(*, site_ids: Sequence[int]) -> list[int]:
    """The years that have reports, newest first (the year filter's choices)."""
    years = PeriodReport.objects.filter(site_id__in=site_ids).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def accepted_yearly_reports(*, site_ids: Sequence[int], year: int) -> dict[int, PeriodReport]:
    """The latest accepted version of each site's yearly report for `year`, by site id."""
    reports = PeriodReport.objects.filter(
        site_id__in=site_ids, year=year, quarter__isnull=True, status=ReportStatus.ACCEPTED
    )
    return {report.site_id: report for report in _latest(reports).select_related("site")}
