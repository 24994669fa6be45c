"""Case work at a site: contacts (anonymous or on a case), persons with their consents, cases and
what happens on them: help plan, follow-ups, referrals to partners, documents.

Everything here is person-level social data: the managers use the `social_site` scope dimension, so
programme roles without a membership (coordinator, admin) never reach a row.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inka.core.models import TimeStampedModel
from inka.core.scoping import site_scoped
from inka.network.models import PartnerKind


class Topic(models.TextChoices):
    EVERYDAY = "everyday", _("Everyday matters")
    AUTHORITIES = "authorities", _("Authorities and forms")
    MONEY = "money", _("Money and debts")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family")
    CRISIS = "crisis", _("Crisis")
    WORK = "work", _("Work and job search")
    EDUCATION = "education", _("Education")
    RESIDENCE = "residence", _("Residence and language")
    OTHER = "other", _("Other")


class ContactMode(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in at the office")
    APPOINTMENT = "appointment", _("Appointment at the office")
    OUTREACH = "outreach", _("Outreach in the neighbourhood")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment to an authority")


# The programme's core idea: the "Geh-Struktur" goes to people instead of waiting at the office.
OUTREACH_MODES = frozenset({ContactMode.OUTREACH, ContactMode.HOME_VISIT, ContactMode.ACCOMPANIMENT})


class Gender(models.TextChoices):
    FEMALE = "f", _("female")
    MALE = "m", _("male")
    DIVERSE = "x", _("diverse")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("under 18")
    FROM_18 = "18-29", _("18 to 29")
    FROM_30 = "30-44", _("30 to 44")
    FROM_45 = "45-54", _("45 to 54")
    FROM_55 = "55-64", _("55 to 64")
    FROM_65 = "65+", _("65 and over")


class ResidenceStatus(models.TextChoices):
    GERMAN = "german", _("German citizen")
    EU = "eu", _("EU citizen")
    PERMIT = "permit", _("Residence or settlement permit")
    ASYLUM = "asylum", _("Asylum procedure")
    TOLERATED = "tolerated", _("Toleration (Duldung)")
    OTHER = "other", _("Other")


class Disability(models.TextChoices):
    NONE = "none", _("none known")
    RECOGNISED = "recognised", _("recognised severe disability")
    OTHER = "other", _("other disability or impairment")


class Person(TimeStampedModel):
    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="persons", verbose_name=_("site")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    in_neighbourhood = models.BooleanField(
        _("lives in the neighbourhood"),
        null=True,
        blank=True,
        help_text=_("Whether the person lives in the site's neighbourhood (Sozialraum)."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    household_size = models.PositiveSmallIntegerField(_("persons in the household"), null=True, blank=True)
    children = models.PositiveSmallIntegerField(
        _("children under 18 in the household"), null=True, blank=True
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: German, Russian, Arabic")
    )
    residence_status = models.CharField(
        _("residence status"), max_length=20, choices=ResidenceStatus, blank=True
    )
    disability = models.CharField(_("disability"), max_length=20, choices=Disability, blank=True)
    # Spelling-independent keys for the duplicate warning (Müller = Mueller, Meyer ≈ Maier).
    name_key = models.CharField(max_length=210, editable=False, db_index=True)
    last_name_sound = models.CharField(max_length=100, editable=False)
    # Art. 18 GDPR / § 84 SGB X: a restricted person leaves every list, search and dashboard of the
    # team but still counts in statistics; only the data protection officer opens the record.
    restricted_at = models.DateTimeField(_("restricted since"), null=True, blank=True, db_index=True)
    # Set by the retention run: identifiers and free text are gone, the statistical facts remain.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["site", "last_name_sound", "birth_date"], name="person_sound_birth"),
            models.Index(fields=["site", "last_name", "first_name"], name="person_site_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__isnull=True)
                | Q(children__isnull=True)
                | Q(children__lt=F("household_size")),
                name="person_children_in_household",
                violation_error_message=_("The household must be larger than the number of children."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("cases:person_detail", args=[self.pk])

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        birthday_passed = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if birthday_passed else 1)


class Consent(TimeStampedModel):
    class Purpose(models.TextChoices):
        COUNSELLING = "counselling", _("Counselling and documentation")
        SHARING = "sharing", _("Sharing with a partner")
        ESF = "esf", _("ESF monitoring data")
        SPECIAL = "special", _("Special categories of personal data")
        PHOTOS = "photos", _("Photos")
        COMMUNITY = "community", _("Named participation in community projects")

    class Form(models.TextChoices):
        WRITTEN = "written", _("written (signed)")
        ELECTRONIC = "electronic", _("electronic")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
        help_text=_("For sharing: the named partner institution."),
    )
    partner_kind = models.CharField(
        _("partner type"),
        max_length=30,
        choices=PartnerKind,
        blank=True,
        help_text=_("For sharing: every partner of this type."),
    )
    text_version = models.CharField(
        _("text version"), max_length=100, help_text=_("The version of the consent form the person signed.")
    )
    form = models.CharField(_("form"), max_length=20, choices=Form, default=Form.WRITTEN)
    given_on = models.DateField(_("given on"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.TextField(_("note on the withdrawal"), blank=True)

    objects = site_scoped("person__site", social=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="sharing") | ~Q(partner=None) | ~Q(partner_kind=""),
                name="consent_sharing_names_a_recipient",
                violation_error_message=_("Sharing needs a named partner or a partner type."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("given_on")),
                name="consent_expires_after_given",
                violation_error_message=_("The consent cannot expire before it was given."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("The consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    def is_valid_on(self, day: date) -> bool:
        return (
            self.given_on <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )

    def covers_partner(self, partner: object) -> bool:
        """Sharing consent for this partner, by name or by its type."""
        if self.purpose != self.Purpose.SHARING:
            return False
        return self.partner_id == getattr(partner, "pk", None) or (
            bool(self.partner_kind) and self.partner_kind == getattr(partner, "kind", None)
        )


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        GOALS_ACHIEVED = "goals_achieved", _("Goals achieved")
        REFERRED = "referred", _("Referred on to another service")
        ENDED_BY_PERSON = "ended_by_person", _("The person ended the counselling")
        NO_CONTACT = "no_contact", _("No contact any more")
        MOVED = "moved", _("Moved away")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        OTHER = "other", _("Other")

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="cases", verbose_name=_("site")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    reference = models.CharField(_("reference"), max_length=30, editable=False)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("responsible caseworker"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=30, choices=CloseReason, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    life_situation = models.TextField(_("life situation"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Special categories (Art. 9 GDPR): never shown to readers, never in aggregates.
    health_note = models.TextField(_("health"), blank=True)
    addiction_note = models.TextField(_("addiction"), blank=True)
    criminal_record_note = models.TextField(_("criminal record"), blank=True)
    # Optimistic locking: an edit saves only if nobody saved since the form was loaded.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["site", "status", "-opened_on"], name="case_site_status_opened"),
            # The case list, newest first, a page at a time.
            models.Index(fields=["site", "-opened_on", "-id"], name="case_site_opened"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["site", "reference"], name="case_reference_unique_per_site"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="open"),
                name="case_one_open_case_per_person",
                violation_error_message=_("This person already has an open case."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("A case cannot be closed before it was opened."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseNeed(models.Model):
    """A topic the person needs help with, noted at intake."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs", verbose_name=_("case"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [models.UniqueConstraint(fields=["case", "topic"], name="case_need_unique")]

    def __str__(self) -> str:
        return self.get_topic_display()


class Contact(TimeStampedModel):
    """A counselling contact. Without a case it is anonymous: counted, never tied to a person."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("site")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("case")
    )
    occurred_on = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=20, choices=ContactMode)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    note = models.TextField(_("note"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    objects = site_scoped("site", social=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["site", "-occurred_on"], name="contact_site_date"),
            models.Index(fields=["case", "-occurred_on"], name="contact_case_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(note="", next_step=""),
                name="contact_anonymous_has_no_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.get_mode_display()}"

    @property
    def is_anonymous(self) -> bool:
        return self.case_id is None


class ContactTopic(models.Model):
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="topics", verbose_name=_("contact")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)

    objects = site_scoped("contact__site", social=True)

    class Meta:
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")
        constraints = [models.UniqueConstraint(fields=["contact", "topic"], name="contact_topic_unique")]

    def __str__(self) -> str:
        return self.get_topic_display()


class Progress(models.TextChoices):
    OPEN = "open", _("open")
    ACHIEVED = "achieved", _("achieved")
    GIVEN_UP = "given_up", _("given up")


class Actor(models.TextChoices):
    """Who acts on a goal or step: "Hilfe zur Selbsthilfe" shows in how often it is the person."""

    PERSON = "person", _("the person")
    CASEWORKER = "caseworker", _("the caseworker")
    PARTNER = "partner", _("a partner")


class Goal(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals", verbose_name=_("case"))
    title = models.CharField(_("goal"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic, blank=True)
    who_acts = models.CharField(_("who acts"), max_length=20, choices=Actor, default=Actor.PERSON)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Progress, default=Progress.OPEN)
    done_on = models.DateField(_("achieved or given up on"), null=True, blank=True)

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | (~Q(status="open") & Q(done_on__isnull=False)),
                name="goal_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GoalStep(TimeStampedModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps", verbose_name=_("goal"))
    title = models.CharField(_("step"), max_length=200)
    who_acts = models.CharField(_("who acts"), max_length=20, choices=Actor, default=Actor.PERSON)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Progress, default=Progress.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = site_scoped("goal__case__site", social=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | (~Q(status="open") & Q(done_on__isnull=False)),
                name="goal_step_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUp(TimeStampedModel):
    """A reminder on a case ("Wiedervorlage") on someone's work list."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("case")
    )
    due_on = models.DateField(_("due on"))
    subject = models.CharField(_("what to do"), max_length=200)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("for")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["assigned_to", "done_on", "due_on"], name="follow_up_work_list")]

    def __str__(self) -> str:
        return self.subject


