"""Permission matrix rows of the period reports and the programme report.

Site A's reports are read by its team (every version), its steering group (accepted versions only;
any other is 404) and the programme coordination (submitted and reviewed versions); they are written
and submitted by A's site lead and reviewed by the coordination. Site B's caseworker gets 404, data
protection and administration 403. The programme report is the coordination's alone.
"""

from datetime import date
from types import SimpleNamespace
from typing import Any

from inka.core.tests.policy_tables import LOGIN, POST_ONLY, SITE_A_VISIBLE, Policy
from inka.monitoring import services

TODAY = date(2025, 1, 15)
NARRATIVE = {
    "achievements": "Gut besucht.",
    "difficulties": "Eine Stelle unbesetzt.",
    "plans": "Mehr Sprechstunden.",
}

READ_A = {**SITE_A_VISIBLE, "dpo": 403, "admin": 403}
LEAD_A = {"anonymous": LOGIN, "other_caseworker": 404, "site_lead": 200, "default": 403}
COORDINATION = {"anonymous": LOGIN, "coordinator": 200, "default": 403}


def reports_a(w: Any) -> SimpleNamespace:
    """Site A's reports of 2024: Q1 a draft, Q2 submitted, Q3 accepted, Q4 returned."""
    if "reports" not in w.__dict__:
        lead, coordinator = w.user("site_lead"), w.user("coordinator")
        found = {}
        for quarter, name in enumerate(("draft", "submitted", "accepted", "returned"), start=1):
            report = services.report_start(actor=lead, site=w.site_a, year=2024, quarter=quarter, today=TODAY)
            if name != "draft":
                report = services.report_save(actor=lead, report=report, **NARRATIVE)
                report = services.report_submit(actor=lead, report=report, today=TODAY)
            if name == "accepted":
                report = services.report_accept(actor=coordinator, report=report)
            if name == "returned":
                report = services.report_return(actor=coordinator, report=report, comment="Bitte ergänzen.")
            found[name] = report
        w.reports = SimpleNamespace(**found)
    return w.reports


def on(name: str, **more: str) -> Any:
    return lambda w: {"pk": getattr(reports_a(w), name).pk, **more}


POLICY: dict[str, Policy] = {
    # The current site's reports (site B's caseworker: site B's), the coordination's list of all sites.
    "monitoring:report_list": Policy(get={"anonymous": LOGIN, "dpo": 403, "admin": 403, "default": 200}),
    "monitoring:report_create": Policy(
        get=POST_ONLY, post={"anonymous": LOGIN, "site_lead": 400, "default": 403}
    ),
    "monitoring:report_detail": Policy(get=READ_A, kwargs=on("accepted")),
    # An empty narrative can be saved as a draft.
    "monitoring:report_edit": Policy(get=LEAD_A, post={**LEAD_A, "site_lead": 302}, kwargs=on("draft")),
    # Submitting an empty narrative is refused at its fields.
    "monitoring:report_submit": Policy(get=POST_ONLY, post={**LEAD_A, "site_lead": 400}, kwargs=on("draft")),
    "monitoring:report_review": Policy(
        get=POST_ONLY,
        post={"anonymous": LOGIN, "other_caseworker": 404, "coordinator": 400, "default": 403},
        kwargs=on("submitted"),
    ),
    "monitoring:report_revise": Policy(
        get=POST_ONLY, post={**LEAD_A, "site_lead": 302}, kwargs=on("returned")
    ),
    "monitoring:report_export": Policy(get=READ_A, kwargs=on("accepted", fmt="csv")),
    "monitoring:programme_report": Policy(get=COORDINATION, kwargs=lambda w: {"year": 2024}),
    "monitoring:programme_report_export": Policy(
        get=COORDINATION, kwargs=lambda w: {"year": 2024, "fmt": "csv"}
    ),
}
