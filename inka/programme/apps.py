from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "inka.programme"
    label = "programme"
    verbose_name = _("Programme and sites")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(NavItem(_("Sites"), "programme:site_list", frozenset(Role), order=20))
        register_actions(
            {
                "inka.site.created": _("Site added"),
                "inka.site.updated": _("Site changed"),
                "inka.site.seeded": _("Site loaded from the ThINKA seed"),
                "inka.site.period_added": _("Change of carrier or neighbourhood recorded"),
                "inka.site.period_ended": _("Carrier period ended"),
            }
        )