class Referral(TimeStampedModel):
    """A referral to a partner institution; the partner answers once through a one-time link."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        COMPLETED = "completed", _("completed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    partner = models.ForeignKey(
        "network.Partner", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    service = models.ForeignKey(
        "network.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service"),
        help_text=_("The partner's service from the services directory, if one fits."),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    message = models.TextField(
        _("message to the partner"),
        blank=True,
        help_text=_("Only what the partner needs to know. The partner sees this text."),
    )
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent relied on"),
    )
    consent_override_reason = models.TextField(_("reason for referring without consent"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SENT)
    sent_on = models.DateField(_("sent on"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    # The one-time link: only a hash of its token is stored, so the database cannot reveal the link.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    link_expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    link_used_at = models.DateTimeField(_("link used at"), null=True, blank=True)

    objects = site_scoped("case__site", social=True)
    # Unscoped on purpose, for the partner's page only: the secret link is the authorisation.
    by_link = models.Manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(consent=None) | ~Q(consent_override_reason=""),
                name="referral_has_consent_or_reason",
                violation_error_message=_("A referral needs a consent or a documented reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.partner_id}"

    @property
    def awaits_answer(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def link_is_live(self) -> bool:
        expires = self.link_expires_at
        return (
            bool(self.token_hash)
            and self.link_used_at is None
            and expires is not None
            and expires > timezone.now()
        )


class Document(TimeStampedModel):
    """A file on a case, stored under a random name outside the web root (settings.DOCUMENTS_DIR)."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("case"))
    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(_("file type"), max_length=40, choices=Kind)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    objects = site_scoped("case__site", social=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
