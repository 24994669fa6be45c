"""Neighbourhood work (Gemeinwesenarbeit): community projects, their sessions and attendance,
volunteers and their hours, resident activation and outreach rounds."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inka.cases.models import AgeBand, Gender, Topic
from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


class ProjectKind(models.TextChoices):
    FESTIVAL = "festival", _("Neighbourhood festival")
    MEETING_PLACE = "meeting_place", _("Meeting place or café")
    COURSE = "course", _("Course or workshop")
    CLEAN_UP = "clean_up", _("Clean-up or improvement of the surroundings")
    PARTICIPATION = "participation", _("Participation of residents")
    CULTURE = "culture", _("Culture")
    SPORTS = "sports", _("Sports")
    COUNSELLING_HOUR = "counselling_hour", _("Counselling hour in the neighbourhood")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Project(TimeStampedModel):
    """A community project (Gemeinwesenprojekt) of a site: from a one-day festival to a weekly café."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="community_projects", verbose_name=_("site")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type of project"), max_length=20, choices=ProjectKind)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus, default=ProjectStatus.PLANNED
    )
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty for ongoing projects.")
    )
    partners = models.ManyToManyField(
        "network.Partner", blank=True, related_name="community_projects", verbose_name=_("partners involved")
    )
    budget = models.DecimalField(
        _("budget (€)"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    spent = models.DecimalField(
        _("spent so far (€)"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )  # fmt: skip
    public_description = models.TextField(
        _("short public description"),
        max_length=600,
        blank=True,
        help_text=_("May be published, e.g. on the site's public page; no names of residents."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("community project")
        verbose_name_plural = _("community projects")
        ordering = ["-starts_on", "title"]
        indexes = [models.Index(fields=["site", "-starts_on"], name="community_project_site_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="community_project_ends_after_start",
                violation_error_message=_("The project cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:project_detail", args=[self.pk])


class AttendanceMode(models.TextChoices):
    HEADCOUNT = "headcount", _("headcount by age band and gender")
    NAMED = "named", _("named participants")


class Session(TimeStampedModel):
    """A dated session or event of a project, with its attendance."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("project")
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("For example: “Spring festival”.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    attendance_mode = models.CharField(
        _("attendance recorded as"), max_length=20, choices=AttendanceMode, default=AttendanceMode.HEADCOUNT
    )
    note = models.TextField(_("note"), blank=True, help_text=_("How it went; no names of residents."))

    objects = site_scoped("project__site")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["project", "held_on"], name="community_session_project_date")]

    def __str__(self) -> str:
        return self.title or f"{self.held_on:%d.%m.%Y}"


class Headcount(models.Model):
    """One cell of a session's headcount: how many guests of an age band and gender (empty = unknown)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="headcounts", verbose_name=_("session")
    )
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    count = models.PositiveIntegerField(_("number of people"), validators=[MaxValueValidator(100_000)])

    objects = site_scoped("session__project__site")

    class Meta:
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "age_band", "gender"], name="community_headcount_cell"
            ),
        ]

    def __str__(self) -> str:
        return str(self.count)


class Attendance(models.Model):
    """A named participant of a session: a person of the site who consented to it."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )

    objects = site_scoped("session__project__site", social=True)

    class Meta:
        verbose_name = _("named participation")
        verbose_name_plural = _("named participations")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="community_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.session_id}"


class Volunteer(TimeStampedModel):
    """Someone who helps in the neighbourhood work (may or may not be a client of the site)."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="volunteers", verbose_name=_("site")
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteering",
        verbose_name=_("also a client"),
        help_text=_("Only if the volunteer is also counselled at the site."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    skills = models.TextField(
        _("skills"), blank=True, help_text=_("For example: baking, carpentry, Russian.")
    )
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: weekday afternoons.")
    )
    since = models.DateField(_("volunteering since"))
    until = models.DateField(_("volunteered until"), null=True, blank=True)

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="community_volunteer_until_after_since",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("community:volunteer_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.until is None


class VolunteerHours(TimeStampedModel):
    """Hours a volunteer gave: for one session, or for a month in a project (or the site as a whole)."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="hours", verbose_name=_("volunteer")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_hours",
        verbose_name=_("project"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_hours",
        verbose_name=_("session"),
    )
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("For hours given over a month."))
    hours = models.DecimalField(
        _("hours"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("744"))],
    )
    activity = models.CharField(_("what was done"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = site_scoped("volunteer__site", social=True)

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [
            # Either for a session (its project follows from it) or for a month; never both.
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(month__isnull=True))
                | (Q(session__isnull=True) & Q(month__isnull=False)),
                name="community_hours_session_or_month",
                violation_error_message=_("Give the hours either for a session or for a month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h"


class ActivationKind(models.TextChoices):
    TOOK_OVER_TASK = "took_over_task", _("Took over a task")
    FOUNDED_GROUP = "founded_group", _("Founded a group or initiative")
    ORGANISED_EVENT = "organised_event", _("Organised an event")
    REPRESENTS_NEIGHBOURS = "represents_neighbours", _("Speaks for the neighbours (e.g. in a committee)")
    OTHER = "other", _("Other")


class Activation(TimeStampedModel):
    """Residents starting to take things into their own hands: the “A” of ThINKA, counted without names."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="activations", verbose_name=_("site")
    )
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("what happened"), max_length=30, choices=ActivationKind)
    residents = models.PositiveSmallIntegerField(
        _("number of residents"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    description = models.TextField(_("description"), help_text=_("What the residents did; no names."))
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activations",
        verbose_name=_("project"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("resident activation")
        verbose_name_plural = _("resident activations")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on:%d.%m.%Y})"


class OutreachRound(TimeStampedModel):
    """A round through the neighbourhood (Geh-Struktur); its conversations become anonymous contacts."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="outreach_rounds", verbose_name=_("site")
    )
    held_on = models.DateField(_("date"))
    area = models.CharField(_("where"), max_length=200, help_text=_("Streets, square, playground, …"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("by whom"))
    conversations = models.PositiveSmallIntegerField(
        _("conversations"),
        validators=[MaxValueValidator(500)],
        help_text=_("How many conversations were held."),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Observations in the neighbourhood; no names.")
    )
    # The anonymous contacts this round produced (kept so that a correction replaces them, not adds).
    contacts = models.ManyToManyField(
        "cases.Contact", blank=True, related_name="+", verbose_name=_("contacts")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("outreach round")
        verbose_name_plural = _("outreach rounds")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.area} ({self.held_on:%d.%m.%Y})"


class OutreachTopic(models.Model):
    """How many of a round's conversations touched a topic."""

    round = models.ForeignKey(
        OutreachRound, on_delete=models.CASCADE, related_name="topics", verbose_name=_("outreach round")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)
    conversations = models.PositiveSmallIntegerField(_("conversations"), validators=[MinValueValidator(1)])

    objects = site_scoped("round__site")

    class Meta:
        verbose_name = _("topic of an outreach round")
        verbose_name_plural = _("topics of outreach rounds")
        constraints = [
            models.UniqueConstraint(fields=["round", "topic"], name="community_outreach_topic_once")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()
