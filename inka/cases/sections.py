"""Sections of the case page that other apps contribute (job integration, ESF participation, …).

An app registers a `CaseSection` in its AppConfig.ready(); the case page renders each section's
template with the context its `context` function returns for the case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from inka.cases.access import CaseAccess


@dataclass(frozen=True)
class CaseSection:
    key: str  # the anchor of the section on the page
    title: str | Promise
    template: str
    context: Callable[[Any, CaseAccess], dict[str, Any]]  # (case, access) -> template context
    order: int = 50


_sections: list[CaseSection] = []


def register(section: CaseSection) -> None:
    if all(existing.key != section.key for existing in _sections):
        _sections.append(section)
        _sections.sort(key=lambda item: item.order)


def case_sections() -> list[CaseSection]:
    return list(_sections)
