"""Accounts and memberships: every change is validated, atomic and audited."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inka.accounts.models import Membership, User
from inka.core.audit import audit
from inka.core.permissions import PROGRAMME_ROLES, SITE_ROLES, Role


def user_create(
    *, actor: Any, email: str, first_name: str, last_name: str, password: str | None = None
) -> User:
    """Create an account; without a password it cannot log in until the invitation is used."""
    user = User(email=email.strip().lower(), first_name=first_name, last_name=last_name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit(actor=actor, action="inka.user.created", obj=user)
    return user


def password_setup_url(user: User, base_url: str | None = None) -> str:
    """A one-time link to choose a password (Django's reset token: invalid once a password is set)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return (base_url or settings.BASE_URL).rstrip("/") + path


def _send_team_mail(*, user: User, site: Any, actor: Any, template: str, base_url: str | None) -> None:
    base = (base_url or settings.BASE_URL).rstrip("/")
    context = {
        "user": user,
        "site": site,
        "actor": actor,
        "url": password_setup_url(user, base),
        "base": base,
    }
    send_mail(
        subject=_("Your INKA account for %(site)s") % {"site": site.name},
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def member_invite(
    *,
    site: Any,
    actor: Any,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    base_url: str | None = None,
) -> Membership:
    """Give a person a role at a site; a new account gets an e-mail to choose a password.

    A site lead may add an existing account (a colleague who also works at another site), but
    neither an account with a programme-wide role nor one the administration has deactivated.
    """
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is not None:
        memberships = list(user.memberships.all())
        if any(membership.site_id == site.pk for membership in memberships):
            raise ValidationError({"email": _("This person already belongs to the team.")})
        if any(membership.role in PROGRAMME_ROLES for membership in memberships):
            raise ValidationError(
                {"email": _("This account has a programme-wide role and cannot join a site team.")}
            )
        if not user.is_active and memberships:
            raise ValidationError(
                {"email": _("This account is deactivated. Please ask the technical administration.")}
            )
    invite = user is None or not user.has_usable_password()
    if user is None:
        user = user_create(actor=actor, email=email, first_name=first_name, last_name=last_name)
    elif not user.is_active:
        # Deactivated only because they had left every team: joining a team brings them back.
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit(actor=actor, action="inka.user.reactivated", obj=user, site_id=site.pk)
    membership = membership_grant(user=user, actor=actor, role=role, site=site)
    template = "accounts/invitation_email.txt" if invite else "accounts/added_to_team_email.txt"
    transaction.on_commit(
        lambda: _send_team_mail(user=user, site=site, actor=actor, template=template, base_url=base_url)
    )
    return membership


@transaction.atomic
def member_reinvite(*, membership: Membership, actor: Any, base_url: str | None = None) -> None:
    """Send a new invitation link to a team member who has not chosen a password yet."""
    if membership.user.has_usable_password():
        raise ValidationError(_("This person has already chosen a password."))
    audit(actor=actor, action="inka.membership.reinvited", obj=membership, site_id=membership.site_id)
    transaction.on_commit(
        lambda: _send_team_mail(
            user=membership.user,
            site=membership.site,
            actor=actor,
            template="accounts/invitation_email.txt",
            base_url=base_url,
        )
    )


@transaction.atomic
def member_change_role(*, membership: Membership, actor: Any, role: str) -> Membership:
    """Change a team member's role at the site."""
    if membership.user_id == actor.pk and membership.role == Role.SITE_LEAD and role != Role.SITE_LEAD:
        raise ValidationError({"role": _("You cannot take the site lead role from yourself.")})
    old = membership.role
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    audit(
        actor=actor,
        action="inka.membership.role_changed",
        obj=membership,
        site_id=membership.site_id,
        changes={"role": [old, role]},
        user=membership.user_id,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: Any) -> None:
    """Take a person off the team; an account left without any role is deactivated."""
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot remove yourself from the team."))
    user = membership.user
    audit(
        actor=actor,
        action="inka.membership.removed",
        obj=membership,
        site_id=membership.site_id,
        user=user.pk,
        role=membership.role,
    )
    membership.delete()
    if not user.memberships.exists():
        user_set_active(user=user, actor=actor, active=False)


@transaction.atomic
def user_set_active(*, user: User, actor: Any, active: bool) -> User:
    """Activate or deactivate an account; deactivation ends its sessions at the next request."""
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            # Inactive users are logged out anyway; a new generation keeps a later reactivation from
            # bringing the old sessions back.
            _new_session_generation(user)
        audit(actor=actor, action="inka.user.activated" if active else "inka.user.deactivated", obj=user)
    return user


@transaction.atomic
def membership_grant(*, user: User, actor: Any, role: str, site: Any = None) -> Membership:
    """Give an existing account a role (programme-wide when `site` is None)."""
    roles = set(user.memberships.values_list("role", flat=True))
    if (site is None and roles & SITE_ROLES) or (site is not None and roles & PROGRAMME_ROLES):
        raise ValidationError(_("Programme-wide roles and site roles cannot be held by the same account."))
    membership = Membership(user=user, site=site, role=role)
    membership.full_clean()
    membership.save()
    audit(
        actor=actor,
        action="inka.membership.created",
        obj=membership,
        site_id=getattr(site, "pk", None),
        user=user.pk,
        role=role,
    )
    return membership


# --- Sessions and the second factor ------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def _new_session_generation(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


@transaction.atomic
def user_end_sessions(*, user: User, actor: Any) -> None:
    """End every session of the account, on every device (the session hash no longer matches)."""
    _new_session_generation(user)
    audit(actor=actor, action="inka.user.sessions_ended", obj=user)


@transaction.atomic
def user_reset_second_factor(*, user: User, actor: Any) -> None:
    """Delete the account's authenticator and recovery codes and end its sessions; it enrols anew."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _new_session_generation(user)
    audit(actor=actor, action="inka.user.second_factor_reset", obj=user)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator being set up (not confirmed yet); the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="INKA", confirmed=False)


def _normalised(code: str) -> str:
    return "".join(character for character in code if character.isalnum()).lower()


def _check_code(*, user: User, devices: list[Device], code: str) -> Device:
    """The device that accepts `code`; each code counts once, wrong codes slow down further tries.

    Not inside a transaction of the caller's: a refused code must still count for the throttling.
    """
    for device in devices:
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"code": _("Too many wrong codes. Please wait a moment, then try again.")})
        if verify_token(user, device.persistent_id, code):
            return device
    raise ValidationError({"code": _("The code is not correct or has already been used.")})


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a new authenticator with a code from it; returns the new recovery codes (shown once)."""
    _check_code(user=user, devices=[device], code=_normalised(code))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        audit(actor=user, action="inka.user.second_factor_enrolled", obj=user)
    return codes


def second_factor_check(*, user: User, code: str) -> Device:
    """The device that accepts `code`: a code of the authenticator app or an unused recovery code."""
    code = _normalised(code)
    if code.isdigit() and len(code) == 6:
        devices: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    device = _check_code(user=user, devices=devices, code=code)
    if isinstance(device, StaticDevice):
        audit(actor=user, action="inka.user.recovery_code_used", obj=user)
    return device


def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """New recovery codes in place of the old ones, against a current code of the authenticator."""
    devices: list[Device] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    _check_code(user=user, devices=devices, code=_normalised(code))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit(actor=user, action="inka.user.recovery_codes_renewed", obj=user)
    return codes
