"""System checks of the account settings: production never runs without the second factor."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def two_factor_required(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` fails while two-factor login is switched off (only the demo may do that)."""
    if settings.TWO_FACTOR:
        return []
    return [
        Error(
            "Two-factor login is switched off (INKA_TWO_FACTOR=false).",
            hint="Only the local demo may run without it: remove INKA_TWO_FACTOR or set it to true.",
            id="inka.accounts.E001",
        )
    ]
