"""A `Document` as a file: XLSX (one sheet per table), CSV (one long table) or a tagged PDF.

The files hold exactly what the page shows: the same tables (charts' and the map's too), hidden
figures as "<3" (the threshold `k`), never their values. Text is formula-safe in XLSX and CSV.

CSV is written for German spreadsheet programs, which most users open it with: semicolon as
separator, UTF-8 with byte order mark (so umlauts survive Excel), decimal comma, no thousands
separator. It is in long form, one figure per line: table (the table's key), row, column, value,
unit; percentages are percentage points ("40,5" with the unit "percent").
"""

import csv
import io
import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from inka.core.pdf import css_string, html_to_pdf, page_counter_css
from inka.core.spreadsheets import Sheet, Styled, cell_value, write_workbook
from inka.monitoring.document import Cell, Chart, Document, Map, Table, Unit

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
# Percentages and changes are stored as fractions, so a spreadsheet can compute with them.
# The downloads every dashboard and report offers, with their button labels.
FORMATS = (("pdf", "PDF"), ("xlsx", "Excel"), ("csv", "CSV"))


def download_links(url_of: Callable[[str], str]) -> list[tuple[str, str]]:
    """(label, url) of each download; `url_of(fmt)` gives the export URL of a format."""
    return [(label, url_of(fmt)) for fmt, label in FORMATS]


NUMBER_FORMATS: dict[Unit, str] = {
    "count": "#,##0",
    "percent": "0.0%",
    "hours": "#,##0.0",
    "index": "0.0",
    "change": "+0%;-0%;0%",
}
SHEET_NAME_LENGTH = 31  # Excel's limit
FORBIDDEN_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def export_response(document: Document, fmt: str, *, k: int) -> HttpResponse:
    """The document as a download in `fmt` ("xlsx", "csv" or "pdf"); other formats are not found."""
    if fmt == "xlsx":
        body: bytes | str = document_xlsx(document, k=k)
    elif fmt == "csv":
        body = document_csv(document, k=k)
    elif fmt == "pdf":
        body = document_pdf(document, k=k)
    else:
        raise Http404("unknown export format")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{document.filename}.{fmt}"'
    # Figures of people's counselling: no copy in shared or browser caches.
    response["Cache-Control"] = "no-store"
    return response


def as_of_text(document: Document) -> str:
    """ "Stand: 21. November 2026"."""
    return _("As of %(date)s") % {"date": formats.date_format(document.as_of, "DATE_FORMAT")}


def funding_notice() -> str:
    return _(
        "ThINKA is funded by the Free State of Thuringia and the European Union (European Social Fund Plus)."
    )


# --- Tables ------------------------------------------------------------------------------------


def named_tables(document: Document) -> list[tuple[str, Table]]:
    """Every table of the document in order (charts' and maps' too), each with a unique short name."""
    named: list[tuple[str, Table]] = []
    used: set[str] = set()
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                table = block
            elif isinstance(block, Chart | Map):
                table = block.table
            else:
                continue
            base = (table.key.translate(FORBIDDEN_IN_SHEET_NAMES) or "table")[:SHEET_NAME_LENGTH]
            name, number = base, 1
            while name.lower() in used:  # Excel compares sheet names without case
                number += 1
                name = f"{base[: SHEET_NAME_LENGTH - len(str(number)) - 1]}-{number}"
            used.add(name.lower())
            named.append((name, table))
    return named


def _unit_names() -> dict[Unit, str]:
    return {
        "count": _("number"),
        "percent": _("percent"),
        "hours": _("hours"),
        "index": _("index (0–100)"),
        "change": _("change in percent"),
    }


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_value(cell: Cell, k: int) -> Any:
    if cell.hidden:
        return Styled(f"<{k}", right=True)
    if cell.value is None:
        return None
    value = cell.value
    if cell.unit in ("percent", "change"):
        value = Decimal(value) / 100
    return Styled(value, NUMBER_FORMATS[cell.unit])


