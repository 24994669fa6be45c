from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NetworkConfig(AppConfig):
    name = "inka.network"
    label = "network"
    verbose_name = _("Partner network")

    def ready(self) -> None:
        from inka.cases.worklist import WorkListProvider
        from inka.cases.worklist import register as register_work
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import SITE_WRITERS, Role
        from inka.network.views.relations import agreement_work_list_items

        register(
            NavItem(
                pgettext_lazy("navigation", "Partner network"),
                "network:partner_list",
                frozenset(
                    {
                        Role.CASEWORKER,
                        Role.SITE_LEAD,
                        Role.READER,
                        Role.STEERING,
                        Role.COORDINATOR,
                    }
                ),
                order=40,
                section="/partner/*",
            )
        )
        # Agreements whose renewal is due, for the site's team.
        register_work(
            WorkListProvider(
                key="vereinbarungen",
                title=_("Agreements to renew"),
                empty=_("No agreement needs renewing."),
                items=agreement_work_list_items,
                order=70,
                roles=SITE_WRITERS,
            )
        )
        register_actions(
            {
                "inka.partner.created": _("Network partner added"),
                "inka.partner.updated": _("Network partner changed"),
                "inka.partner.linked": _("Network partner added to a site's list"),
                "inka.partner.link_updated": _("Cooperation with a network partner changed"),
                "inka.partner_contact.created": _("Contact person at a partner added"),
                "inka.partner_contact.updated": _("Contact person at a partner changed"),
                "inka.partner_contact.deleted": _("Contact person at a partner removed"),
                "inka.service.created": _("Service added to the services directory"),
                "inka.service.updated": _("Service in the services directory changed"),
                "inka.agreement.created": _("Cooperation agreement recorded"),
                "inka.agreement.updated": _("Cooperation agreement changed"),
                "inka.agreement.renewed": _("Cooperation agreement renewed"),
                "inka.network_activity.created": _("Network activity recorded"),
                "inka.network_activity.updated": _("Network activity changed"),
            }
        )
        # The partner survey (inka/network/survey/); reached through the network's tabs.
        register_actions(
            {
                "inka.survey.instrument_loaded": _("Survey questionnaire loaded"),
                "inka.survey.wave_created": _("Partner survey planned"),
                "inka.survey.partners_invited": _("Partners invited to the survey"),
                "inka.survey.link_renewed": _("New survey link for a partner"),
            }
        )
