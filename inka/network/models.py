"""The partner network: institutions shared programme-wide, and each site's cooperation with them."""

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
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


class PartnerContact(TimeStampedModel):
    """A further person a site's team deals with at a partner (the main contact is on the link)."""

    link = models.ForeignKey(
        SitePartner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("cooperation")
    )
    name = models.CharField(_("name"), max_length=120)
    function = models.CharField(_("function"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = site_scoped("link__site")

    class Meta:
        verbose_name = _("contact person at a partner")
        verbose_name_plural = _("contact persons at partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The services directory (Open Referral style: what, for whom, where, when, how to reach, cost).


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    JOBSEEKERS = "jobseekers", _("Jobseekers")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed people")
    FAMILIES = "families", _("Families")
    SINGLE_PARENTS = "single_parents", _("Single parents")
    CHILDREN = "children", _("Children and young people")
    YOUNG_ADULTS = "young_adults", _("Young adults")
    SENIORS = "seniors", _("Older people")
    MIGRANTS = "migrants", _("Migrants and refugees")
    DISABILITY = "disability", _("People with disabilities")
    DEBT = "debt", _("People in debt")
    ADDICTION = "addiction", _("People with addiction problems")
    HOUSING_LOSS = "housing_loss", _("People losing or without housing")
    WOMEN = "women", _("Women")


class Language(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    TURKISH = "tr", _("Turkish")
    PERSIAN = "fa", _("Persian (Farsi, Dari)")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    VIETNAMESE = "vi", _("Vietnamese")
    KURDISH = "ku", _("Kurdish")
    PASHTO = "ps", _("Pashto")
    TIGRINYA = "ti", _("Tigrinya")
    FRENCH = "fr", _("French")
    SIGN = "gsg", _("German Sign Language")
    EASY = "easy", _("Easy language (Leichte Sprache)")


class Cost(models.TextChoices):
    FREE = "free", _("free of charge")
    REDUCED = "reduced", _("reduced or depending on income")
    FEE = "fee", _("fee")


class Service(TimeStampedModel):
    """A service a partner offers. Shared programme-wide, like the partner itself."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="services", verbose_name=_("network partner")
    )
    name = models.CharField(_("service"), max_length=200, help_text=_("What is offered, in a few words."))
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("Only if not at the partner's address.")
    )
    hours = models.CharField(
        _("when"), max_length=300, blank=True, help_text=_("For example: Tue 9–12, Thu 14–18.")
    )
    access = models.CharField(
        _("how to get there"), max_length=300, blank=True,
        help_text=_("For example: open consultation hour, appointment by phone, referral needed."),
    )  # fmt: skip
    cost = models.CharField(_("cost"), max_length=20, choices=Cost, default=Cost.FREE)
    cost_note = models.CharField(_("note on the cost"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAudience(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="audiences", verbose_name=_("service")
    )
    audience = models.CharField(_("target group"), max_length=30, choices=Audience)

    class Meta:
        verbose_name = _("target group of a service")
        verbose_name_plural = _("target groups of services")
        constraints = [
            models.UniqueConstraint(fields=["service", "audience"], name="network_service_audience_once")
        ]

    def __str__(self) -> str:
        return self.get_audience_display()


class ServiceLanguage(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="languages", verbose_name=_("service")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language)

    class Meta:
        verbose_name = _("language of a service")
        verbose_name_plural = _("languages of services")
        constraints = [
            models.UniqueConstraint(fields=["service", "language"], name="network_service_language_once")
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class AgreementKind(models.TextChoices):
    COOPERATION = "cooperation", _("Cooperation agreement with a partner")
    MUNICIPAL_CONTRACT = "municipal_contract", _("The carrier's cooperation contract with the municipality")
    OTHER = "other", _("Other agreement")


class Agreement(TimeStampedModel):
    """A written agreement of the site: with a partner, or the carrier's contract with the municipality."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="agreements", verbose_name=_("site")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("network partner")
    )
    kind = models.CharField(_("type of agreement"), max_length=30, choices=AgreementKind)
    title = models.CharField(_("subject"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty for an open-ended agreement.")
    )
    remind_on = models.DateField(
        _("remind of the renewal on"),
        null=True,
        blank=True,
        help_text=_("The reminder appears on the work list of the site's team from this day."),
    )
    renewed_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renews",
        verbose_name=_("renewed by"),
    )
    note = models.TextField(_("note"), blank=True)

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="network_agreement_ends_after_start",
                violation_error_message=_("The agreement cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:agreement_detail", args=[self.pk])


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Network meeting")
    JOINT_PROJECT = "joint_project", _("Joint project")
    WORKING_GROUP = "working_group", _("Working group")
    EVENT = "event", _("Information or specialist event")
    OTHER = "other", _("Other")


class NetworkActivity(TimeStampedModel):
    """A meeting, joint project or working group of the site's network, with the partners present."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="network_activities", verbose_name=_("site")
    )
    kind = models.CharField(_("type"), max_length=20, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="network_activities", verbose_name=_("partners present")
    )
    note = models.TextField(_("note"), blank=True)

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("network activity")
        verbose_name_plural = _("network activities")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


# The partner survey (N5). The instrument is configuration: dimensions, items, scale, weights.


class SurveyInstrument(TimeStampedModel):
    """A questionnaire for the yearly survey of network partners; programme-wide configuration."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to partners above the questions.")
    )
    scale_min = models.SmallIntegerField(_("lowest answer value"), default=1)
    scale_max = models.SmallIntegerField(_("highest answer value"), default=5)
    # [{"value": 1, "label": "…"}, …]: a label for every value from scale_min to scale_max.
    scale_labels = models.JSONField(_("answer labels"), default=list)
    no_answer_label = models.CharField(_("label of “no answer”"), max_length=100, default="keine Angabe")
    min_responses = models.PositiveSmallIntegerField(
        _("minimum number of answers"),
        default=5,
        help_text=_("Below it the site index is shown but flagged."),
    )
    open_question = models.CharField(_("open question"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use for new waves"), default=True)

    class Meta:
        verbose_name = _("survey questionnaire")
        verbose_name_plural = _("survey questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")),
                name="network_instrument_scale_order",
                violation_error_message=_("The highest value must be above the lowest."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SurveyDimension(models.Model):
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("questionnaire")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("dimension"), max_length=200)
    weight = models.DecimalField(_("weight in the site index"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("survey dimension")
        verbose_name_plural = _("survey dimensions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class SurveyItem(models.Model):
    dimension = models.ForeignKey(
        SurveyDimension, on_delete=models.CASCADE, related_name="items", verbose_name=_("dimension")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=400)
    weight = models.DecimalField(_("weight in the dimension"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyWave(TimeStampedModel):
    """One year's survey of a site's partners."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="survey_waves", verbose_name=_("site")
    )
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="waves", verbose_name=_("questionnaire")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))

    objects = site_scoped("site")

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="network_wave_once_a_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="network_wave_closes_after_opening",
                violation_error_message=_("The survey cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("network:survey_wave_detail", args=[self.pk])


class SurveyInvitation(models.Model):
    """A partner's one-time link to a wave. Which partner answered what is never stored."""

    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey wave")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("network partner")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_on = models.DateField(_("invited on"))
    # A date, not a time: a time could be matched with the order in which answers arrived.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    objects = site_scoped("wave__site")
    # Unscoped on purpose, for the partner's answer page only: the secret link is the authorisation.
    by_link = models.Manager()  # noqa: DJ012  (a second manager, not a field)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [models.UniqueConstraint(fields=["wave", "partner"], name="network_invitation_once")]

    def __str__(self) -> str:
        return f"{self.partner_id} @ {self.wave_id}"


class SurveyResponse(models.Model):
    """An anonymous set of answers: a random key, no link to the invitation, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey wave")
    )
    comment = models.TextField(_("suggestions"), blank=True)

    objects = site_scoped("wave__site")

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(self.pk)


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    item = models.ForeignKey(
        SurveyItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    value = models.SmallIntegerField(_("answer"), null=True, blank=True, help_text=_("Empty: “no answer”."))

    objects = site_scoped("response__wave__site")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="network_answer_once")]

    def __str__(self) -> str:
        return str(self.value)
