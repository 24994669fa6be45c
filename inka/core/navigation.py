"""The main navigation: each app registers its entries with the roles that may see them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from inka.core.http import InkaRequest


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 50
    # Pages under this path also mark the entry as current (e.g. every page of the logs).
    section: str = ""


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)
    _items.sort(key=lambda item: item.order)


def navigation_for(request: InkaRequest) -> list[dict[str, object]]:
    """Entries the user's roles allow, with the current page marked."""
    access = request.site_access
    entries: list[dict[str, object]] = []
    for item in _items:
        if not access.has_any_role(*item.roles):
            continue
        url = reverse(item.url_name)
        section = item.section or url
        current = request.path == url or (section != "/" and request.path.startswith(section))
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
