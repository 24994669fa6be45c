"""B3 of the security anchors: stored XSS (21), formula injection in exports (23), the upload
allow-list (25) and the inert, authorised download (26)."""

import csv
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from inka.cases import uploads
from inka.cases.models import Document, GoalStep
from inka.core.audit import audit
from inka.core.models import AuditEntry
from inka.core.spreadsheets import FORMULA_STARTS
from inka.esf.interchange import export_participations
from tests.security.test_b1_authorization import (
    POLICY,
    ROOT,
    build_site,
    case_work_a,
    client_for,
    expected,
    stamp_canaries,
)

# --- t21 -------------------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "'><iframe src=javascript:alert(4)></iframe>",
    '<a href="javascript:alert(5)">x</a>',
    "{{ 7|add:42 }}{% now 'Y' %}",
]


class InjectedNodes(HTMLParser):
    """Elements a payload could have added: inline scripts, event handlers, frames, javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if (tag == "script" and "src" not in names) or tag in ("iframe", "object", "embed"):
            self.found.append(tag)
        self.found += [f"{tag}[{name}]" for name in names if name.startswith("on")]
        self.found += [
            f"{tag}[{name}]"
            for name, value in attrs
            if (value or "").strip().lower().startswith("javascript:")
        ]


def injected(html: str) -> list[str]:
    parser = InjectedNodes()
    parser.feed(html)
    return parser.found


def plant_payloads(world) -> dict[str, str]:
    """The payloads in the person's names, case texts, a contact note, a referral, a goal step and
    a document's name; returns the pages that show them."""
    work = case_work_a(world)
    person, case = work.person, work.case
    person.first_name, person.last_name = XSS[0], XSS[1]
    person.save()
    case.life_situation, case.notes, case.health_note = XSS[2], XSS[3], XSS[4]
    case.save()
    work.contact.note, work.contact.next_step = XSS[5], XSS[0]
    work.contact.save()
    work.referral.purpose, work.referral.message = XSS[1], XSS[2]
    work.referral.save()
    GoalStep.objects.filter(pk=work.step.pk).update(title=XSS[3])
    Document.objects.filter(pk=work.document.pk).update(title=XSS[4], original_name=XSS[1] + ".pdf")
    audit(
        actor=world.user("caseworker"), action="inka.case.updated", obj=case, changes={"notes": ["", XSS[3]]}
    )
    return {
        "person": reverse("cases:person_detail", args=[person.pk]),
        "case": case.get_absolute_url(),
        "contacts": reverse("cases:contact_list", args=[case.pk]),
        "referral": reverse("cases:referral_detail", args=[case.pk, work.referral.pk]),
        "history": reverse("cases:case_history", args=[case.pk]),
        "search": reverse("cases:person_list") + "?q=script",
        "cases": reverse("cases:case_list"),
        "work": reverse("cases:work_list"),
        "edit": reverse("cases:person_edit", args=[person.pk]),
        "answer": reverse("cases:referral_answer", args=[work.token]),
    }


def test_t21_stored_payloads_are_shown_as_text(world):
    pages = plant_payloads(world)
    client = client_for(world.user("caseworker"))
    shown = set()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert injected(html) == [], (name, injected(html))
        shown |= {payload for payload in XSS if escape(payload) in html}
    assert shown == set(XSS), "every payload is on a page, escaped"


# Where marking text safe is allowed, and why; any other use fails the test below.
SAFE_MARKUP = {
    # PDF page margins: CSS strings made by inka.core.pdf.css_string (quotes, <, >, \ escaped).
    "inka/monitoring/templates/monitoring/document_pdf.html": 2,
    "inka/steering/templates/steering/meeting_pdf.html": 2,
    "inka/privacy/templates/privacy/export_pdf.html": 2,
    "inka/privacy/templates/privacy/records_of_processing_pdf.html": 2,
    # Plain-text e-mails: no HTML, so no HTML escaping.
    "inka/cases/templates/cases/referral_email.txt": 1,
    "inka/accounts/templates/accounts/added_to_team_email.txt": 1,
    "inka/accounts/templates/accounts/invitation_email.txt": 1,
    "inka/accounts/templates/accounts/password_reset_email.txt": 1,
    # SVG built from numbers only (the EU emblem).
    "inka/monitoring/exports.py": 1,
    # format_html escapes every argument; the format strings are literals.
    "inka/monitoring/templatetags/monitoring.py": 4,
    # A template rendered with autoescape (the map), marked as what it is.
    "inka/monitoring/dashboard_programme.py": 1,
    # The QR code's SVG from segno, which escapes the otpauth address inside it.
    "inka/accounts/views.py": 1,
    # Chart SVG: every text in it went through escape().
    "inka/core/charts.py": 1,
}
UNSAFE = re.compile(r"\|safe\b|\|safeseq\b|\{%\s*autoescape\s+off|mark_safe\(|format_html\(|SafeString\(")


