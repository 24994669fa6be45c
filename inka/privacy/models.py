"""Data protection records: data-subject requests, contested values, retention approvals and the
pseudonymous deletion journal.

Restriction and anonymisation are states of the person (cases.Person.restricted_at and
.anonymised_at): every list reads them there.
"""

from calendar import monthrange
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


def one_month_after(day: date) -> date:
    """Art. 12(3) GDPR: the same day of the next month, or that month's last day if it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access (Art. 15 GDPR, § 83 SGB X)")
    RECTIFICATION = "rectification", _("rectification (Art. 16 GDPR)")
    ERASURE = "erasure", _("erasure (Art. 17 GDPR, § 84 SGB X)")
    RESTRICTION = "restriction", _("restriction (Art. 18 GDPR)")
    PORTABILITY = "portability", _("data portability (Art. 20 GDPR)")
    OBJECTION = "objection", _("objection (Art. 21 GDPR)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    REFUSED = "refused", _("refused")


class DataSubjectRequest(TimeStampedModel):
    """One request of a person about their data, from receipt to answer (the register, S5)."""

    site = models.ForeignKey(
        "programme.Site",
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
        verbose_name=_("site"),
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(
        _("received how"), max_length=120, blank=True, help_text=_("For example: in person, letter, e-mail.")
    )
    identity_checked_on = models.DateField(_("identity checked on"), null=True, blank=True)
    identity_check = models.CharField(
        _("identity checked how"),
        max_length=200,
        blank=True,
        help_text=_("For example: identity card shown."),
    )
    due_on = models.DateField(_("deadline"))
    extended_until = models.DateField(
        _("extended until"),
        null=True,
        blank=True,
        help_text=_("At most two further months (Art. 12(3) GDPR)."),
    )
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, default=RequestStatus.RECEIVED
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d.%m.%Y}"

    @property
    def deadline(self) -> date:
        return self.extended_until or self.due_on


class ContestedValue(TimeStampedModel):
    """A value the person disputes (§ 84(2) SGB X): it stays usable but is marked wherever it appears."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="contested_values", verbose_name=_("site")
    )
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="contested_values", verbose_name=_("person")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    field_name = models.CharField(_("field"), max_length=100)
    statement = models.TextField(_("the person's statement"))
    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contested_values",
        verbose_name=_("request"),
    )
    contested_on = models.DateField(_("contested on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("contested value")
        verbose_name_plural = _("contested values")
        ordering = ["-contested_on", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="contested_record")]

    def __str__(self) -> str:
        return f"{self.content_type.model}.{self.field_name} #{self.object_id}"


class RetentionApproval(TimeStampedModel):
    """The data protection officer's approval of what a retention run may anonymise (SECURITY.md)."""

    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    as_of = models.DateField(_("due as of"))
    # Primary keys of the persons that were due and are approved: pseudonymous, no names.
    person_ids = models.JSONField(_("persons (ids)"), default=list)
    note = models.TextField(_("note"), blank=True)
    used_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention approval")
        verbose_name_plural = _("retention approvals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m-%d} ({len(self.person_ids)})"


class DeletionJournalEntry(models.Model):
    """One anonymisation, pseudonymous (model and primary key, the rule): replayed after a restore.

    The same lines are appended to the journal file outside the database, which a restore of an
    older backup does not overwrite.
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    run_id = models.CharField(_("run"), max_length=32)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record id"))
    rule = models.CharField(_("retention rule"), max_length=60)

    class Meta:
        verbose_name = _("deletion journal entry")
        verbose_name_plural = _("deletion journal")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="journal_once_per_record")]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id} {self.rule}"
