"""Sections other apps add to a site's public page (the neighbourhood projects, …).

An app registers a `PublicSection` in its AppConfig.ready(); the public page renders each section's
template with the context its `context` function returns for the site (as `public`), and leaves it
out when that is None. Only what is meant to be published belongs here: the page has no login.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicSection:
    key: str
    template: str
    context: Callable[[Any], dict[str, Any] | None]  # site -> template context, None: nothing to show
    order: int = 50


_sections: list[PublicSection] = []


def register(section: PublicSection) -> None:
    if all(existing.key != section.key for existing in _sections):
        _sections.append(section)
        _sections.sort(key=lambda item: item.order)


def public_sections(site: Any) -> list[tuple[PublicSection, dict[str, Any]]]:
    """The registered sections that have something to show for `site`, with their contexts."""
    shown = []
    for section in _sections:
        context = section.context(site)
        if context is not None:
            shown.append((section, context))
    return shown
