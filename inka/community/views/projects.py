"""Community projects: the list, a project with its figures, add and edit; its sessions and their
attendance, as a headcount by age band and gender or as named participants."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from inka.cases.models import Person
from inka.community import selectors, services
from inka.community.forms import (
    AttendanceAddForm,
    AttendanceSearchForm,
    HeadcountForm,
    ProjectFilterForm,
    ProjectForm,
    SessionForm,
)
from inka.community.models import Attendance, AttendanceMode, Project, Session
from inka.core.audit import log_access
from inka.core.forms import add_service_errors
from inka.core.http import InkaRequest, form_page
from inka.core.permissions import SITE_STAFF, SITE_WRITERS, Role, require_current_site, require_site_role
from inka.programme.models import Site

PAGE_SIZE = 50
SESSIONS_PER_PAGE = 20
# The steering group reads its site's projects; the coordination those of every site. Both see
# figures only (suppressed), never the persons behind them.
SITE_READERS = (*SITE_STAFF, Role.STEERING)
PROGRAMME_READERS = (Role.COORDINATOR,)
READERS = (*SITE_READERS, *PROGRAMME_READERS)


def suppression_for(request: InkaRequest, site_id: int) -> int | None:
    """k for viewers outside the site's own team (steering group, coordination); None for the team."""
    if request.site_access.role_at(site_id) in SITE_STAFF:
        return None
    return int(settings.SUPPRESSION_K)


def _project(pk: int) -> Project:
    # The scoped manager hides other sites' projects: 404 before any role check.
    return get_object_or_404(Project.objects.select_related("site"), pk=pk)


def _session(pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("project__site"), pk=pk)


def project_list(request: InkaRequest) -> HttpResponse:
    access = request.site_access
    site = None
    sites: list[Site] = []
    if access.has_programme_role(*PROGRAMME_READERS):
        sites = list(Site.objects.filter(pk__in=access.visible_site_ids).order_by("code"))
        site_ids = [s.pk for s in sites]
        k: int | None = int(settings.SUPPRESSION_K)
    else:
        site = require_current_site(request, *SITE_READERS)
        site_ids = [site.pk]
        k = suppression_for(request, site.pk)
    form = ProjectFilterForm(request.GET or None, sites=sites)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    chosen_site = filters.pop("site", None)
    if chosen_site:
        site_ids = [chosen_site]
    projects = selectors.project_list(site_ids=site_ids, **filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/project_list.html",
        {
            "form": form,
            "page": page,
            # attendance_total is annotated by selectors.project_list
            "rows": [(project, selectors.hide_below(project.attendance_total, k)) for project in page],  # type: ignore[attr-defined]
            "k": k,
            "query": query.urlencode(),
            "site": site,
            "filtered": any(value not in (None, "") for value in filters.values()) or bool(chosen_site),
            "can_create": site is not None and access.has_site_role(site.pk, *SITE_WRITERS),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "POST"])
def project_create(request: InkaRequest) -> HttpResponse:
    site = require_current_site(request, *SITE_WRITERS)
    form = ProjectForm(request.POST or None, site_id=site.pk)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, site=site, partners=form.cleaned_data["partners"], **form.project_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been created. Now add its sessions."))
            return redirect(project)
    return form_page(request, "community/project_form.html", {"form": form, "site": site})


