from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "inka.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and reporting")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem
        from inka.core.navigation import register as register_nav
        from inka.core.permissions import SITE_STAFF, Role

        # Key figures: the site dashboard (the coordinator's: the programme dashboard)
        register_nav(
            NavItem(
                _("Key figures"),
                "monitoring:home",
                frozenset({*SITE_STAFF, Role.STEERING, Role.COORDINATOR}),
                order=48,
                section="/kennzahlen/*",
            )
        )

        # Period reports
        register_actions(
            {
                "inka.monitoring.report.started": _("Period report started"),
                "inka.monitoring.report.updated": _("Period report changed"),
                "inka.monitoring.report.submitted": _("Period report submitted"),
                "inka.monitoring.report.returned": _("Period report returned to the site"),
                "inka.monitoring.report.accepted": _("Period report accepted"),
                "inka.monitoring.report.revised": _("New version of a period report started"),
            }
        )
