"""Readable names of the access log's actions (reads of social data), shown on the log pages.

A refused request is logged under its route name ("cases:case_detail"), shown as it is.
"""

from django.utils.translation import gettext_lazy as _

ACCESS_ACTION_LABELS = {
    "view": _("Case part viewed"),
    "person.view": _("Person viewed"),
    "person.search": _("Person search: hit list"),
    "person.duplicate_hit": _("Possible duplicates shown"),
    "case.list": _("Case list shown"),
    "case.view": _("Case viewed"),
    "case.contacts": _("Contacts of a case shown"),
    "case.history": _("History of a case shown"),
    "case.referral": _("Referral form of a case viewed"),
    "referral.partner_view": _("Referral viewed by the partner"),
    "document.download": _("Document downloaded"),
    "work_list.view": _("Work list shown"),
    "esf.participation.view": _("ESF participation viewed"),
    "esf.participation.list": _("ESF participations listed"),
    "esf.report.view": _("ESF report shown"),
    "esf.report.download": _("ESF report downloaded"),
    "community.attendance.view": _("Attendance of a project shown"),
    "community.attendance.search": _("Person search for attendance"),
    "volunteer.list": _("Volunteers listed"),
    "volunteer.person": _("Person chosen as volunteer"),
    "volunteer.view": _("Volunteer viewed"),
    "volunteer.edit": _("Volunteer's form viewed"),
    "volunteer.hours_form": _("Volunteer hours form viewed"),
    "volunteer.session_hours": _("Volunteer hours of a session shown"),
    "volunteer.certificate": _("Volunteer certificate created"),
    "volunteer.certificate_form": _("Volunteer certificate form viewed"),
    "log.access.view": _("Access log shown"),
    "log.access.export": _("Access log exported"),
    "log.audit.view": _("Change history shown"),
    "log.audit.export": _("Change history exported"),
    "log.breach.view": _("Breach question: persons seen by an account"),
    "log.breach.export": _("Breach question exported"),
    "privacy.export": _("Data of a person exported (data-subject request)"),
    "privacy.person.view": _("Data protection page of a person shown"),
    "privacy.person.history": _("Change history of a person shown"),
    "privacy.request.list": _("Register of data-subject requests shown"),
    "privacy.request.view": _("Data-subject request viewed"),
    "privacy.restricted.view": _("Restricted person opened (with reason)"),
    "retention.view": _("Retention overview shown"),
}