def project_detail(request: InkaRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    require_site_role(request, project.site_id, *READERS)
    access = request.site_access
    k = suppression_for(request, project.site_id)
    figures = selectors.project_get_figures(project=project, suppress_below=k)
    participants = []
    if k is None:
        participants = list(selectors.project_participants(project=project))
        if participants:
            log_access(
                request, action="community.attendance.view", site_id=project.site_id, records=participants
            )
    return render(
        request,
        "community/project_detail.html",
        {
            "project": project,
            "partners": project.partners.order_by("name", "town"),
            "figures": figures,
            "sessions": Paginator(figures.sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page")),
            "participants": participants,
            "k": k,
            "team": k is None,
            "can_edit": access.has_site_role(project.site_id, *SITE_WRITERS),
        },
    )


@require_http_methods(["GET", "POST"])
def project_edit(request: InkaRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    require_site_role(request, project.site_id, *SITE_WRITERS)
    title = project.title  # for the heading, before the form changes anything in memory
    form = ProjectForm(
        request.POST or None, site_id=project.site_id, initial=ProjectForm.initial_for(project)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                partners=form.cleaned_data["partners"],
                **form.project_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect(project)
    return form_page(
        request,
        "community/project_form.html",
        {"form": form, "site": project.site, "project": project, "title": title},
    )


@require_http_methods(["GET", "POST"])
def session_create(request: InkaRequest, project_pk: int) -> HttpResponse:
    project = _project(project_pk)
    require_site_role(request, project.site_id, *SITE_WRITERS)
    today = timezone.localdate()
    initial = {}
    if project.starts_on <= today and (project.ends_on is None or today <= project.ends_on):
        initial["held_on"] = today
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if session.held_on > today:
                messages.success(request, _("The session has been added."))
                return redirect(project)
            messages.success(request, _("The session has been added. Now record who came."))
            return redirect("community:session_attendance", pk=session.pk)
    return form_page(request, "community/session_form.html", {"form": form, "project": project})


@require_http_methods(["GET", "POST"])
def session_edit(request: InkaRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    project = session.project
    require_site_role(request, project.site_id, *SITE_WRITERS)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect(project)
    return form_page(
        request, "community/session_form.html", {"form": form, "project": project, "session": session}
    )


@require_http_methods(["GET", "POST"])
def session_attendance(request: InkaRequest, pk: int) -> HttpResponse:
    """Who came to a session: the headcount grid, or the named participants; the site's team only."""
    session = _session(pk)
    site_id = session.project.site_id
    require_site_role(request, site_id, *SITE_STAFF)
    can_write = request.site_access.has_site_role(site_id, *SITE_WRITERS)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    context: dict[str, Any] = {
        "session": session,
        "project": session.project,
        "can_write": can_write,
        "held": session.held_on <= timezone.localdate(),
    }
    if session.attendance_mode == AttendanceMode.HEADCOUNT:
        return _headcount(request, session, context)
    return _participants(request, session, context)


def _headcount(request: InkaRequest, session: Session, context: dict[str, Any]) -> HttpResponse:
    counts = selectors.session_headcounts(session=session)
    form = HeadcountForm(request.POST or None, initial=HeadcountForm.initial_for(counts))
    if request.method == "POST" and form.is_valid():
        try:
            total = services.session_headcount_set(actor=request.user, session=session, counts=form.counts())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The headcount has been saved: %(total)s people in total.")
                % {"total": number_format(total, force_grouping=True)},
            )
            return redirect("community:session_attendance", pk=session.pk)
    context.update({"form": form, "total": sum(counts.values())})
    return form_page(request, "community/session_headcount.html", context)


def _participants(request: InkaRequest, session: Session, context: dict[str, Any]) -> HttpResponse:
    site_id = session.project.site_id
    add_form = AttendanceAddForm(None, site_id=site_id)
    if request.method == "POST":
        if "remove" in request.POST:
            attendance: Attendance = get_object_or_404(
                Attendance.objects.select_related("person"), session=session, pk=request.POST["remove"]
            )
            services.session_attendance_remove(actor=request.user, attendance=attendance)
            messages.success(
                request, _("%(name)s has been taken off the list.") % {"name": _full_name(attendance.person)}
            )
            return redirect("community:session_attendance", pk=session.pk)
        add_form = AttendanceAddForm(request.POST, site_id=site_id)
        if add_form.is_valid():
            person = add_form.cleaned_data["person"]
            try:
                services.session_attendance_add(actor=request.user, session=session, person=person)
            except ValidationError as error:
                add_service_errors(add_form, error)
                if any(e.code == "no_consent" for e in getattr(error, "error_dict", {}).get("person", [])):
                    context["consent_person"] = person
            else:
                messages.success(request, _("%(name)s has been added.") % {"name": _full_name(person)})
                url = reverse("community:session_attendance", kwargs={"pk": session.pk})
                query = request.POST.get("q", "")
                return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
    search = AttendanceSearchForm(_search_data(request))
    candidates: list[Person] = []
    if context["can_write"] and context["held"] and search.is_valid():
        candidates = selectors.attendance_candidates(session=session, q=search.cleaned_data["q"])
        if candidates:
            log_access(request, action="community.attendance.search", site_id=site_id, records=candidates)
    participants = list(selectors.session_participants(session=session))
    if participants:
        log_access(
            request,
            action="community.attendance.view",
            site_id=site_id,
            records=[attendance.person for attendance in participants],
        )
    context.update(
        {
            "add_form": add_form,
            "search": search,
            "searched": search.is_bound and search.is_valid(),
            "candidates": candidates,
            "participants": participants,
            "can_record_consent": request.site_access.has_site_role(site_id, *SITE_WRITERS),
        }
    )
    return form_page(request, "community/session_participants.html", context)


def _search_data(request: InkaRequest) -> dict[str, str] | None:
    query = request.POST.get("q") if request.method == "POST" else request.GET.get("q")
    return {"q": query} if query else None


def _full_name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def public_section_context(site: Site) -> dict[str, Any] | None:
    """The site's public page: planned and running projects with a public description."""
    projects = selectors.project_list_public(site_id=site.pk, today=timezone.localdate())
    return {"projects": projects} if projects else None
