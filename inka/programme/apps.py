from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "inka.programme"
    label = "programme"
    verbose_name = _("Programme and sites")

    def ready(self) -> None:
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(NavItem(_("Sites"), "programme:site_list", frozenset(Role), order=20))
