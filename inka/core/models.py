"""Plumbing models: the timestamp base and the two append-only logs."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet):
    """The logs are never changed by the application (on PostgreSQL also enforced by grants)."""

    def update(self, **kwargs: object) -> int:
        raise TypeError("log entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("log entries are append-only")


class LogEntry(models.Model):
    """Actor and site are plain ids plus a label, so entries outlive the accounts and sites."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("user"), max_length=254, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    site_id = models.BigIntegerField(_("site id"), null=True, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("record"), max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise TypeError("log entries are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("log entries are append-only")


class AuditEntry(LogEntry):
    """One change: who changed what, when, with the changed fields (old → new)."""

    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("change history entry")
        verbose_name_plural = _("change history")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AccessLogEntry(LogEntry):
    """One read of social data (or a denied attempt): who saw which records. Never field values."""

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        DENIED = "denied", _("denied")

    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, default=Outcome.ALLOWED)
    record_ids = models.JSONField(_("record ids"), default=list, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    # Why a restricted record was opened (data protection officer); never the record's content.
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta(LogEntry.Meta):
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"
