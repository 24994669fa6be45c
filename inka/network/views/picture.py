"""The network picture (N6): a site's partners, referrals, joint work and agreements in one year.

The site's team sees its current site in full. The steering group sees its own site, and the
programme roles a site they choose, with small referral numbers hidden (SECURITY.md): those
numbers come from person-level data.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from inka.core.http import InkaRequest
from inka.core.permissions import SITE_STAFF, Role
from inka.network import picture
from inka.network.picture_svg import ABBREVIATIONS, growth_chart, network_drawing
from inka.network.views.partners import PROGRAMME_READERS
from inka.programme.models import Site


@dataclass(frozen=True)
class Viewer:
    """Whose picture it is: one site for its team or steering group, a choice of sites otherwise."""

    suppressed: bool
    site: Site | None = None
    choices: tuple[Site, ...] = ()


def picture_viewer(request: InkaRequest) -> Viewer:
    """The site(s) the user may see the picture of, and whether small numbers are hidden; 403 else."""
    access = request.site_access
    if access.has_programme_role(*PROGRAMME_READERS):
        sites = Site.objects.filter(pk__in=access.visible_site_ids).order_by("code")
        return Viewer(suppressed=True, choices=tuple(sites))
    site_id = request.current_site_id
    role = access.role_at(site_id) if site_id is not None else None
    if site_id is None or role not in (*SITE_STAFF, Role.STEERING):
        raise PermissionDenied
    return Viewer(suppressed=role == Role.STEERING, site=get_object_or_404(Site, pk=site_id))


def _number(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


class PictureForm(forms.Form):
    """The year, and for the programme roles the site; missing values default to this year, first site."""

    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, query: QueryDict, *, viewer: Viewer) -> None:
        self.viewer = viewer
        self.sites = {site.pk: site for site in viewer.choices}
        data = query.copy()
        if viewer.choices and not data.get("site"):
            data["site"] = str(viewer.choices[0].pk)
        # The years on offer are the chosen site's (the first site's while the choice is invalid).
        asked = self.sites.get(_number(data.get("site")) or 0)
        site = viewer.site or asked or viewer.choices[0]
        years = picture.year_choices(site.starts_on)
        if not data.get("year"):
            data["year"] = str(years[0])
        super().__init__(data)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(year, str(year)) for year in years]
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.TypedChoiceField)
        if viewer.choices:
            site_field.choices = [(site.pk, f"{site.code} – {site.name}") for site in viewer.choices]
        else:
            del self.fields["site"]

    def chosen_site(self) -> Site:
        return self.viewer.site or self.sites[self.cleaned_data["site"]]


@require_GET
def network_picture(request: InkaRequest) -> HttpResponse:
    viewer = picture_viewer(request)
    context: dict[str, Any] = {"viewer": viewer, "k": settings.SUPPRESSION_K}
    if viewer.site is None and not viewer.choices:
        return render(request, "network/network_picture.html", context)
    form = PictureForm(request.GET, viewer=viewer)
    context["form"] = form
    if not form.is_valid():
        return render(request, "network/network_picture.html", context, status=400)
    site, year = form.chosen_site(), form.cleaned_data["year"]
    network = picture.network_year(site_id=site.pk, year=year, today=timezone.localdate())
    if viewer.suppressed:
        network = picture.suppress_referrals(network, k=settings.SUPPRESSION_K)
    context |= {
        "site": site,
        "network": network,
        "drawing": network_drawing(network),
        "growth": growth_chart(network.growth, selected=year),
        "legend": [(row.kind, row.label, ABBREVIATIONS.get(row.kind, "")) for row in network.kinds],
    }
    return render(request, "network/network_picture.html", context)
