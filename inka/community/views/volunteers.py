"""Volunteers of a site: the list with their hours, a volunteer's page, hours for a session or a
month, everyone's hours after an event at once, and the certificate of engagement as PDF.

Volunteers are person-level data: only the site's team sees them, and every page that shows them
writes an access-log row.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from inka.cases.models import Person
from inka.cases.selectors import person_search
from inka.community import selectors, services
from inka.community.forms import (
    CertificateForm,
    MonthHoursEntryForm,
    PersonChoiceSearchForm,
    SessionHoursEntryForm,
    SessionHoursForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from inka.community.models import Session, Volunteer
from inka.community.templatetags.volunteering import hours as hours_text
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.core.pdf import html_to_pdf
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role, require_current_site, require_site_role
from inka.privacy.access import refuse_if_restricted
from inka.programme.models import Site
from inka.programme.selectors import site_current_period

PAGE_SIZE = 50
PERSON_RESULTS = 10


def _volunteer(request: InkaRequest, pk: int, *roles: str) -> Volunteer:
    # Person-level scope: another site's volunteer is not found (404) before any role check.
    volunteer: Volunteer = get_object_or_404(Volunteer.objects.select_related("site", "person"), pk=pk)
    require_site_role(request, volunteer.site_id, *roles)
    refuse_if_restricted(volunteer.person)
    return volunteer


def volunteer_list(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_STAFF)
    form = VolunteerFilterForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    volunteers = selectors.volunteer_list(site_id=site.pk, active=form.active(), q=q)
    page = Paginator(volunteers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        log_access(request, action="volunteer.list", site_id=site.pk, records=rows)
    can_write = request.site_access.has_site_role(site.pk, *SITE_WRITERS)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/volunteer_list.html",
        {
            "site": site,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": bool(q) or form.active() is not True,
            "year": timezone.localdate().year,
            "can_write": can_write,
            "sessions": selectors.recent_sessions(site_id=site.pk) if can_write else [],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _chosen_person(request: InkaRequest, site_id: int, current: Person | None) -> tuple[Person | None, bool]:
    """The client the volunteer is: chosen by ?person= (empty: none), else `current`; and whether it
    was chosen just now (then the form takes over the name)."""
    if request.method == "POST":
        raw = request.POST.get("person", "")
    elif "person" in request.GET:
        raw = request.GET["person"]
    else:
        return current, False
    valid = raw.isdigit() and len(raw) < 10
    person = Person.objects.filter(site_id=site_id, pk=int(raw)).first() if valid else None
    return person, request.method == "GET"


def _volunteer_form(
    request: InkaRequest, site: Site, volunteer: Volunteer | None
) -> tuple[VolunteerForm, Person | None]:
    person, chosen_now = _chosen_person(request, site.pk, volunteer.person if volunteer else None)
    initial: dict[str, Any] = {}
    if chosen_now:
        initial["person"] = person.pk if person else None
        if person is not None:
            initial.update(
                first_name=person.first_name,
                last_name=person.last_name,
                phone=person.phone,
                email=person.email,
            )
    form = VolunteerForm(
        request.POST if request.method == "POST" else None,
        instance=volunteer,
        initial=initial,
        site_id=site.pk,
        editing=volunteer is not None,
    )
    return form, person


def _volunteerform_page(
    request: InkaRequest,
    form: VolunteerForm,
    site: Site,
    person: Person | None,
    volunteer: Volunteer | None,
    title: str = "",
) -> HttpResponse:
    """The volunteer form with the search for the client the volunteer may be."""
    search = PersonChoiceSearchForm(request.GET if "q" in request.GET else None)
    results: list[Person] = []
    if search.is_valid() and search.cleaned_data["q"]:
        results = list(person_search(site_id=site.pk, q=search.cleaned_data["q"])[: PERSON_RESULTS + 1])
        if results:
            log_access(request, action="person.search", site_id=site.pk, records=results[:PERSON_RESULTS])
    if person is not None:
        log_access(request, action="volunteer.person", site_id=site.pk, records=[person])
    return form_page(
        request,
        "community/volunteer_form.html",
        {
            "form": form,
            "site": site,
            "volunteer": volunteer,
            "title": title,
            "person": person,
            "search": search,
            "results": results[:PERSON_RESULTS],
            "more_results": len(results) > PERSON_RESULTS,
            "searched": search.is_bound and bool(search.data.get("q")),
        },
    )


@require_http_methods(["GET", "POST"])
def volunteer_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form, person = _volunteer_form(request, site, None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.volunteer_create(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has been added as a volunteer.") % {"name": _name(volunteer)}
            )
            return redirect(volunteer)
    return _volunteerform_page(request, form, site, person, None)


@require_http_methods(["GET", "POST"])
def volunteer_edit(request: InkaRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk, *SITE_WRITERS)
    title = _name(volunteer)  # before the form changes the instance in memory
    form, person = _volunteer_form(request, volunteer.site, volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_update(actor=request.user, volunteer=volunteer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The volunteer's data have been saved."))
            return redirect(volunteer)
    if request.method == "GET":
        log_access(request, action="volunteer.edit", site_id=volunteer.site_id, records=[volunteer])
    return _volunteerform_page(request, form, volunteer.site, person, volunteer, title)


def _name(volunteer: Volunteer) -> str:
    return f"{volunteer.first_name} {volunteer.last_name}"


def volunteer_detail(request: InkaRequest, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, pk, *SITE_STAFF)
    log_access(request, action="volunteer.view", site_id=volunteer.site_id, records=[volunteer])
    return render(
        request,
        "community/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "summary": selectors.volunteer_get_summary(volunteer=volunteer),
            "can_write": request.site_access.has_site_role(volunteer.site_id, *SITE_WRITERS),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def volunteer_hours_create(request: InkaRequest, pk: int) -> HttpResponse:
    """Hours of a volunteer: for a session of the site's projects, or for a month (two small forms)."""
    volunteer = _volunteer(request, pk, *SITE_WRITERS)
    kind = request.POST.get("kind") if request.method == "POST" else None
    session_form = SessionHoursEntryForm(
        request.POST if kind == "session" else None, site_id=volunteer.site_id, prefix="session"
    )
    month_form = MonthHoursEntryForm(
        request.POST if kind == "month" else None, site_id=volunteer.site_id, prefix="month"
    )
    form = {"session": session_form, "month": month_form}.get(kind or "")
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.volunteer_hours_add(actor=request.user, volunteer=volunteer, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(hours)s hours of %(name)s have been recorded.")
                % {"hours": hours_text(data["hours"]), "name": _name(volunteer)},
            )
            return redirect(f"{volunteer.get_absolute_url()}#stunden")
    if request.method == "GET":
        log_access(request, action="volunteer.hours_form", site_id=volunteer.site_id, records=[volunteer])
    return form_page(
        request,
        "community/volunteer_hours_form.html",
        {"volunteer": volunteer, "session_form": session_form, "month_form": month_form, "kind": kind},
    )


