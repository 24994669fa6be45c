"""ESF participation (ESF.md): one per person and site, its stays, results and follow-up."""

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped
from inka.esf.codes import (
    Answer,
    ExitEventType,
    FollowUpStatus,
    Gender,
    ImprovementReason,
    LabourStatus,
    Rural,
    SchoolCertificate,
    VocationalQualification,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SENSITIVE_ITEMS = (
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


def _answer(label: "StrOrPromise") -> "models.CharField[str, str]":
    # Blank is "not asked"; a refusal is an answer and never makes the record incomplete.
    return models.CharField(label, max_length=10, choices=Answer, blank=True)


class Participation(TimeStampedModel):
    """A person's ESF participation at one site ("Teilnahme"), with the entry questionnaire.

    `entry_date` is the first entry and `exit_date` the final exit (None while a stay is open);
    both are kept in step with the stays by the services, so reports can filter in the database.
    """

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="participations", verbose_name=_("site")
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("person"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("case"),
    )
    participation_id = models.CharField(_("participation ID"), max_length=40, unique=True)
    person_key = models.CharField(_("person key"), max_length=40)
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)

    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    labour_status_at_entry = models.CharField(
        _("labour market status at entry"), max_length=12, choices=LabourStatus, blank=True
    )
    self_employed = models.BooleanField(_("self-employed"), default=False)
    unemployed_since = models.DateField(_("registered unemployed since"), null=True, blank=True)
    in_education_or_training_at_entry = models.BooleanField(
        _("in school or vocational education or training"), null=True, blank=True
    )
    school_certificate = models.CharField(
        _("highest school-leaving certificate"), max_length=20, choices=SchoolCertificate, blank=True
    )
    vocational_qualification = models.CharField(
        _("vocational or higher qualification"), max_length=20, choices=VocationalQualification, blank=True
    )
    isced_level = models.PositiveSmallIntegerField(
        _("ISCED level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(8)],
        help_text=_("Leave empty to derive it from the certificates."),
    )

    disability = _answer(_("disability"))
    third_country_national = _answer(_("third-country national"))
    foreign_background = _answer(_("foreign background"))
    minority = _answer(_("minority (including Roma)"))
    other_disadvantaged = _answer(_("other disadvantage"))
    homeless_or_housing_exclusion = _answer(_("homeless or affected by housing exclusion"))
    rural = models.CharField(_("rural area"), max_length=10, choices=Rural, default=Rural.UNKNOWN)
    household_jobless = _answer(_("jobless household"))
    household_dependent_children = _answer(_("with dependent children"))
    household_single_adult = _answer(_("household with only one adult"))

    leaflet_acknowledged_on = models.DateField(
        _("data protection leaflet handed over and acknowledged on"), null=True, blank=True
    )
    sensitive_asked_on = models.DateField(_("sensitive questions asked on"), null=True, blank=True)

    exit_no_answer_reason = models.TextField(
        _("reason why no answer is possible"),
        blank=True,
        help_text=_("Only if the situation after leaving could really not be found out."),
    )
    followup_6m_status = models.CharField(
        _("situation six months after leaving"), max_length=15, choices=FollowUpStatus, blank=True
    )
    followup_6m_improved = models.BooleanField(_("better labour market situation"), null=True, blank=True)
    followup_6m_improvement = models.CharField(
        _("kind of improvement"), max_length=25, choices=ImprovementReason, blank=True
    )
    followup_6m_recorded_on = models.DateField(_("follow-up recorded on"), null=True, blank=True)

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("ESF participation")
        verbose_name_plural = _("ESF participations")
        constraints = [
            models.UniqueConstraint(fields=["site", "person_key"], name="participation_once_per_site"),
            models.UniqueConstraint(
                fields=["site", "person"],
                condition=Q(person__isnull=False),
                name="participation_person_once_per_site",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="participation_exit_after_entry",
                violation_error_message=_("The exit must not be before the entry."),
            ),
        ]
        indexes = [
            models.Index(fields=["site", "entry_date"], name="participation_site_entry"),
            models.Index(fields=["site", "exit_date"], name="participation_site_exit"),
        ]

    def __str__(self) -> str:
        return self.participation_id


class Stay(models.Model):
    """One period between entry and exit; a re-entry at the same site adds a stay."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="stays", verbose_name=_("ESF participation")
    )
    entry_date = models.DateField(_("entry date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)

    objects = site_scoped("participation__site", social=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["entry_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="stay_exit_after_entry",
                violation_error_message=_("The exit must not be before the entry."),
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.exit_date:%d.%m.%Y}" if self.exit_date else "…"
        return f"{self.entry_date:%d.%m.%Y} – {end}"


class _Result(models.Model):
    """A result recorded for a participation; `job_outcome` links it to the job outcome it came from."""

    job_outcome = models.ForeignKey(
        "employment.JobOutcome",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job outcome"),
    )

    class Meta:
        abstract = True


class ExitEvent(_Result):
    """The labour-market situation after leaving; within 28 days only the last one counts."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="exit_events",
        verbose_name=_("ESF participation"),
    )
    occurred_on = models.DateField(_("date"))
    type = models.CharField(_("situation"), max_length=15, choices=ExitEventType)

    objects = site_scoped("participation__site", social=True)

    class Meta:
        verbose_name = _("situation after leaving")
        verbose_name_plural = _("situations after leaving")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.occurred_on:%d.%m.%Y})"


class EducationStart(_Result):
    """Start of school or vocational education or training other than the ESF operation itself."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="education_starts",
        verbose_name=_("ESF participation"),
    )
    started_on = models.DateField(_("started on"))
    title = models.CharField(_("education or training"), max_length=200, blank=True)

    objects = site_scoped("participation__site", social=True)

    class Meta:
        verbose_name = _("start of education or training")
        verbose_name_plural = _("starts of education or training")
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title or _('education or training')} ({self.started_on:%d.%m.%Y})"


class Qualification(_Result):
    """A qualification gained: the formal outcome of an assessment, not a certificate of attendance."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("ESF participation"),
    )
    awarded_on = models.DateField(_("awarded on"))
    title = models.CharField(_("qualification"), max_length=200)
    recognised = models.BooleanField(
        _("recognised qualification"),
        default=True,
        help_text=_("Awarded by a competent body after an assessment, not a certificate of attendance."),
    )

    objects = site_scoped("participation__site", social=True)

    class Meta:
        verbose_name = _("qualification gained")
        verbose_name_plural = _("qualifications gained")
        ordering = ["awarded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.awarded_on:%d.%m.%Y})"