def test_t21_no_unreviewed_safe_markup():
    found = {}
    for path in sorted((ROOT / "inka").rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".svg") and "tests" not in path.parts:
            count = len(UNSAFE.findall(path.read_text(encoding="utf-8")))
            if count:
                found[str(path.relative_to(ROOT))] = count
    assert found == SAFE_MARKUP


# --- t23 -------------------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-1+1", "\t=1+1", "\r=1+1"]
NUMBER = re.compile(r"[-+]?\d[\d.,]*\s?%?")


def exported_cells(response) -> tuple[str, list[str]]:
    """The kind of a download (csv/xlsx, "" for anything else) and the text of its cells."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/csv"):
        text = content.decode("utf-8-sig")
        first = text.partition("\n")[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return "csv", [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    if "spreadsheetml" in kind:
        return "xlsx", xlsx_cells(content)
    return "", []


def xlsx_cells(content: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def unescaped(cells: list[str]) -> list[str]:
    return [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)]


def test_t23_every_csv_and_xlsx_export_escapes_formulas(world):
    kwargs = build_site(world, "A")
    stamp_canaries(world.site_a, "A", lambda number: FORMULAS[number % len(FORMULAS)])
    world.site_a.name = FORMULAS[0]
    world.site_a.save()
    lead = world.user("site_lead")
    lead.first_name = FORMULAS[2]
    lead.save()
    audit(
        actor=lead, action="inka.case.updated", obj=case_work_a(world).case, changes={"notes": ["", "=1+1"]}
    )
    start, end = "2000-01-01", "2100-01-01"
    queries = {
        "esf:report": [
            f"?period_from=2024-01-01&period_to=2024-12-31&format={fmt}" for fmt in ("csv", "xlsx")
        ],
        "core:access_log": ["?format=csv"],
        "core:audit_log": ["?format=csv"],
        "core:breach_question": [f"?account={lead.pk}&date_from={start}&date_to={end}&format=csv"],
    }
    urls = []
    for name in POLICY:
        if "fmt" in kwargs[name]:
            urls += [(name, reverse(name, kwargs={**kwargs[name], "fmt": fmt})) for fmt in ("csv", "xlsx")]
        urls += [(name, reverse(name, kwargs=kwargs[name]) + query) for query in queries.get(name, [])]
    clients = {}
    escaped, kinds = 0, set()
    for name, url in urls:
        persona = next(p for p in ("site_lead", "coordinator", "dpo") if expected(POLICY[name].get, p) == 200)
        if persona not in clients:
            clients[persona] = client_for(world.user(persona))
        response = clients[persona].get(url)
        if response.status_code == 404 and "fmt" in kwargs[name]:
            continue  # a format this download does not offer (the data-subject export: JSON and PDF)
        assert response.status_code == 200, url
        kind, cells = exported_cells(response)
        assert kind, (url, response.get("Content-Type"))
        kinds.add((name, kind))
        assert unescaped(cells) == [], (url, unescaped(cells))
        escaped += sum(1 for cell in cells if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS))
    # The participations exported for the ESF data exchange (a command, no page).
    for file_format in ("csv", "xlsx"):
        content = export_participations(site_codes=None, file_format=file_format)
        if file_format == "xlsx":
            cells = xlsx_cells(content)
        else:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                cells = [
                    cell
                    for member in archive.namelist()
                    for row in csv.reader(io.StringIO(archive.read(member).decode("utf-8-sig")))
                    for cell in row
                ]
        assert unescaped(cells) == [], file_format
        escaped += sum(1 for cell in cells if cell.startswith("'"))
    assert {name for name, _kind in kinds} >= {
        "monitoring:site_dashboard_export",
        "monitoring:report_export",
        "monitoring:programme_dashboard_export",
        "monitoring:programme_report_export",
        "esf:report",
        "core:access_log",
        "core:audit_log",
        "core:breach_question",
    }
    assert {kind for _name, kind in kinds} == {"csv", "xlsx"}
    assert escaped > 10, "the payloads reached the exports, escaped"


# --- t25 -------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
REFUSED = [
    ("evil.pdf", HTML),  # HTML posing as PDF
    ("bild.svg", SVG),  # SVG with script
    ("bild.png", SVG),
    ("rechnung.pdf", HTML + PDF),  # polyglot: a PDF inside an HTML page
    ("foto.html", JPEG + HTML),  # polyglot: JPEG bytes, HTML name
    ("foto.jpg.html", JPEG),
    ("setup.png", EXE),  # a program renamed
    ("setup.exe", PDF),
    ("gross.pdf", PDF + b"\x00" * uploads.MAX_SIZE),  # above the size limit
    ("leer.pdf", b""),  # empty
    ("../../evil.html", HTML),
    ("brief\x00.pdf.html", PDF),
    ("rechnung\u202efdp.html", PDF),  # shows as "rechnunglmth.pdf"
]


@pytest.fixture
def upload_case(world, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    work = case_work_a(world)
    return work.case


def stored_files() -> list[str]:
    folder = Path(settings.DOCUMENTS_DIR)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_t25_uploads_outside_the_allow_list_are_refused_and_leave_nothing(world, upload_case):
    client = client_for(world.user("caseworker"))
    url = reverse("cases:document_upload", args=[upload_case.pk])
    files, documents, audits = stored_files(), Document.objects.count(), AuditEntry.objects.count()
    for name, content in REFUSED:
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        response = client.post(url, {"title": "Nachweis", "upload": upload})
        assert response.status_code == 400, name
        assert "upload" in response.context["form"].errors, name
        assert (stored_files(), Document.objects.count(), AuditEntry.objects.count()) == (
            files,
            documents,
            audits,
        ), name


def test_t25_names_are_neutralised_and_files_stored_under_random_names(world, upload_case):
    client = client_for(world.user("caseworker"))
    url = reverse("cases:document_upload", args=[upload_case.pk])
    for name, clean in [
        ("../../etc/Bescheid.pdf", "Bescheid.pdf"),
        ("..\\..\\Bescheid.pdf", "Bescheid.pdf"),
        ("Be\x00scheid.pdf", "Bescheid.pdf"),
        ("Besch\u202eeid.pdf", "Bescheid.pdf"),
    ]:
        response = client.post(url, {"title": "", "upload": SimpleUploadedFile(name, PDF)})
        assert response.status_code == 302, name
        document = Document.objects.latest("pk")
        assert document.original_name == clean
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
        assert (Path(settings.DOCUMENTS_DIR) / document.stored_name).read_bytes() == PDF


# --- t26 -------------------------------------------------------------------------------------------


def test_t26_the_download_is_authorised_and_inert(world, upload_case, login):
    client = client_for(world.user("caseworker"))
    upload = SimpleUploadedFile("Mietvertrag Müller.pdf", PDF, content_type="application/pdf")
    url = reverse("cases:document_upload", args=[upload_case.pk])
    assert client.post(url, {"title": "Mietvertrag", "upload": upload}).status_code == 302
    document = Document.objects.latest("pk")
    download = reverse("cases:document_download", args=[upload_case.pk, document.pk])

    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Mietvertrag%20M%C3%BCller.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert re.search(r"\bsandbox\b", response["Content-Security-Policy"])
    assert "default-src 'none'" in response["Content-Security-Policy"]

    # Another site: not found; the coordinator has no social scope there (404, SECURITY.md), the
    # steering group member of the site has no right to case documents (403); anonymous: the login.
    for persona, status in [("other_caseworker", 404), ("coordinator", 404), ("steering", 403)]:
        assert expected(POLICY["cases:document_download"].get, persona) == status
        assert client_for(world.user(persona)).get(download).status_code == status, persona
    response = login(None).get(download)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    # The documents folder is served by nothing but the view above.
    folder = Path(settings.DOCUMENTS_DIR)
    static_roots = [Path(path) for path in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT or "/-")]
    assert not any(folder.is_relative_to(root) for root in static_roots)
    for raw in (
        f"/media/{document.stored_name}",
        f"/documents/{document.stored_name}",
        f"/static/{document.stored_name}",
        f"/static/../documents/{document.stored_name}",
        f"/{folder.name}/{document.stored_name}",
    ):
        assert client.get(raw).status_code == 404, raw
