"""The change history, the access log and the breach question: site leads see their sites, the dpo all."""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inka.cases.models import Person
from inka.core import selectors
from inka.core.audit import ACTION_LABELS, log_access
from inka.core.forms import BreachQuestionForm, LogFilterForm
from inka.core.http import InkaRequest
from inka.core.logsafe import visible_controls
from inka.core.models import AccessLogEntry, AuditEntry, LogEntry
from inka.core.permissions import Role
from inka.core.spreadsheets import escape_formula
from inka.core.templatetags.logs import readable_changes, role_label

PAGE_SIZE = 50
# Without a start, the anomalies box looks at this many days before the end of the shown range.
ANOMALY_DAYS = 7
# The breach question starts with the last days; a breach is usually noticed within them.
BREACH_DAYS = 7


def _log_scope(request: InkaRequest) -> list[int] | None:
    """None = programme-wide for the dpo; else the sites the user leads; 403 for everyone else."""
    access = request.site_access
    if access.has_programme_role(Role.DPO):
        return None
    led = access.sites_with_role(Role.SITE_LEAD)
    if not led:
        raise PermissionDenied
    return led


def _log_site(site_ids: Sequence[int] | None) -> int | None:
    """The site a read of the logs is logged under: the one site a lead leads, else none (programme)."""
    return site_ids[0] if site_ids is not None and len(site_ids) == 1 else None


def _cell(value: Any) -> Any:
    """A CSV cell: text with control characters written out (one record, one line) and formula-safe."""
    return escape_formula(visible_controls(str(value))) if isinstance(value, str) else value


