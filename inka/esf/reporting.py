"""The ESF report of sites and a period: the one function the command line and the report page use."""

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from inka.esf.engine import DEFAULT_OPTIONS, Options, Report, compute_report
from inka.esf.selectors import participation_records, participations_for_report
from inka.programme.models import Site


class UnknownSiteError(ValueError):
    """A site code that names no site (or none the caller may see)."""


def sites_by_code(codes: Sequence[str] | None) -> list[Site]:
    """The sites with these short codes, ordered by code; None means every site."""
    sites = Site.objects.order_by("code")
    if codes is None:
        return list(sites)
    found = list(sites.filter(code__in=set(codes)))
    unknown = sorted(set(codes) - {site.code for site in found})
    if unknown:
        raise UnknownSiteError(
            _("Unknown site code: %(codes)s. Known codes: %(known)s.")
            % {
                "codes": ", ".join(unknown),
                "known": ", ".join(Site.objects.order_by("code").values_list("code", flat=True)),
            }
        )
    return found


def build_report(
    *,
    site_codes: Sequence[str] | None,
    period_from: date,
    period_to: date,
    indicator_set: str = "esf-plus",
    options: Options = DEFAULT_OPTIONS,
) -> Report:
    """The indicators of the set for the sites (None: all) and the period, both ends inclusive."""
    sites = sites_by_code(site_codes)
    participations = participations_for_report(
        site_ids=[site.pk for site in sites], period_from=period_from, period_to=period_to
    )
    return compute_report(
        participation_records(participations),
        indicator_set=indicator_set,
        period_from=period_from,
        period_to=period_to,
        sites=tuple(site.code for site in sites),
        options=options,
    )
