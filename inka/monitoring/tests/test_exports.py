"""The exports of a Document: XLSX with numbers as numbers, formula-safe CSV, a tagged PDF."""

import csv
import io
import subprocess
from datetime import date

import pypdf
import pytest
from defusedxml import ElementTree
from django.http import Http404
from django.utils import translation
from openpyxl import load_workbook

from inka.monitoring.document import Cell, Document, Row, Section, Table
from inka.monitoring.exports import (
    document_csv,
    document_html,
    document_pdf,
    document_xlsx,
    eu_emblem_svg,
    export_response,
    named_tables,
)
from inka.monitoring.tests.test_document_render import sample_document


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def dangerous_document() -> Document:
    table = Table(
        key="names",
        title="=Titel",
        stub="Name",
        columns=("+Spalte", "Wert"),
        rows=(
            Row('=HYPERLINK("http://x")', (Cell(1), Cell(2))),
            Row("+49 170", (Cell(3), Cell(hidden=True))),
            Row("-minus", (Cell(-4, unit="change"), Cell(5))),
            Row("@SUM(A1)", (Cell(6), Cell(7))),
            Row("\tTab", (Cell(8), Cell(9))),
            Row("\rReturn", (Cell(10), Cell(11))),
        ),
    )
    return Document("T", "S", (Section("A", (table,)),), date(2026, 11, 21), "t")


def test_every_table_gets_a_unique_sheet_name():
    names = [name for name, _table in named_tables(sample_document())]
    assert names == ["persons", "modes", "share_outreach", "share_outreach-2", "modes-2", "map_persons"]


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(document_xlsx(sample_document(), k=3)))
    assert workbook.sheetnames[0] == "persons"
    sheet = workbook["persons"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Beratene Personen nach Standort"
    assert rows[1][0] == "Kennzahlen Altenburg – Standort ALT · 2026"
    assert rows[2][0] == "Stand: 21. November 2026" or rows[2][0] == "As of 21. November 2026"
    header = rows[4]
    assert header[:3] == ("Standort", "2022", "2023") and len(header) == 7  # the last one for notes
    assert rows[5][:6] == ("ALT – Altenburg", 120, 340, 1234, 980, 560)
    assert rows[6][0] == "'=GERA" and rows[6][-1] == "Daten unvollständig"
    assert rows[7][:6] == ("Alle Standorte", 200, "<3", "<3", 1680, 990)
    assert isinstance(rows[5][3], int)
    assert sheet["B6"].number_format == "#,##0"
    assert sheet["C8"].data_type == "s"
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["A"].width >= len("ALT – Altenburg")
    assert "Personen mit mindestens einem Beratungskontakt im Jahr." in [row[0] for row in rows]
    assert "Zahlen unter 3 sind ausgeblendet." in [row[0] for row in rows]


def test_xlsx_percentages_are_fractions_with_a_percent_format():
    sheet = load_workbook(io.BytesIO(document_xlsx(sample_document(), k=3)))["share_outreach-2"]
    share = sheet["B6"]
    assert share.value == pytest.approx(0.25) and share.number_format == "0.0%"
    change = sheet["C7"]
    assert change.value == pytest.approx(0.30) and change.number_format == "+0%;-0%;0%"
    assert sheet["B8"].value == pytest.approx(72.3) and sheet["B8"].number_format == "0.0"
    assert sheet["C9"].value == pytest.approx(1234) and sheet["C9"].number_format == "#,##0.0"
    assert sheet["C8"].value is None  # no figure


def test_xlsx_escapes_formulas():
    sheet = load_workbook(io.BytesIO(document_xlsx(dangerous_document(), k=3)))["names"]
    labels = [sheet.cell(row, 1).value for row in range(6, 11)]
    assert labels == ['\'=HYPERLINK("http://x")', "'+49 170", "'-minus", "'@SUM(A1)", "'\tTab"]
    assert sheet.cell(11, 1).value.startswith("'")  # a carriage return, which XML reads back as a newline
    assert sheet["A1"].value == "'=Titel" and sheet["B5"].value == "'+Spalte"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_is_long_semicolon_separated_with_bom_and_decimal_comma():
    text = document_csv(sample_document(), k=3)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows[0]) == 5
    assert rows[3][:4] == ["persons", "ALT – Altenburg", "2024", "1234"]
    assert [row for row in rows if row[1] == "Alle Standorte"][1][:4] == [
        "persons",
        "Alle Standorte",
        "2023",
        "<3",
    ]
    share = next(row for row in rows if row[0] == "share_outreach" and row[2] == "2024")
    assert share[3] == "40,5" and share[4] in ("Prozent", "percent")
    change = next(row for row in rows if row[1] == "Veränderung zum Vorjahr" and row[2] == "2026")
    assert change[3] == "-5"
    assert "\r\n" in text
    outreach = [row[3] for row in rows if row[1] == "Aufsuchend (Geh)" and row[2] == "2024"]
    assert outreach == ["<3", "<3"]  # the table itself and the stacked chart's copy


