from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "inka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(
            NavItem(_("Start"), "start", frozenset(Role), order=0),
            NavItem(
                _("Logs"),
                "core:access_log",
                frozenset({Role.SITE_LEAD, Role.DPO}),
                order=90,
                section="/protokolle/*",
            ),
        )
