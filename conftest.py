"""Shared test set-up: scopes, personas (one user per role at site A, a caseworker at site B)."""

from types import SimpleNamespace

import pytest
from django.test import utils
from django_scopes import scopes_disabled

# Creating the test database runs migrations and data loads outside any request (django-scopes).
utils.setup_databases = scopes_disabled()(utils.setup_databases)


@pytest.fixture(autouse=True)
def _no_scope_in_fixtures():
    """Fixtures and test bodies run unscoped, like a management command would; requests are scoped."""
    with scopes_disabled():
        yield
