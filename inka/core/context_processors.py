"""What the page shell (navigation, site switcher) needs on every page."""

from typing import Any

from django.apps import apps
from django.utils import timezone

from inka.core.http import InkaRequest
from inka.core.navigation import navigation_for
from inka.core.permissions import SITE_WRITERS


def shell(request: InkaRequest) -> dict[str, Any]:
    access = getattr(request, "site_access", None)
    today = timezone.localdate()
    if access is None or not request.user.is_authenticated:
        return {"nav_items": [], "switchable_sites": [], "today": today}
    site_model = apps.get_model("programme", "Site")
    current_site_id = getattr(request, "current_site_id", None)
    return {
        "today": today,
        "nav_items": navigation_for(request),
        # The quick anonymous contact is one tap away on every page for those who record contacts.
        "quick_contact": current_site_id is not None and access.role_at(current_site_id) in SITE_WRITERS,
        # Lazy: evaluated only where the shell renders, inside the request's scope.
        "switchable_sites": site_model.objects.filter(pk__in=list(access.site_roles)).only(
            "pk", "code", "name"
        ),
    }