@require_POST
def volunteer_hours_delete(request: InkaRequest, volunteer_pk: int, pk: int) -> HttpResponse:
    volunteer = _volunteer(request, volunteer_pk, *SITE_WRITERS)
    entry = get_object_or_404(volunteer.hours.select_related("volunteer"), pk=pk)
    services.volunteer_hours_remove(actor=request.user, entry=entry)
    messages.success(request, _("The entry has been deleted."))
    return redirect(f"{volunteer.get_absolute_url()}#stunden")


@require_http_methods(["GET", "POST"])
def session_hours(request: InkaRequest, pk: int) -> HttpResponse:
    """After an event: the hours of every volunteer of the site at once, prefilled with those recorded."""
    session: Session = get_object_or_404(Session.objects.select_related("project__site"), pk=pk)
    require_site_role(request, session.project.site_id, *SITE_WRITERS)
    volunteers, recorded = selectors.session_hours_volunteers(session=session)
    initial = {f"volunteer_{pk}": _plain(entry.hours) for pk, entry in recorded.items()}
    form = SessionHoursForm(
        request.POST if request.method == "POST" else None, volunteers=volunteers, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            entries = services.session_hours_set(
                actor=request.user,
                session=session,
                hours=form.hours(),
                activity=form.cleaned_data["activity"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The hours of %(count)s volunteers have been saved.") % {"count": len(entries)},
            )
            return redirect("community:session_hours", pk=session.pk)
    if volunteers:
        log_access(
            request, action="volunteer.session_hours", site_id=session.project.site_id, records=volunteers
        )
    return form_page(
        request,
        "community/session_hours.html",
        {"session": session, "form": form, "recorded": recorded},
    )


def _plain(hours: Decimal) -> Decimal:
    """3 rather than 3.00 in a form field (the field shows what it is given)."""
    return hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours.normalize()


def _signer_role(request: InkaRequest, site_id: int) -> str:
    if request.site_access.role_at(site_id) == Role.SITE_LEAD:
        return str(Role.SITE_LEAD.label)
    return pgettext("signatory of a certificate", "Citizen pilot")


@require_http_methods(["GET", "POST"])
def volunteer_certificate(request: InkaRequest, pk: int) -> HttpResponse:
    """A certificate of engagement for a period, as an accessible PDF (PDF/UA)."""
    volunteer = _volunteer(request, pk, *SITE_WRITERS)
    today = timezone.localdate()
    user = request.user
    form = CertificateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "period_from": volunteer.since,
            "period_to": min(volunteer.until or today, today),
            "include_activities": True,
            "signed_by": user.get_full_name() if hasattr(user, "get_full_name") else "",
            "signer_role": _signer_role(request, volunteer.site_id),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        summary = selectors.volunteer_get_certificate(
            volunteer=volunteer, period_from=data["period_from"], period_to=data["period_to"]
        )
        if not summary.total:
            form.add_error("period_from", _("No hours are recorded for this volunteer in this period."))
        else:
            services.volunteer_certificate_issue(
                actor=request.user,
                volunteer=volunteer,
                period_from=data["period_from"],
                period_to=data["period_to"],
                hours=summary.total,
            )
            log_access(
                request, action="volunteer.certificate", site_id=volunteer.site_id, records=[volunteer]
            )
            pdf = _certificate_pdf(
                {
                    "volunteer": volunteer,
                    "site": volunteer.site,
                    "period": site_current_period(volunteer.site),
                    "summary": summary,
                    "today": today,
                    **data,
                }
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            # No name in the file name: downloads end up in shared folders.
            response["Content-Disposition"] = (
                f'attachment; filename="nachweis-engagement-{today:%Y-%m-%d}.pdf"'
            )
            return response
    if request.method == "GET":
        log_access(
            request, action="volunteer.certificate_form", site_id=volunteer.site_id, records=[volunteer]
        )
    return form_page(request, "community/volunteer_certificate.html", {"volunteer": volunteer, "form": form})


def _certificate_pdf(context: dict[str, Any]) -> bytes:
    html = render_to_string("community/volunteer_certificate_pdf.html", context)
    stylesheet = finders.find("inka/css/certificate.css")
    assert isinstance(stylesheet, str)
    return html_to_pdf(html, stylesheets=[stylesheet])
