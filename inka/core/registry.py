"""The privacy field registry: every model field of INKA is classified here, app by app.

Each app lists its fields in `<app>/field_registry.py` as `FIELDS = {"app.Model": {"field": DataClass.…}}`.
The records of processing (Art. 30 GDPR), retention and the export of a person's data build on it;
`inka/core/tests/test_field_registry.py` fails for any field that is not classified.
"""

import importlib
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    PUBLIC = "public", _("public (shown without login)")
    INTERNAL = "internal", _("internal organisational data, no person")
    STAFF = "staff", _("personal data of staff and partners")
    PERSONAL = "personal", _("personal data of clients")
    SPECIAL = "special", _("special category of personal data (Art. 9 GDPR)")
    TECHNICAL = "technical", _("technical (keys, times, hashes)")
    LOG = "log", _("log data (who did what, when)")


def field_registry() -> dict[str, dict[str, DataClass]]:
    """All classifications of all INKA apps, by model label and field name."""
    registry: dict[str, dict[str, DataClass]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("inka."):
            continue
        try:
            module: Any = importlib.import_module(f"{config.name}.field_registry")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.field_registry":
                raise
            continue
        registry.update(module.FIELDS)
    return registry
