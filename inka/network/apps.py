from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "inka.network"
    label = "network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        register(
            NavItem(
                _("Partners"),
                "network:partner_list",
                frozenset(
                    {
                        Role.CASEWORKER,
                        Role.SITE_LEAD,
                        Role.READER,
                        Role.STEERING,
                        Role.COORDINATOR,
                        Role.ADMIN,
                    }
                ),
                order=40,
            )
        )
        register_actions(
            {
                "inka.partner.created": _("Network partner added"),
                "inka.partner.updated": _("Network partner changed"),
                "inka.partner.linked": _("Network partner added to a site's list"),
                "inka.partner.link_updated": _("Cooperation with a network partner changed"),
            }
        )
