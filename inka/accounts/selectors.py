"""Reads of accounts and memberships."""

from django.db.models import QuerySet

from inka.accounts.models import Membership, User
from inka.core.permissions import SITE_WRITERS


def membership_get_for_site(*, site_id: int, pk: int) -> Membership | None:
    return Membership.objects.select_related("user").filter(site_id=site_id, pk=pk).first()


def user_list() -> QuerySet[User]:
    """All accounts with their memberships and sites, for the technical administration."""
    return User.objects.prefetch_related("memberships__site").order_by("last_name", "first_name", "email")


def site_caseworkers(*, site_id: int) -> QuerySet[User]:
    """Active accounts that may take on cases at a site (caseworkers and site leads)."""
    return (
        User.objects.filter(is_active=True, memberships__site_id=site_id, memberships__role__in=SITE_WRITERS)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
