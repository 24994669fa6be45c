"""Period reports (M4): a site's quarterly or yearly report, its narrative and its frozen figures.

A report is written as a draft, submitted (its figures are then counted once and kept as they were),
and reviewed by the programme coordination, which returns it with a comment or accepts it. A
revision is a new version of the same period; older versions stay as they were.
"""

from calendar import monthrange
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped
from inka.monitoring.periods import quarter_key

NARRATIVE_FIELDS = ("achievements", "difficulties", "plans")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


OPEN_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED)


class PeriodReport(TimeStampedModel):
    """One version of a site's report for a quarter (or, without a quarter, for a year).

    A site-level record: it holds the narrative and aggregate numbers only, so the site's steering
    group and the programme coordination may read it (the views decide which versions).
    """

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="period_reports", verbose_name=_("site")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, help_text=_("Empty for a yearly report.")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT)
    achievements = models.TextField(_("What went well"), blank=True)
    difficulties = models.TextField(_("Difficulties"), blank=True)
    plans = models.TextField(_("Plans for the next period"), blank=True)
    # Figures.as_json() of the site, counted on submission and never changed afterwards.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_comment = models.TextField(_("comment of the programme coordination"), blank=True)

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            # NULL quarters are never equal in SQL, so quarterly and yearly reports get one rule each.
            models.UniqueConstraint(
                fields=["site", "year", "quarter", "version"],
                condition=Q(quarter__isnull=False),
                name="monitoring_report_quarter_version_unique",
                violation_error_message=_("This version of the report already exists."),
            ),
            models.UniqueConstraint(
                fields=["site", "year", "version"],
                condition=Q(quarter__isnull=True),
                name="monitoring_report_year_version_unique",
                violation_error_message=_("This version of the report already exists."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="monitoring_report_quarter_range",
                violation_error_message=_("The quarter must be between 1 and 4."),
            ),
            models.UniqueConstraint(
                fields=["site", "year", "quarter"],
                condition=Q(quarter__isnull=False, status__in=OPEN_STATUSES),
                name="monitoring_report_quarter_one_open",
                violation_error_message=_("This period already has a report in progress."),
            ),
            models.UniqueConstraint(
                fields=["site", "year"],
                condition=Q(quarter__isnull=True, status__in=OPEN_STATUSES),
                name="monitoring_report_year_one_open",
                violation_error_message=_("This period already has a report in progress."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} – {gettext('version %(version)s') % {'version': self.version}}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:report_detail", args=[self.pk])

    @property
    def period_key(self) -> str:
        """The key of the period in the figures: "2026-Q3" or "2026"."""
        return quarter_key(self.year, self.quarter) if self.quarter else f"{self.year:04d}"

    @property
    def period_label(self) -> str:
        if self.quarter:
            return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        return gettext("Year %(year)s") % {"year": self.year}

    @property
    def title(self) -> str:
        if self.quarter:
            return gettext("Quarterly report %(quarter)s/%(year)s") % {
                "quarter": self.quarter,
                "year": self.year,
            }
        return gettext("Yearly report %(year)s") % {"year": self.year}

    @property
    def kind_label(self) -> str:
        return gettext("Quarterly report") if self.quarter else gettext("Yearly report")

    @property
    def starts_on(self) -> date:
        return date(self.year, (self.quarter or 1) * 3 - 2, 1)

    @property
    def ends_on(self) -> date:
        month = (self.quarter or 4) * 3
        return date(self.year, month, monthrange(self.year, month)[1])

    @property
    def is_frozen(self) -> bool:
        """Submitted at least once: the figures are the ones counted then."""
        return self.status != ReportStatus.DRAFT

    @property
    def reviewable(self) -> bool:
        return self.status == ReportStatus.SUBMITTED


class FiguresSnapshot(models.Model):
    """The figures of every site as last counted for one day: numbers only, no person.

    Every page outside the teams reads them (`publication.programme_published`), so that no page view
    has to count a million contacts; `inka figures refresh`, run every few minutes, keeps them
    current (docs/performance.md). Programme-wide: one row per day and set of sites.
    """

    day = models.DateField(_("day"))
    sites_key = models.CharField(_("sites"), max_length=64)
    figures = models.JSONField(_("figures"))
    counted_at = models.DateTimeField(_("counted at"))
    seconds = models.FloatField(_("seconds to count"))

    class Meta:
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")
        constraints = [
            models.UniqueConstraint(fields=["day", "sites_key"], name="figures_snapshot_day_sites")
        ]

    def __str__(self) -> str:
        return f"{self.day} ({self.counted_at:%H:%M})"
