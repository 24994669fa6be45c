from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "inka.steering"
    label = "steering"
    verbose_name = _("Steering groups")

    def ready(self) -> None:
        from inka.cases.worklist import WorkListProvider
        from inka.cases.worklist import register as register_work
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem
        from inka.core.navigation import register as register_nav
        from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role
        from inka.steering.worklist import work_list_items

        register_nav(
            NavItem(
                _("Steering group"),
                "steering:group_home",
                frozenset({*SITE_STAFF, Role.STEERING, Role.COORDINATOR}),
                order=45,
                section="/steuerungsgruppe/*",
            )
        )
        register_work(
            WorkListProvider(
                key="steuerungsgruppe",
                title=_("Action items of the steering group"),
                empty=_("You have no open action items from the steering group."),
                items=work_list_items,
                order=70,
                roles=(*SITE_WRITERS, Role.STEERING),
            )
        )
        register_actions(
            {
                "inka.steering.group.created": _("Steering group set up"),
                "inka.steering.group.updated": _("Steering group changed"),
                "inka.steering.member.created": _("Steering group member added"),
                "inka.steering.member.updated": _("Steering group member changed"),
                "inka.steering.meeting.planned": _("Steering group meeting planned"),
                "inka.steering.meeting.updated": _("Steering group meeting changed"),
                "inka.steering.meeting.minutes_recorded": _("Minutes of a steering group meeting recorded"),
                "inka.steering.action_item.created": _("Action item of the steering group added"),
                "inka.steering.action_item.updated": _("Action item of the steering group changed"),
                "inka.steering.action_item.removed": _("Action item of the steering group removed"),
            }
        )
