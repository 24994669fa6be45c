"""The main navigation: each app registers its entries with the roles that may see them."""

from dataclasses import dataclass
from fnmatch import fnmatch

from django.urls import reverse
from django.utils.functional import Promise

from inka.core.http import InkaRequest


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 50
    # A shell-style pattern of the pages that belong to the entry (default: its URL and below).
    section: str = ""


_items: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _items:
            _items.append(item)
    _items.sort(key=lambda item: item.order)


def navigation_for(request: InkaRequest) -> list[dict[str, object]]:
    """Entries the user's roles allow; the entry whose section fits the page best is current."""
    access = request.site_access
    entries: list[dict[str, object]] = []
    best, best_length = None, 0
    for item in _items:
        if not access.has_any_role(*item.roles):
            continue
        url = reverse(item.url_name)
        entry: dict[str, object] = {"label": item.label, "url": url, "current": False}
        entries.append(entry)
        pattern = item.section or (url if url == "/" else f"{url}*")
        if fnmatch(request.path, pattern) and len(pattern) > best_length:
            best, best_length = entry, len(pattern)
    if best is not None:
        best["current"] = True
    return entries
