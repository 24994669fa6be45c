from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "inka.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import Role

        # The register of data-subject requests: site leads and the data protection officer; caseworkers
        # reach it from the person's page (the main navigation stays short for daily case work).
        register(
            NavItem(
                _("Data protection"),
                "privacy:request_list",
                frozenset({Role.SITE_LEAD, Role.DPO}),
                order=75,
                section="/datenschutz/*",
            )
        )
        register_actions(
            {
                "inka.privacy.request.received": _("Data-subject request registered"),
                "inka.privacy.request.updated": _("Data-subject request changed"),
                "inka.privacy.request.answered": _("Data-subject request answered"),
                "inka.privacy.request.rectified": _("Corrections recorded for a request"),
                "inka.privacy.export.created": _("Data of a person exported"),
                "inka.privacy.contested": _("Value marked as contested"),
                "inka.privacy.contest_resolved": _("Contested value resolved"),
                "inka.privacy.restricted": _("Processing restricted"),
                "inka.privacy.restriction_lifted": _("Restriction lifted"),
                "inka.privacy.retention.approved": _("Retention run approved"),
                "inka.privacy.retention.run": _("Retention run carried out"),
                "inka.privacy.retention.funding_round": _("Retention period of a funding round changed"),
            }
        )
