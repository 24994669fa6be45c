"""Reads of accounts and memberships."""

from types import SimpleNamespace

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from inka.accounts.models import Membership, User
from inka.core.permissions import SITE_WRITERS


def membership_get_for_site(*, site_id: int, pk: int) -> Membership | None:
    return Membership.objects.select_related("user").filter(site_id=site_id, pk=pk).first()


def user_list() -> QuerySet[User]:
    """All accounts with their memberships and sites, for the technical administration."""
    return (
        User.objects.prefetch_related("memberships__site")
        .annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("last_name", "first_name", "email")
    )


def site_caseworkers(*, site_id: int) -> QuerySet[User]:
    """Active accounts that may take on cases at a site (caseworkers and site leads)."""
    return (
        User.objects.filter(is_active=True, memberships__site_id=site_id, memberships__role__in=SITE_WRITERS)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def totp_device(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if one is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_status(*, user: User) -> SimpleNamespace:
    """What the security page shows: the authenticator (or None) and how many recovery codes are left."""
    return SimpleNamespace(
        device=totp_device(user=user),
        recovery_codes_left=StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    )
