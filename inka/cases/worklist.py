"""Reminders other apps add to the work list (the ESF six-month follow-up, …).

An app registers a `WorkListProvider` in its AppConfig.ready(); the work list asks each provider for
the user's items and shows them as a section of their own, so case work needs no import of the app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise

from inka.cases.models import Case


@dataclass(frozen=True)
class WorkListItem:
    case: Case  # whose person the item is about; the page links to `url` and logs the case
    due_on: date
    text: str | Promise
    url: str


@dataclass(frozen=True)
class WorkListProvider:
    key: str  # the anchor of the section
    title: str | Promise
    empty: str | Promise  # shown when there is nothing to do
    items: Callable[..., list[WorkListItem]]  # items(user=…, site_ids=[…], today=…), oldest first
    order: int = 50


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


def extra_sections(*, user: Any, site_ids: list[int], today: date) -> list[WorkListSection]:
    """The registered providers' sections for the user, in their order."""
    return [
        WorkListSection(provider, provider.items(user=user, site_ids=site_ids, today=today))
        for provider in work_list_providers()
    ]
