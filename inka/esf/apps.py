from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsfConfig(AppConfig):
    name = "inka.esf"
    label = "esf"
    verbose_name = _("ESF participation")

    def ready(self) -> None:
        from inka.cases.sections import CaseSection
        from inka.cases.sections import register as register_section
        from inka.cases.worklist import WorkListProvider
        from inka.cases.worklist import register as register_work
        from inka.core.audit import register_actions
        from inka.core.navigation import NavItem
        from inka.core.navigation import register as register_nav
        from inka.core.permissions import SITE_STAFF, Role
        from inka.esf.views import case_section_context, work_list_items

        register_nav(
            NavItem(
                _("ESF participations"),
                "esf:participation_list",
                frozenset(SITE_STAFF),
                order=18,
                section="/esf/teilnahmen/*",
            ),
            NavItem(
                _("ESF report"),
                "esf:report",
                frozenset({*SITE_STAFF, Role.STEERING, Role.COORDINATOR}),
                order=19,
            ),
        )
        register_section(
            CaseSection(
                key="esf",
                title=_("ESF participation"),
                template="esf/_case_section.html",
                context=case_section_context,
                order=70,  # after job integration (60)
            )
        )
        register_work(
            WorkListProvider(
                key="esf-nachbefragung",
                title=_("ESF six-month follow-ups"),
                empty=_("No ESF follow-up is due."),
                items=work_list_items,
                order=60,
            )
        )
        register_actions(
            {
                "inka.esf.participation.started": _("ESF participation begun"),
                "inka.esf.participation.reentered": _("Re-entry into the ESF participation"),
                "inka.esf.entry.updated": _("ESF entry questionnaire changed"),
                "inka.esf.exit.recorded": _("ESF exit recorded"),
                "inka.esf.exit.corrected": _("ESF exit date corrected"),
                "inka.esf.exit.no_answer": _(
                    "ESF: “no answer possible” on the situation after leaving changed"
                ),
                "inka.esf.exit_event.added": _("ESF situation after leaving recorded"),
                "inka.esf.exit_event.removed": _("ESF situation after leaving removed"),
                "inka.esf.education_start.added": _("ESF start of education or training recorded"),
                "inka.esf.education_start.removed": _("ESF start of education or training removed"),
                "inka.esf.qualification.added": _("ESF qualification recorded"),
                "inka.esf.qualification.removed": _("ESF qualification removed"),
                "inka.esf.job_outcome.adopted": _("Job outcome adopted as ESF result"),
                "inka.esf.followup.recorded": _("ESF six-month follow-up recorded"),
                "inka.esf.imported": _("ESF participation imported"),
                "inka.esf.import_updated": _("ESF participation changed by an import"),
            }
        )
