from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "inka.employment"
    label = "employment"
    verbose_name = _("Job integration")

    def ready(self) -> None:
        from inka.cases.sections import CaseSection, register
        from inka.core.audit import register_actions
        from inka.employment.views import case_section_context

        register(
            CaseSection(
                key="arbeit",
                title=_("Job integration"),
                template="employment/_case_section.html",
                context=case_section_context,
                order=60,
            )
        )
        register_actions(
            {
                "inka.barriers.assessed": _("Placement barriers assessed"),
                "inka.barriers.updated": _("Assessment of placement barriers changed"),
                "inka.career_plan.updated": _("Career perspective changed"),
                "inka.application.added": _("Application added"),
                "inka.application.updated": _("Application changed"),
                "inka.job_outcome.added": _("Job outcome recorded"),
                "inka.job_outcome.updated": _("Job outcome changed"),
            }
        )
