from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "inka.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(
            NavItem(
                _("Team"),
                "accounts:my_team",
                frozenset({Role.SITE_LEAD}),
                order=70,
                section="/standorte/*/team/*",
            ),
            NavItem(_("Accounts"), "accounts:user_list", frozenset({Role.ADMIN}), order=80),
        )
        register_actions(
            {
                "inka.user.created": _("Account created"),
                "inka.user.activated": _("Account reactivated"),
                "inka.user.reactivated": _("Account reactivated on joining a team"),
                "inka.user.deactivated": _("Account deactivated"),
                "inka.membership.created": _("Added to a team"),
                "inka.membership.role_changed": _("Role changed"),
                "inka.membership.removed": _("Removed from a team"),
                "inka.membership.reinvited": _("Invitation sent again"),
                "inka.user.sessions_ended": _("All sessions ended"),
                "inka.user.second_factor_enrolled": _("Two-factor login set up"),
                "inka.user.second_factor_reset": _("Two-factor login reset"),
                "inka.user.recovery_code_used": _("Logged in with a recovery code"),
                "inka.user.recovery_codes_renewed": _("New recovery codes created"),
            }
        )
        from inka.accounts import checks, middleware  # noqa: F401  (registers the checks and the receiver)
