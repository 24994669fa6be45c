"""Accounts: users log in with their e-mail; a membership gives a user a role at a site."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from inka.core.permissions import PROGRAMME_ROLES, SITE_ROLES, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive accounts cannot log in; their history stays.")
    )
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)
    # Part of the session hash: raising it ends every session of the user ("log out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request; it changes with the password and with the session
        # generation, so raising the generation ends every session of the user. (Overridden here, not
        # in get_session_auth_hash, so that the SECRET_KEY_FALLBACKS variant includes it too.)
        return salted_hmac(
            "inka.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A user's role at one site, or (site empty) a programme-wide role."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    site = models.ForeignKey(
        "programme.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("site"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "site"], condition=Q(site__isnull=False), name="membership_one_role_per_site"
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(site__isnull=True), name="membership_programme_role_once"
            ),
            models.CheckConstraint(
                condition=(Q(site__isnull=False) & Q(role__in=sorted(SITE_ROLES)))
                | (Q(site__isnull=True) & Q(role__in=sorted(PROGRAMME_ROLES))),
                name="membership_role_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.site_id or '*'}"

    def clean(self) -> None:
        if self.site_id is None and self.role in SITE_ROLES:
            raise ValidationError({"site": _("This role needs a site.")})
        if self.site_id is not None and self.role in PROGRAMME_ROLES:
            raise ValidationError({"role": _("This role applies to the whole programme, not to one site.")})
