"""The partner network: institutions shared programme-wide, and each site's cooperation with them."""

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


class PartnerKind(models.TextChoices):
    JOBCENTER = "jobcenter", _("Jobcenter")
    EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency")
    MUNICIPALITY = "municipality", _("Municipality or district office")
    HOUSING = "housing", _("Housing company")
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    ADDICTION_COUNSELLING = "addiction_counselling", _("Addiction counselling")
    MIGRATION = "migration", _("Migration service")
    SCHOOL = "school", _("School or kindergarten")
    ASSOCIATION = "association", _("Association")
    CHURCH = "church", _("Church or parish")
    EMPLOYER = "employer", _("Employer")
    HEALTH = "health", _("Health service")
    OTHER = "other", _("Other")


class Partner(TimeStampedModel):
    """An institution the sites work with. Shared programme-wide: one Jobcenter serves several sites."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of partner"), max_length=30, choices=PartnerKind)
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Enter a five-digit postcode."))],
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Partners that no longer exist stay on record but are no longer offered for referrals."),
    )
    notes = models.TextField(
        _("notes on the partner"),
        blank=True,
        help_text=_("Visible to every site that works with this partner; nothing about clients."),
    )

    class Meta:
        verbose_name = _("network partner")
        verbose_name_plural = _("network partners")
        ordering = ["name", "town"]
        constraints = [
            models.UniqueConstraint(fields=["name", "town"], name="network_partner_unique_name_town"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.town}".strip()) if line]


class SitePartner(TimeStampedModel):
    """A site's cooperation with a partner: since when, whom to call there, the team's notes."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.CASCADE, related_name="partner_links", verbose_name=_("site")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="site_links", verbose_name=_("network partner")
    )
    since = models.DateField(_("working together since"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("phone of the contact person"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail of the contact person"), blank=True)
    notes = models.TextField(
        _("notes on the cooperation"), blank=True, help_text=_("Only your site's team sees these notes.")
    )

    objects: models.Manager["SitePartner"] = site_scoped("site")

    class Meta:
        verbose_name = _("cooperation with a partner")
        verbose_name_plural = _("cooperations with partners")
        constraints = [
            models.UniqueConstraint(fields=["site", "partner"], name="network_site_partner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.site})"

    def get_absolute_url(self) -> str:
        return reverse("network:partner_detail", args=[self.pk])
