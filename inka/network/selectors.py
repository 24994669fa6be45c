"""Reads of the partner network. Callers pass the site ids they may see; the scope is the net."""

from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet

from inka.network.models import Partner, SitePartner


def _search(q: str, *, prefix: str = "") -> Q:
    q = q.strip()
    if not q:
        return Q()
    return Q(**{f"{prefix}name__icontains": q}) | Q(**{f"{prefix}town__icontains": q})


def partner_list(*, site_ids: Sequence[int], q: str = "", kind: str = "") -> QuerySet[SitePartner]:
    """The sites' partner links with their partners, filtered by name or town and kind."""
    links = SitePartner.objects.filter(site_id__in=site_ids).filter(_search(q, prefix="partner__"))
    if kind:
        links = links.filter(partner__kind=kind)
    return links.select_related("partner", "site").order_by("partner__name", "partner__town", "site__name")


def partner_list_across_sites(*, site_ids: Sequence[int], q: str = "", kind: str = "") -> QuerySet[Partner]:
    """Partners that work with any of the sites, once each, with those sites' links prefetched."""
    links = SitePartner.objects.filter(site_id__in=site_ids)
    partners = Partner.objects.filter(pk__in=links.values("partner_id")).filter(_search(q))
    if kind:
        partners = partners.filter(kind=kind)
    shown_links = links.select_related("site").order_by("site__name")
    return partners.prefetch_related(
        Prefetch("site_links", queryset=shown_links, to_attr="visible_links")
    ).order_by("name", "town")


def partner_choices(*, site_id: int) -> QuerySet[Partner]:
    """Active partners on the site's list, by kind and name: the choices of a referral form."""
    return Partner.objects.filter(is_active=True, site_links__site_id=site_id).order_by("kind", "name")


def partner_get_for_site(*, site_id: int, partner_id: int) -> SitePartner | None:
    """The site's link to a partner, or None when the partner is not on the site's list."""
    return (
        SitePartner.objects.select_related("partner", "site")
        .filter(site_id=site_id, partner_id=partner_id)
        .first()
    )


def partner_get_duplicate(*, name: str, town: str, exclude_pk: int | None = None) -> Partner | None:
    """A partner of the same name in the same town (ignoring case), if one is on record."""
    partners = Partner.objects.filter(name__iexact=name.strip(), town__iexact=town.strip())
    if exclude_pk is not None:
        partners = partners.exclude(pk=exclude_pk)
    return partners.order_by("pk").first()