def _sheet(name: str, table: Table, document: Document, k: int) -> Sheet:
    notes = any(row.note for row in table.rows)
    rows = []
    for row in table.rows:
        values: list[Any] = [Styled(str(row.label), bold=row.total)]
        values += [_xlsx_value(cell, k) for cell in row.cells]
        if notes:
            values.append(str(row.note))
        rows.append(values)
    header = [str(table.stub), *(str(column) for column in table.columns)]
    if notes:
        header.append(_("Note"))
    label_width = max([len(str(row.label)) for row in table.rows] + [len(str(table.stub)), 12])
    widths = [min(60, label_width + 2), *(max(10, min(30, len(str(c)) + 2)) for c in table.columns)]
    footer = [str(text) for text in (table.caption, *document.notes) if text]
    return Sheet(
        title=name,
        header=header,
        rows=rows,
        preamble=[str(table.title), f"{document.title} – {document.subtitle}", as_of_text(document)],
        widths=[*widths, 40] if notes else widths,
        footer=footer,
    )


def document_xlsx(document: Document, *, k: int) -> bytes:
    """A workbook with one sheet per table: title rows, figures as numbers with formats, "<3" as text."""
    return write_workbook(_sheet(name, table, document, k) for name, table in named_tables(document))


# --- CSV ---------------------------------------------------------------------------------------


def _csv_number(value: int | Decimal) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=False).replace("\u2212", "-")


def _csv_lines(document: Document, k: int) -> Iterator[list[str]]:
    units = _unit_names()
    for name, table in named_tables(document):
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=False):
                if cell.hidden:
                    value = f"<{k}"
                elif cell.value is None:
                    value = ""
                else:
                    value = _csv_number(cell.value)
                yield [name, cell_value(str(row.label)), cell_value(str(column)), value, units[cell.unit]]


def document_csv(document: Document, *, k: int) -> str:
    """All tables in one long CSV (see the module docstring for the German spreadsheet conventions)."""
    buffer = io.StringIO(newline="")
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("table"), _("row"), _("column"), _("value"), _("unit")])
    writer.writerows(_csv_lines(document, k))
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def eu_emblem_svg(height: float = 24.0) -> SafeString:
    """The European flag drawn here (no file to load): a blue field with a circle of 12 gold stars."""
    width = height * 1.5
    ring, star = height / 3, height / 18  # the official proportions
    stars = []
    for number in range(12):
        angle = math.radians(number * 30)
        cx, cy = width / 2 + ring * math.sin(angle), height / 2 - ring * math.cos(angle)
        points = []
        for corner in range(10):  # a five-pointed star, one point upwards
            radius = star if corner % 2 == 0 else star * 0.382
            turn = math.radians(corner * 36)
            points.append(f"{cx + radius * math.sin(turn):.2f},{cy - radius * math.cos(turn):.2f}")
        stars.append(f'<polygon points="{" ".join(points)}"/>')
    # Numbers only.
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" class="eu-emblem" viewBox="0 0 {width:.2f} {height:.2f}" '
        f'width="{width:.2f}" height="{height:.2f}" aria-hidden="true">'
        f'<rect width="{width:.2f}" height="{height:.2f}" fill="#003399"/>'
        f'<g fill="#ffcc00">{"".join(stars)}</g></svg>'
    )


def document_html(document: Document, *, k: int) -> str:
    """The HTML the PDF is laid out from (tests read it too)."""
    return render_to_string(
        "monitoring/document_pdf.html",
        {
            "document": document,
            "k": k,
            "pdf": True,
            "as_of": as_of_text(document),
            "funding_notice": funding_notice(),
            "eu_emblem": eu_emblem_svg(),
            "eu_emblem_small": eu_emblem_svg(10),
            "page_counter": page_counter_css(),
            "footer_css": css_string(f"{document.title} · {as_of_text(document)}"),
        },
    )


def document_pdf(document: Document, *, k: int) -> bytes:
    """The document as a tagged, accessible PDF (PDF/UA-1) with the funding notice on every page."""
    # Charts, map and emblem are inline SVG and the fonts local: nothing to fetch.
    return html_to_pdf(document_html(document, k=k))
