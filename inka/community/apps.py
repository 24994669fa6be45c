from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "inka.community"
    label = "community"
    verbose_name = _("Neighbourhood work")

    def ready(self) -> None:
        from inka.community.views.projects import public_section_context
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import SITE_STAFF, Role
        from inka.programme.public import PublicSection
        from inka.programme.public import register as register_public

        register(
            NavItem(
                _("Neighbourhood work"),
                "community:project_list",
                frozenset({*SITE_STAFF, Role.STEERING, Role.COORDINATOR}),
                order=30,
                section="/gemeinwesen/*",
            )
        )
        # Projects, sessions, attendance and resident activation
        register_actions(
            {
                "inka.community.project.created": _("Community project created"),
                "inka.community.project.updated": _("Community project changed"),
                "inka.community.session.created": _("Session of a community project added"),
                "inka.community.session.updated": _("Session of a community project changed"),
                "inka.community.headcount.set": _("Headcount of a session recorded"),
                "inka.community.attendance.added": _("Named participant added to a session"),
                "inka.community.attendance.removed": _("Named participant removed from a session"),
                "inka.community.activation.created": _("Resident activation recorded"),
                "inka.community.activation.updated": _("Resident activation changed"),
            }
        )
        # Volunteers and their hours; outreach rounds
        register_actions(
            {
                "inka.volunteer.created": _("Volunteer added"),
                "inka.volunteer.updated": _("Volunteer changed"),
                "inka.volunteer.hours_added": _("Volunteer hours recorded"),
                "inka.volunteer.hours_removed": _("Volunteer hours deleted"),
                "inka.volunteer.session_hours_set": _("Volunteer hours of a session recorded"),
                "inka.volunteer.certificate_issued": _("Certificate of volunteer engagement issued"),
                "inka.outreach.recorded": _("Outreach round recorded"),
                "inka.outreach.updated": _("Outreach round changed"),
            }
        )
        # The site's public page shows the projects the team chose to describe publicly.
        register_public(
            PublicSection(
                key="projects", template="community/_public_projects.html", context=public_section_context
            )
        )
