"""The programme and its sites: the tenant lives here."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped


class DatePrecision(models.TextChoices):
    """How exact a historical date is: sources often give only a month, a quarter or a year."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


class Programme(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    coordinating_body = models.CharField(_("coordinating body"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.short_name


class FundingRound(TimeStampedModel):
    class IndicatorSet(models.TextChoices):
        ESF_PLUS = "esf-plus", _("ESF+ 2021–2027 (EECO/EECR)")
        ESF_2014 = "esf-2014", _("ESF 2014–2020 (CO/CR)")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="funding_rounds", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    budget = models.DecimalField(
        _("budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Total eligible costs of the round, if known."),
    )
    esf_share = models.DecimalField(_("ESF share (%)"), max_digits=5, decimal_places=2, default=Decimal(60))
    land_share = models.DecimalField(_("Land share (%)"), max_digits=5, decimal_places=2, default=Decimal(20))
    local_share = models.DecimalField(
        _("local share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        help_text=_("Municipality, housing companies or the carrier."),
    )
    indicator_set = models.CharField(
        _("ESF indicator set"), max_length=10, choices=IndicatorSet, default=IndicatorSet.ESF_PLUS
    )
    final_payment_on = models.DateField(
        _("final payment"),
        null=True,
        blank=True,
        help_text=_("Date of the final payment of the round; the retention period runs from its year."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        default=5,
        help_text=_("Years after the end of the year of the final payment (Art. 82 CPR: at least 5)."),
    )

    class Meta:
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funding_round_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(esf_share__gte=0, land_share__gte=0, local_share__gte=0),
                name="funding_round_shares_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def retention_ends_on(self) -> date | None:
        """31 December of the year of the final payment plus the retention years; None while unpaid."""
        if self.final_payment_on is None:
            return None
        return date(self.final_payment_on.year + self.retention_years, 12, 31)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not be before the start.")})
        shares = (self.esf_share or 0) + (self.land_share or 0) + (self.local_share or 0)
        if shares != 100:
            raise ValidationError(_("The financing shares must add up to 100 %."))


class District(models.Model):
    """A Landkreis or kreisfreie Stadt of Thuringia, keyed by its official Kreisschlüssel."""

    class Kind(models.TextChoices):
        RURAL = "landkreis", _("rural district")
        URBAN = "kreisfreie-stadt", _("district-free city")

    key = models.CharField(
        _("official key"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^16\d{3}$", _("Enter the five-digit district key (16…)."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Carrier(TimeStampedModel):
    """The organisation ("Träger") that runs a site; one carrier may run several sites."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PublicSiteManager(models.Manager["Site"]):
    """The one unscoped way to a site: only published sites, for the public page without login."""

    def get_queryset(self) -> models.QuerySet["Site"]:
        return super().get_queryset().filter(is_public=True).exclude(status=Site.Status.PLANNED)


class Site(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    code = models.CharField(
        _("short code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("Use 2 to 5 capital letters, e.g. ALT."))],
    )
    name = models.CharField(_("name"), max_length=120)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="sites", verbose_name=_("district")
    )
    neighbourhood = models.CharField(
        _("neighbourhood"),
        max_length=200,
        blank=True,
        help_text=_("The social space the site works in today; earlier ones are kept in the site's history."),
    )
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("Enter a five-digit postcode."))],
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("50.2"), _("This latitude is outside Thuringia.")),
            MaxValueValidator(Decimal("51.7"), _("This latitude is outside Thuringia.")),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("9.8"), _("This longitude is outside Thuringia.")),
            MaxValueValidator(Decimal("12.7"), _("This longitude is outside Thuringia.")),
        ],
    )
    opening_hours = models.TextField(
        _("opening hours"), blank=True, help_text=_("One line per day or time, e.g. “Mo–Do 9–15 Uhr”.")
    )
    contact_person = models.CharField(_("public contact person"), max_length=120, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    starts_on_precision = models.CharField(
        _("precision of the start"), max_length=10, choices=DatePrecision, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    is_public = models.BooleanField(
        _("public page"), default=True, help_text=_("Show the site's page to everyone, without login.")
    )
    notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Sources and open questions; not shown publicly.")
    )

    objects: models.Manager["Site"] = site_scoped("pk")
    public = PublicSiteManager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="site_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:site_detail", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not be before the start.")})
        if self.status == self.Status.ENDED and not self.ends_on:
            raise ValidationError({"ends_on": _("An ended site needs an end date.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Enter both latitude and longitude, or neither."))

    @property
    def address_lines(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.town}".strip()) if line]


class SitePeriod(TimeStampedModel):
    """A stretch of a site's history with one carrier and one neighbourhood."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="periods", verbose_name=_("site"))
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="periods",
        verbose_name=_("carrier"),
        help_text=_("Leave empty when the carrier is not known."),
    )
    neighbourhood = models.CharField(_("neighbourhood"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    starts_on_precision = models.CharField(
        _("precision of the start"), max_length=10, choices=DatePrecision, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Source or remark, shown in the history."))

    objects: models.Manager["SitePeriod"] = site_scoped("site")

    class Meta:
        verbose_name = _("carrier period")
        verbose_name_plural = _("carrier history")
        ordering = ["site", F("starts_on").asc(nulls_first=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="site_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier or '–'} ({self.neighbourhood or '–'})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end must not be before the start.")})

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        started = self.starts_on is None or self.starts_on <= today
        return started and (self.ends_on is None or self.ends_on >= today)
