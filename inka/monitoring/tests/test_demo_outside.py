"""Acceptance: on the demo data, what the steering group and the programme coordination see – pages
and exports – holds no person-level data and no figure below 3."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import log_in_verified
from inka.accounts.models import User
from inka.cases.models import Person
from inka.core.demo import demo_generate
from inka.monitoring.access import Audience
from inka.monitoring.catalogue import indicators
from inka.monitoring.dashboard_programme import period_choices, programme_dashboard
from inka.monitoring.dashboard_site import site_dashboard
from inka.monitoring.document import Chart, Document, Map, Table
from inka.monitoring.models import PeriodReport, ReportStatus
from inka.monitoring.periods import Calendar
from inka.monitoring.reports import report_document
from inka.programme.models import Site

TODAY = date(2026, 11, 20)
K = 3
FORMATS = ("xlsx", "csv", "pdf")


@pytest.fixture
def demo(db):
    with time_machine.travel(TODAY, tick=False), scopes_disabled():
        demo_generate(scale=0.05)


def tables(document: Document) -> list[Table]:
    found = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, Chart | Map):
                found.append(block.table)
    return found


def small_counts(document: Document) -> list[tuple[str, str, object]]:
    """Count cells shown with a value from 1 to k − 1.

    Ranks and numbers of sites are no counts; the average of the compared sites is worked out from
    figures shown next to it."""
    not_counts = {_("Rank"), _("Sites with a figure shown, %(year)s") % {"year": TODAY.year}}
    found = []
    for table in tables(document):
        for row in table.rows:
            if str(row.label) == _("Average of the compared sites"):
                continue
            for header, cell in zip(table.columns, row.cells, strict=True):
                if str(header) in not_counts or cell.unit != "count" or cell.hidden or cell.value is None:
                    continue
                if 0 < cell.value < K:
                    found.append((table.key, str(row.label), cell.value))
    return found


def test_outside_pages_and_exports_show_no_figure_below_three_and_name_no_person(demo, client):
    with time_machine.travel(TODAY, tick=False):
        documents_show_no_figure_below_three()
        for persona in ("steuerung.alt", "koordination"):
            pages_and_exports_name_no_person(client, persona)


def documents_show_no_figure_below_three() -> None:
    sites = list(Site.objects.order_by("code"))
    ids = [site.pk for site in sites]
    for site in sites:
        assert small_counts(site_dashboard(site, audience=Audience.OUTSIDE, today=TODAY)) == [], site.code
    periods = [key for key, _label in period_choices(Calendar(TODAY))]
    for item in indicators():
        chosen = (
            (str(TODAY.year), str(TODAY.year - 1), periods[-1]) if item.key_figure else (str(TODAY.year),)
        )
        for period in chosen:
            document = programme_dashboard(
                site_ids=ids, indicator_code=item.code, period_key=period, today=TODAY
            )
            assert small_counts(document) == [], (item.code, period)
    reports = PeriodReport.objects.exclude(status=ReportStatus.DRAFT).filter(
        site__code__in=["ALT", "GLU", "WEI"]
    )
    assert reports.count() > 5
    for report in reports:
        assert small_counts(report_document(report, audience=Audience.OUTSIDE, today=TODAY)) == [], report


def person_names() -> set[str]:
    staff = {user.get_full_name() for user in User.objects.all()}
    names = {f"{first} {last}" for first, last in Person.objects.values_list("first_name", "last_name")}
    return names - staff


def texts_of(response) -> str:
    kind = response["Content-Type"]
    if kind.startswith("text/html") or kind.startswith("text/csv"):
        return response.content.decode("utf-8-sig")
    if "spreadsheet" in kind:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        )
    assert kind == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def pages_and_exports_name_no_person(client, persona: str) -> None:
    names = person_names()
    assert len(names) > 100
    log_in_verified(client, User.objects.get(email=f"{persona}@inka.example"))
    site = Site.objects.get(code="ALT")
    report = PeriodReport.objects.filter(site=site, status=ReportStatus.ACCEPTED).first()
    # PDFs hold the same document as the other formats; one of each kind of page is read.
    urls = [
        reverse("monitoring:site_dashboard", args=[site.pk]),
        reverse("monitoring:report_list"),
        report.get_absolute_url(),
        *(reverse("monitoring:site_dashboard_export", args=[site.pk, fmt]) for fmt in ("xlsx", "csv", "pdf")),
        *(reverse("monitoring:report_export", args=[report.pk, fmt]) for fmt in ("xlsx", "csv", "pdf")),
    ]
    if persona == "koordination":
        urls += [
            reverse("monitoring:programme_dashboard"),
            reverse("monitoring:quality"),
            *(reverse("monitoring:programme_dashboard_export", args=[fmt]) for fmt in ("xlsx", "csv", "pdf")),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = texts_of(response)
        assert not [name for name in names if name in text], url
