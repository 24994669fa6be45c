"""Writes to period reports: start, save the narrative, submit (freezing the figures), return, accept
and revise. Each is atomic, allows only its own transitions and leaves an audit entry.

The figures of a report are counted once, on submission, and kept as JSON: later corrections of
cases or contacts change the dashboards but never a submitted report. A revision is a new version.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inka.core.audit import audit, diff, snapshot
from inka.core.cleaning import allowed_fields, clean_text
from inka.monitoring.figures import exact_figures
from inka.monitoring.models import NARRATIVE_FIELDS, PeriodReport, ReportStatus
from inka.programme.models import Site

STATE_FIELDS = ["status", "reviewed_at", "reviewed_by", "review_comment"]


def reportable_from(year: int, quarter: int | None) -> date:
    """The first day a period can be reported on: the first day of its last month."""
    return date(year, (quarter or 4) * 3, 1)


def _locked(report: PeriodReport, *allowed: str) -> PeriodReport:
    """The report as stored now, locked for this transaction; refused unless its status is allowed."""
    current = PeriodReport.objects.select_for_update().get(pk=report.pk)
    if current.status not in allowed:
        raise ValidationError(
            _("This is not possible for a report that is %(status)s.")
            % {"status": current.get_status_display()}
        )
    return current


def _check_period(report: PeriodReport, today: date) -> None:
    year, quarter = report.year, report.quarter
    field = "quarter" if quarter else "year"
    if quarter is not None and not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("The quarter must be between 1 and 4.")})
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": _("Reports can be written for past and current years only.")})
    if reportable_from(year, quarter) > today:
        raise ValidationError(
            {field: _("This period has not reached its last month yet; it cannot be reported on.")}
        )
    if report.site.starts_on and report.ends_on < report.site.starts_on:
        raise ValidationError({field: _("The site did not work in this period yet.")})


@transaction.atomic
def report_start(
    *, actor: Any, site: Site, year: int, quarter: int | None, today: date | None = None
) -> PeriodReport:
    """Start the report of a period (a quarter, or the year when `quarter` is None) as a draft."""
    report = PeriodReport(site=site, year=year, quarter=quarter)
    _check_period(report, today or timezone.localdate())
    if PeriodReport.objects.filter(site=site, year=year, quarter=quarter).exists():
        raise ValidationError(
            {"quarter" if quarter else "year": _("This period already has a report; open it from the list.")}
        )
    report.full_clean()
    report.save()
    audit(
        actor=actor,
        action="inka.monitoring.report.started",
        obj=report,
        changes=diff({}, {"year": year, "quarter": quarter, "version": 1}),
    )
    return report


@transaction.atomic
def report_save(*, actor: Any, report: PeriodReport, **narrative: Any) -> PeriodReport:
    """Save the narrative of a draft; parts may still be empty."""
    current = _locked(report, ReportStatus.DRAFT)
    before = snapshot(current, NARRATIVE_FIELDS)
    for name, value in allowed_fields(narrative, list(NARRATIVE_FIELDS), service="report_save").items():
        setattr(current, name, value or "")
    current.full_clean()
    current.save()
    changes = diff(before, snapshot(current, NARRATIVE_FIELDS))
    if changes:
        audit(actor=actor, action="inka.monitoring.report.updated", obj=current, changes=changes)
    return current


def figures_day(report: PeriodReport, today: date) -> date:
    """The day the figures are counted up to: the end of the period, or today if it is still running.

    Counting "as of" that day puts the report's period and the same period a year earlier into the
    calendar of the figures (its quarters are those of this and last year, its years the trend).
    """
    return min(report.ends_on, today)


@transaction.atomic
def report_submit(*, actor: Any, report: PeriodReport, today: date | None = None) -> PeriodReport:
    """Submit a draft: every part of the narrative written; the figures are counted and frozen."""
    current = _locked(report, ReportStatus.DRAFT)
    missing = {
        name: _("Please write this part of the report before submitting it.")
        for name in NARRATIVE_FIELDS
        if not clean_text(getattr(current, name))
    }
    if missing:
        raise ValidationError(missing)
    today = today or timezone.localdate()
    current.figures = exact_figures(site_ids=[current.site_id], today=figures_day(current, today)).as_json()
    current.status = ReportStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.submitted_by = actor
    current.full_clean()
    current.save()
    audit(
        actor=actor,
        action="inka.monitoring.report.submitted",
        obj=current,
        changes={"status": [ReportStatus.DRAFT.value, current.status]},
        counted_until=current.figures["today"],
    )
    return current


def _review(
    actor: Any, report: PeriodReport, status: ReportStatus, comment: str, action: str
) -> PeriodReport:
    current = _locked(report, ReportStatus.SUBMITTED)
    before = snapshot(current, STATE_FIELDS)
    current.status = status
    current.review_comment = comment
    current.reviewed_at = timezone.now()
    current.reviewed_by = actor
    current.full_clean()
    current.save()
    audit(actor=actor, action=action, obj=current, changes=diff(before, snapshot(current, STATE_FIELDS)))
    return current


@transaction.atomic
def report_return(*, actor: Any, report: PeriodReport, comment: str) -> PeriodReport:
    """Return a submitted report to the site, saying what to change."""
    comment = clean_text(comment or "")
    if not comment:
        raise ValidationError({"comment": _("Please say what the site should change.")})
    return _review(actor, report, ReportStatus.RETURNED, comment, "inka.monitoring.report.returned")


@transaction.atomic
def report_accept(*, actor: Any, report: PeriodReport, comment: str = "") -> PeriodReport:
    """Accept a submitted report; the site's steering group can read it from now on."""
    return _review(
        actor, report, ReportStatus.ACCEPTED, clean_text(comment or ""), "inka.monitoring.report.accepted"
    )


@transaction.atomic
def report_revise(*, actor: Any, report: PeriodReport) -> PeriodReport:
    """Start the next version of a returned or accepted report, with its narrative as a draft."""
    current = _locked(report, ReportStatus.RETURNED, ReportStatus.ACCEPTED)
    newer = PeriodReport.objects.filter(
        site_id=current.site_id, year=current.year, quarter=current.quarter, version__gt=current.version
    )
    if newer.exists():
        raise ValidationError(_("A newer version of this report exists; revise that one."))
    revision = PeriodReport(
        site_id=current.site_id,
        year=current.year,
        quarter=current.quarter,
        version=current.version + 1,
        **{name: getattr(current, name) for name in NARRATIVE_FIELDS},
    )
    revision.full_clean()
    revision.save()
    audit(
        actor=actor,
        action="inka.monitoring.report.revised",
        obj=revision,
        changes={"version": [current.version, revision.version]},
    )
    return revision
