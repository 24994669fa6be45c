"""The change history and the access log: site leads see their sites, the dpo sees everything."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from inka.core import selectors
from inka.core.forms import LogFilterForm
from inka.core.http import InkaRequest
from inka.core.permissions import Role

PAGE_SIZE = 50


def _log_scope(request: InkaRequest) -> list[int] | None:
    """None = programme-wide for the dpo; else the sites the user leads; 403 for everyone else."""
    access = request.site_access
    if access.has_programme_role(Role.DPO):
        return None
    led = access.sites_with_role(Role.SITE_LEAD)
    if not led:
        raise PermissionDenied
    return led


def _log_page(request: InkaRequest, *, kind: str) -> HttpResponse:
    site_ids = _log_scope(request)
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    list_entries = selectors.access_log_list if kind == "access" else selectors.audit_entry_list
    entries = list_entries(site_ids=site_ids, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/log_list.html",
        {
            "kind": kind,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "programme_wide": site_ids is None,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def access_log(request: InkaRequest) -> HttpResponse:
    return _log_page(request, kind="access")


def audit_log(request: InkaRequest) -> HttpResponse:
    return _log_page(request, kind="audit")
