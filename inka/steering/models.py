"""Steering groups (Steuerungsgruppen): one per site, its members, meetings, decisions and action items."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


class SteeringGroup(TimeStampedModel):
    """The steering group of a site: municipality or district, housing company, carrier and others."""

    site = models.OneToOneField(
        "programme.Site", on_delete=models.PROTECT, related_name="steering_group", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=200)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    rhythm = models.CharField(
        _("meeting rhythm"), max_length=100, blank=True, help_text=_("For example: quarterly.")
    )
    remit = models.TextField(_("remit"), blank=True, help_text=_("What the group is responsible for."))

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("steering group")
        verbose_name_plural = _("steering groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("steering:group_detail", args=[self.pk])


class MemberRole(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality or district")
    HOUSING = "housing", _("Housing company")
    CARRIER = "carrier", _("Carrier")
    JOBCENTER = "jobcenter", _("Jobcenter")
    OTHER = "other", _("Other")


class Member(TimeStampedModel):
    """A member of a steering group; with an account, their action items appear on their work list."""

    group = models.ForeignKey(
        SteeringGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("steering group")
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("institution"), max_length=200)
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution in the partner list"),
    )
    role = models.CharField(_("role in the group"), max_length=20, choices=MemberRole)
    function = models.CharField(
        _("function"), max_length=200, blank=True, help_text=_("For example: head of the social office.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steering_memberships",
        verbose_name=_("INKA account"),
        help_text=_("Members with an account see their action items on their work list."),
    )
    since = models.DateField(_("member since"), null=True, blank=True)
    until = models.DateField(_("member until"), null=True, blank=True)

    objects = site_scoped("group__site")

    class Meta:
        verbose_name = _("steering group member")
        verbose_name_plural = _("steering group members")
        ordering = ["role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="steering_member_until_after_since",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_active(self) -> bool:
        return self.until is None


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(TimeStampedModel):
    """A meeting of the steering group: planned with an agenda, then minuted with decisions."""

    group = models.ForeignKey(
        SteeringGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("steering group")
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    guests = models.CharField(
        _("guests"), max_length=300, blank=True, help_text=_("Others present, with their institution.")
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_by = models.CharField(_("minutes taken by"), max_length=200, blank=True)
    present = models.ManyToManyField(
        Member, blank=True, related_name="meetings_attended", verbose_name=_("members present")
    )

    objects = site_scoped("group__site")

    class Meta:
        verbose_name = _("steering group meeting")
        verbose_name_plural = _("steering group meetings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["group", "-held_on"], name="steering_meeting_group_date")]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("steering:meeting_detail", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("agenda item"), max_length=300)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)

    objects = site_scoped("meeting__group__site")

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    text = models.TextField(_("decision"))

    objects = site_scoped("meeting__group__site")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class ActionItem(TimeStampedModel):
    """An action agreed in a meeting: on the owner's work list and the next meetings' agendas until done."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("responsible")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus, default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = site_scoped("meeting__group__site")

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="steering_action_owner_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