def _csv(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download (UTF-8 with BOM and semicolons, as German spreadsheet programs expect)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _log_rows(kind: str, entries: Iterable[LogEntry], sites: dict[int | None, str]) -> Iterable[list[Any]]:
    for entry in entries:
        row = [
            _when(entry.at),
            entry.actor_label,
            str(role_label(entry.role)),
            sites.get(entry.site_id, ""),
            str(ACTION_LABELS.get(entry.action, entry.action)),
            entry.action,
            str(entry.content_type.name) if entry.content_type else "",
        ]
        if isinstance(entry, AccessLogEntry):
            row += [
                " ".join(str(value) for value in entry.record_ids),
                entry.get_outcome_display(),
                entry.request_id,
                entry.reason,
            ]
        elif isinstance(entry, AuditEntry):
            changes = {str(label): [old, new] for label, old, new in readable_changes(entry)}
            row += [entry.object_id, entry.object_label, json.dumps(changes, ensure_ascii=False, default=str)]
        yield row


def _log_page(request: InkaRequest, *, kind: str) -> HttpResponse:
    site_ids = _log_scope(request)
    model: type[LogEntry] = AccessLogEntry if kind == "access" else AuditEntry
    form = LogFilterForm(
        request.GET or None,
        accounts=selectors.log_accounts(model, site_ids=site_ids),
        actions=selectors.log_actions(model, site_ids=site_ids),
        with_outcome=kind == "access",
    )
    list_entries = selectors.access_log_list if kind == "access" else selectors.audit_entry_list
    valid = form.is_valid() if form.is_bound else True
    entries = list_entries(site_ids=site_ids, **(form.filters() if form.is_bound and valid else {}))
    if valid and request.GET.get("format") == "csv":
        log_access(request, action=f"log.{kind}.export", site_id=_log_site(site_ids), record_type=model)
        return _log_csv(kind, entries)
    page = Paginator(entries if valid else model.objects.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    sites = selectors.site_names(entry.site_id for entry in page.object_list)
    for entry in page.object_list:
        entry.site_name = sites.get(entry.site_id, "")  # type: ignore[attr-defined]
    if page.object_list:
        log_access(request, action=f"log.{kind}.view", site_id=_log_site(site_ids), records=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "kind": kind,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "programme_wide": site_ids is None,
    }
    if kind == "access" and valid:
        context |= _anomalies(site_ids, form.cleaned_data if form.is_bound else {})
    return render(request, "core/log_list.html", context, status=200 if valid else 400)


def _anomalies(site_ids: Sequence[int] | None, data: dict[str, Any]) -> dict[str, Any]:
    """The anomalies box: the shown range, or the last ANOMALY_DAYS days of it when it has no start."""
    end = data.get("end") or timezone.now()
    start = data.get("start") or end - timedelta(days=ANOMALY_DAYS)
    return {
        "anomalies": selectors.anomalies(site_ids=site_ids, start=start, end=end),
        "anomaly_start": start,
        "anomaly_end": end,
        "limits": {
            "denied": selectors.DENIED_LIMIT,
            "denied_minutes": int(selectors.DENIED_WINDOW.total_seconds() // 60),
            "persons": selectors.PERSONS_LIMIT,
        },
    }


def _log_csv(kind: str, entries: Any) -> HttpResponse:
    header = [_("Time"), _("User"), _("Role"), _("Site"), _("Action"), _("Action code"), _("Record type")]
    if kind == "access":
        header += [_("Record ids"), _("Outcome"), _("Request id"), _("Reason")]
    else:
        header += [_("Record id"), _("Record"), _("Changes")]
    rows = list(entries)
    sites = selectors.site_names(entry.site_id for entry in rows)
    name = "zugriffsprotokoll" if kind == "access" else "aenderungsprotokoll"
    return _csv(f"{name}-{timezone.localdate():%Y-%m-%d}.csv", header, _log_rows(kind, rows, sites))


@require_GET
def access_log(request: InkaRequest) -> HttpResponse:
    return _log_page(request, kind="access")


@require_GET
def audit_log(request: InkaRequest) -> HttpResponse:
    return _log_page(request, kind="audit")


@require_GET
def breach_question(request: InkaRequest) -> HttpResponse:
    """Which persons did an account see between t1 and t2 (Art. 33/34 GDPR: the notification list)."""
    site_ids = _log_scope(request)
    today = timezone.localdate()
    form = BreachQuestionForm(
        request.GET or None,
        accounts=selectors.log_accounts(AccessLogEntry, site_ids=site_ids),
        initial={"date_from": today - timedelta(days=BREACH_DAYS), "date_to": today},
    )
    context: dict[str, Any] = {"form": form, "programme_wide": site_ids is None}
    if not form.is_bound:
        return render(request, "core/breach_question.html", context)
    if not form.is_valid():
        return render(request, "core/breach_question.html", context, status=400)
    data = form.cleaned_data
    answer = selectors.persons_seen(
        actor_id=data["account"], start=data["start"], end=data["end"], site_ids=site_ids,
        show_restricted=site_ids is None,
    )  # fmt: skip
    export = request.GET.get("format") == "csv"
    # The list names persons: producing it is itself a read of social data.
    log_access(
        request,
        action="log.breach.export" if export else "log.breach.view",
        site_id=_log_site(site_ids),
        record_type=Person,
        record_ids=[seen.person_id for seen in answer.persons],
    )
    accounts = dict(form.fields["account"].choices)  # type: ignore[attr-defined]
    if export:
        return _breach_csv(answer, data, accounts)
    query = request.GET.copy()
    query["format"] = "csv"
    context |= {
        "answer": answer,
        "account": accounts[data["account"]],
        "start": data["start"],
        "end": data["end"],
    }
    context["csv_query"] = query.urlencode()
    return render(request, "core/breach_question.html", context)


def _breach_csv(
    answer: selectors.BreachAnswer, data: dict[str, Any], accounts: dict[int, str]
) -> HttpResponse:
    header = [
        _("Person id"),
        _("Last name"),
        _("First name"),
        _("Site"),
        _("Reads"),
        _("First read"),
        _("Last read"),
        _("Note"),
    ]
    rows = [
        [
            seen.person_id,
            seen.last_name,
            seen.first_name,
            seen.site_name,
            seen.times,
            _when(seen.first),
            _when(seen.last),
            _("anonymised") if seen.anonymised else _("processing restricted") if seen.restricted else "",
        ]
        for seen in answer.persons
    ]
    rows.append([])
    rows.append(
        [
            _("Account"),
            accounts.get(data["account"], ""),
            _("From"),
            _when(data["start"]),
            _("Until"),
            _when(data["end"]),
        ]
    )
    rows.append([_("Refused attempts in the period"), answer.denied])
    return _csv(f"gesehene-personen-{timezone.localdate():%Y-%m-%d}.csv", header, rows)
