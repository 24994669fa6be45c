"""What the page shell (navigation, site switcher) needs on every page."""

from typing import Any

from django.apps import apps

from inka.core.http import InkaRequest
from inka.core.navigation import navigation_for


def shell(request: InkaRequest) -> dict[str, Any]:
    access = getattr(request, "site_access", None)
    if access is None or not request.user.is_authenticated:
        return {"nav_items": [], "switchable_sites": []}
    site_model = apps.get_model("programme", "Site")
    return {
        "nav_items": navigation_for(request),
        # Lazy: evaluated only where the shell renders, inside the request's scope.
        "switchable_sites": site_model.objects.filter(pk__in=list(access.site_roles)).only(
            "pk", "code", "name"
        ),
    }
