from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "inka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from inka.core.access_actions import ACCESS_ACTION_LABELS
        from inka.core.audit import register_actions
        from inka.core.grants import grant_after_migrate
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register_actions(ACCESS_ACTION_LABELS)
        # The application's database role may append to the logs but never change them (PostgreSQL).
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="inka.core.grants")

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