def test_csv_escapes_every_text_cell_that_starts_like_a_formula():
    rows = list(
        csv.reader(io.StringIO(document_csv(dangerous_document(), k=3).removeprefix("\ufeff")), delimiter=";")
    )
    labels = {row[1] for row in rows[1:]}
    assert labels == {'\'=HYPERLINK("http://x")', "'+49 170", "'-minus", "'@SUM(A1)", "'\tTab", "'\rReturn"}
    assert {row[2] for row in rows[1:]} == {"'+Spalte", "Wert"}
    assert next(row for row in rows if row[3] == "<3")[:4] == ["names", "'+49 170", "Wert", "<3"]
    assert next(row[3] for row in rows if row[1] == "'-minus") == "-4"  # a number, not text


def test_the_eu_emblem_is_a_blue_field_with_twelve_gold_stars():
    root = ElementTree.fromstring(str(eu_emblem_svg()))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.find(svg + "rect").get("fill") == "#003399"
    stars = root.findall(f"{svg}g/{svg}polygon")
    assert len(stars) == 12 and all(len(star.get("points").split()) == 10 for star in stars)


def test_pdf_html_holds_the_funding_notice_and_no_links():
    html = document_html(sample_document(), k=3)
    assert "Europäischen Union" in html or "European Union" in html
    assert 'href="/kennzahlen' not in html
    assert html.count('role="img"') >= 4  # three charts and the map


def test_pdf_is_tagged_and_holds_title_figures_funding_notice_and_page_numbers(tmp_path):
    content = document_pdf(sample_document(), k=3)
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    pages = len(reader.pages)
    assert "Kennzahlen Altenburg" in text and "Standort ALT · 2026" in text
    assert "1.234" in text and "40,5 %" in text and "<3" in text and "−5 %" in text
    assert "21. November 2026" in text
    assert (
        text.count("Kofinanziert von der Europäischen Union") >= pages
        or text.count("Co-funded by the European Union") >= pages
    )
    assert "Freistaat Thüringen" in text or "Free State of Thuringia" in text
    assert f"Seite {pages} von {pages}" in text
    assert "<script>alert(1)</script>" in text  # user text shown as text
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    subprocess.run(["/usr/bin/pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True)  # noqa: S603  fixed arguments
    assert len(list(tmp_path.glob("page-*.png"))) == pages


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv; charset=utf-8"),
    ],
)
def test_export_response_is_a_download_not_kept_in_caches(fmt, content_type):
    response = export_response(sample_document(), fmt, k=3)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="kennzahlen-alt-2026.{fmt}"'
    assert response["Cache-Control"] == "no-store"


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        export_response(sample_document(), "docx", k=3)


def test_suppression_threshold_is_the_one_passed():
    text = document_csv(sample_document(), k=5)
    assert "<5" in text and "<3" not in text
