"""Demo data: deterministic from a seed; every app adds its part in its own `demo.py`.

An app's `demo.py` defines `generate(ctx: DemoContext) -> None`. Apps run in INSTALLED_APPS order,
so later apps find the sites and accounts of earlier ones in `ctx`.
"""

import importlib
import random
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django_scopes import scopes_disabled
from faker import Faker

DEMO_PASSWORD = "inka-demo-2026"  # noqa: S105  (printed for the local demo)
DEMO_EMAIL_DOMAIN = "inka.example"


@dataclass
class DemoLogin:
    role_label: str
    email: str
    description: str


@dataclass
class DemoContext:
    seed: int
    rng: random.Random
    faker: Faker
    sites: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    # Share of the full data volume (1.0: the magnitudes of a real site); tests use less.
    scale: float = 1.0
    # A fixed number of persons (the scale follows from it) and of contacts, for load and
    # benchmark data; None: as many as the scale gives.
    persons: int | None = None
    contacts: int | None = None
    cases: list[Any] = field(default_factory=list)


def demo_modules() -> list[Any]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("inka."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "generate"):  # this module itself has none
            modules.append(module)
    return modules


def demo_generate(
    *, seed: int = 2013, scale: float = 1.0, persons: int | None = None, contacts: int | None = None
) -> DemoContext:
    """Create the whole demo data set in one transaction; the same seed gives the same data.

    With `persons`, the case work has exactly that many persons and every later part grows in
    proportion (the case work sets the scale); with `contacts`, the cases have longer contact
    histories until there are about that many contacts in all.
    """
    faker = Faker("de_DE")
    faker.seed_instance(seed)
    rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
    ctx = DemoContext(seed=seed, rng=rng, faker=faker, scale=scale, persons=persons, contacts=contacts)
    # Runs outside any request, over all sites at once.
    with scopes_disabled(), transaction.atomic():
        for module in demo_modules():
            module.generate(ctx)
    if connection.vendor == "postgresql":
        # Bulk inserts leave the planner without statistics until autovacuum comes round; the
        # figures' per-person subqueries need them at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ctx
