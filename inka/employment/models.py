"""Job integration on a case: placement barriers assessed over time, the career perspective with its
action plan, the job-search log (applications) and the outcomes the counselling led to.

Everything here is person-level social data of a case: the managers use the `social_site` scope
dimension. Ratings of health, addiction and criminal record are special categories (Art. 9 GDPR).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


class Barrier(models.TextChoices):
    DEBTS = "debts", _("Debts")
    HEALTH = "health", _("Health")
    ADDICTION = "addiction", _("Addiction")
    CHILDCARE = "childcare", _("Childcare")
    CARE_DUTIES = "care_duties", _("Care duties")
    LANGUAGE = "language", _("Language")
    MOBILITY = "mobility", _("Mobility")
    HOUSING = "housing", _("Housing")
    QUALIFICATION = "qualification", _("Missing qualification")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record")
    MOTIVATION = "motivation", _("Motivation")
    OTHER = "other", _("Other")


# Special categories (Art. 9 GDPR, and criminal records under Art. 10): never shown to readers.
SPECIAL_BARRIERS = frozenset({Barrier.HEALTH, Barrier.ADDICTION, Barrier.CRIMINAL_RECORD})


class Severity(models.IntegerChoices):
    NONE = 0, _("none")
    SLIGHT = 1, _("slight")
    CONSIDERABLE = 2, _("considerable")
    SEVERE = 3, _("severe")


class BarrierAssessment(TimeStampedModel):
    """One assessment of the placement barriers: the first at intake, later ones as reviews."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake assessment")
        REVIEW = "review", _("Follow-up assessment")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="barrier_assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"))
    kind = models.CharField(_("kind of assessment"), max_length=10, choices=Kind)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "Everyone who may read the case sees this note. "
            "Do not write details of health, addiction or a criminal record here."
        ),
    )

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("barrier assessment")
        verbose_name_plural = _("barrier assessments")
        indexes = [models.Index(fields=["case", "assessed_on"], name="barrier_assessment_case_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(kind="intake"),
                name="barrier_assessment_one_intake_per_case",
                violation_error_message=_("This case already has an intake assessment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.assessed_on:%d.%m.%Y}"


class BarrierRating(models.Model):
    """How severe one barrier was at one assessment."""

    assessment = models.ForeignKey(
        BarrierAssessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment")
    )
    barrier = models.CharField(_("placement barrier"), max_length=20, choices=Barrier)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity)

    objects = site_scoped("assessment__case__site", social=True)

    class Meta:
        verbose_name = _("barrier rating")
        verbose_name_plural = _("barrier ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "barrier"], name="barrier_rating_unique"),
            models.CheckConstraint(condition=Q(severity__lte=3), name="barrier_rating_severity_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_barrier_display()}: {self.get_severity_display()}"


class CareerPlan(TimeStampedModel):
    """The person's career perspective and the action plan towards it (one per case)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="career_plan", verbose_name=_("case")
    )
    perspective = models.TextField(
        _("career perspective"), help_text=_("Where the person wants to go, in their own words.")
    )
    target_occupation = models.CharField(_("target occupation"), max_length=200, blank=True)
    action_plan = models.TextField(
        _("action plan"), blank=True, help_text=_("The agreed steps, one per line, with who does what.")
    )

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("career perspective")
        verbose_name_plural = _("career perspectives")

    def __str__(self) -> str:
        return self.target_occupation or str(_("career perspective"))


class Application(TimeStampedModel):
    """One entry of the job-search log."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("no answer yet")
        INTERVIEW = "interview", _("invited to an interview")
        REJECTED = "rejected", _("turned down")
        OFFER = "offer", _("job offered")
        ACCEPTED = "accepted", _("accepted, started")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="applications", verbose_name=_("case")
    )
    employer = models.CharField(_("employer"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    applied_on = models.DateField(_("applied on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["case", "-applied_on"], name="application_case_date")]

    def __str__(self) -> str:
        return f"{self.position} – {self.employer}"


class JobOutcome(TimeStampedModel):
    """A labour-market outcome of the counselling, with its start (and end) date.

    The ESF issue derives the ESF results (employed, self-employed, in education or training,
    qualification gained) from these rows, through `selectors.job_outcomes_for_cases`.
    """

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment subject to social insurance")
        MINI_JOB = "mini_job", _("Mini-job")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        TRAINING = "training", _("Training or qualification")
        MEASURE = "measure", _("Jobcenter measure")
        SELF_EMPLOYMENT = "self_employment", _("Self-employment")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="job_outcomes", verbose_name=_("case")
    )
    kind = models.CharField(_("outcome"), max_length=20, choices=Kind)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("Only if the end is known, e.g. a fixed-term contract."),
    )
    employer_or_provider = models.CharField(_("employer or provider"), max_length=200, blank=True)
    qualification = models.CharField(
        _("qualification"), max_length=200, blank=True, help_text=_("qualification gained, if any")
    )
    note = models.TextField(_("note"), blank=True)

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("job outcome")
        verbose_name_plural = _("job outcomes")
        indexes = [models.Index(fields=["case", "starts_on"], name="job_outcome_case_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="job_outcome_ends_after_start",
                violation_error_message=_("The end must not be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on:%d.%m.%Y})"
