from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "inka.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self) -> None:
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem, register
        from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role

        staff, writers = frozenset(SITE_STAFF), frozenset(SITE_WRITERS)
        register(
            # Steering-group members find their action items there.
            NavItem(_("Work list"), "cases:work_list", writers | {Role.STEERING}, order=10),
            NavItem(_("Cases"), "cases:case_list", staff, order=12),
            NavItem(_("Persons"), "cases:person_list", staff, order=14),
            NavItem(
                _("Anonymous contacts"), "cases:anonymous_contact_list", staff, order=16, section="/kontakte/"
            ),
        )
        register_actions(
            {
                "inka.person.created": _("Person recorded"),
                "inka.person.updated": _("Person's data changed"),
                "inka.consent.recorded": _("Consent recorded"),
                "inka.consent.withdrawn": _("Consent withdrawn"),
                "inka.case.opened": _("Case opened"),
                "inka.case.updated": _("Case changed"),
                "inka.case.closed": _("Case closed"),
                "inka.case.reopened": _("Case reopened"),
                "inka.contact.recorded": _("Contact recorded"),
                "inka.contact.updated": _("Contact changed"),
                "inka.contact.attached": _("Anonymous contact taken into a case"),
                "inka.goal.added": _("Goal added"),
                "inka.goal.updated": _("Goal changed"),
                "inka.goal.step_added": _("Step added"),
                "inka.goal.step_updated": _("Step changed"),
                "inka.follow_up.added": _("Follow-up added"),
                "inka.follow_up.done": _("Follow-up done"),
                "inka.referral.sent": _("Referral sent"),
                "inka.referral.link_renewed": _("New link for a referral"),
                "inka.referral.answered_by_partner": _("Partner answered a referral"),
                "inka.referral.updated": _("Referral changed"),
                "inka.document.uploaded": _("Document stored"),
            }
        )
