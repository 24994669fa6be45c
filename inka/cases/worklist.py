"""Reminders other apps add to the work list (the ESF six-month follow-up, agreements to renew,
steering-group action items, …).

An app registers a `WorkListProvider` in its AppConfig.ready(); the work list asks each provider for
the user's items at the sites where the user holds one of the provider's roles and shows them as a
section of their own, so case work needs no import of the app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise

from inka.cases.models import Case
from inka.core.permissions import SITE_WRITERS


@dataclass(frozen=True)
class WorkListItem:
    due_on: date
    text: str | Promise
    url: str
    label: str | Promise  # what the item is about: a person's name, an agreement, a meeting
    site_code: str = ""
    case: Case | None = None  # when the item is about a person: the page logs the read of the case


@dataclass(frozen=True)
class WorkListProvider:
    key: str  # the anchor of the section
    title: str | Promise
    empty: str | Promise  # shown when there is nothing to do
    items: Callable[..., list[WorkListItem]]  # items(user=…, site_ids=[…], today=…), oldest first
    order: int = 50
    # Who gets the section: `site_ids` are the sites where the user holds one of these roles.
    roles: tuple[str, ...] = SITE_WRITERS


_providers: list[WorkListProvider] = []


def register(provider: WorkListProvider) -> None:
    if all(existing.key != provider.key for existing in _providers):
        _providers.append(provider)
        _providers.sort(key=lambda item: item.order)


def work_list_providers() -> list[WorkListProvider]:
    return list(_providers)


@dataclass(frozen=True)
class WorkListSection:
    provider: WorkListProvider
    items: list[WorkListItem]


def extra_sections(*, user: Any, access: Any, today: date) -> list[WorkListSection]:
    """The registered providers' sections for the user, in their order (only where they hold a role)."""
    sections = []
    for provider in work_list_providers():
        site_ids = access.sites_with_role(*provider.roles)
        if site_ids:
            sections.append(
                WorkListSection(provider, provider.items(user=user, site_ids=site_ids, today=today))
            )
    return sections
