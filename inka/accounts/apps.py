from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "inka.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(
            NavItem(_("Team"), "accounts:my_team", frozenset({Role.SITE_LEAD}), order=70),
            NavItem(_("Accounts"), "accounts:user_list", frozenset({Role.ADMIN}), order=80),
        )
        from inka.accounts import middleware  # noqa: F401  (connects the login-time receiver)
