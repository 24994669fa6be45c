"""A Document drawn by the page partials: tables, charts, map, narrative, figures in German."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from defusedxml import ElementTree
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from inka.monitoring.document import (
    Cell,
    Chart,
    Document,
    Map,
    MapLegendEntry,
    Narrative,
    Row,
    Section,
    Table,
)
from inka.monitoring.templatetags.monitoring import cell_text, chart_of, for_print, number_text


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def counts(*values, hidden=(), unit="count") -> tuple[Cell, ...]:
    return tuple(
        Cell(hidden=True, unit=unit) if index in hidden else Cell(value, unit=unit)
        for index, value in enumerate(values)
    )


def sample_document() -> Document:
    """A realistic small document: a table with totals, a grouped chart, a map and a narrative."""
    years = ("2022", "2023", "2024", "2025", "2026")
    persons = Table(
        key="persons",
        title="Beratene Personen nach Standort",
        stub="Standort",
        columns=years,
        rows=(
            Row("ALT – Altenburg", counts(120, 340, 1234, 980, 560), url="/kennzahlen/standort/1/"),
            Row("=GERA", counts(80, 2, 1, 700, 430), note="Daten unvollständig"),
            Row("Alle Standorte", counts(200, 342, 1235, 1680, 990, hidden=(1, 2)), total=True),
        ),
        caption="Personen mit mindestens einem Beratungskontakt im Jahr.",
    )
    modes = Table(
        key="modes",
        title="Kontakte nach Art",
        stub="Art",
        columns=years,
        rows=(
            Row("Im Büro (Komm)", counts(300, 310, 290, 280, 250)),
            Row("Aufsuchend (Geh)", counts(100, 150, 2, 260, 300, hidden=(2,))),
            Row("Hausbesuch", counts(20, 30, 40, 50, 60)),
        ),
    )
    shares = Table(
        key="share_outreach",
        title="Anteil aufsuchender Kontakte",
        stub="Kennzahl",
        columns=years,
        rows=(
            Row(
                "Anteil Geh-Struktur",
                tuple(Cell(Decimal(v), unit="percent") for v in ("25.0", "32.6", "40.5", "48.1", "54.6")),
            ),
            Row(
                "Veränderung zum Vorjahr",
                (Cell(), *counts(30, 24, 19, 14, unit="change")[:3], Cell(-5, unit="change")),
            ),
            Row(
                "Index Partnerbefragung",
                (Cell(Decimal("72.3"), unit="index", flagged=True), *counts(None, None, None, None)),
            ),
            Row(
                "Ehrenamtsstunden",
                tuple(Cell(Decimal(v), unit="hours") for v in ("12.5", "1234.0", "0", "3.25", "8")),
            ),
        ),
    )
    sites = Table(
        key="map_persons",
        title="Beratene Personen 2026 nach Standort",
        stub="Standort",
        columns=("Personen",),
        rows=(Row("ALT", counts(560)), Row("GERA", counts(2, hidden=(0,)))),
    )
    svg = mark_safe(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 80" role="img" aria-labelledby="map-t">'
        '<title id="map-t">Karte</title><rect width="100" height="80" fill="#e8edf5"/>'
        '<circle cx="60" cy="40" r="8" fill="#26497f"/></svg>'
    )
    return Document(
        title="Kennzahlen Altenburg",
        subtitle="Standort ALT · 2026",
        sections=(
            Section(
                "Überblick",
                (
                    persons,
                    Chart("modes", "Kontakte nach Art", "bar", modes, unit="Anzahl der Kontakte"),
                    Chart(
                        "share",
                        "Anteil der Geh-Struktur",
                        "line",
                        replace(shares, rows=shares.rows[:1]),
                    ),
                ),
                intro="Was der Standort im Jahr erreicht hat.",
            ),
            Section(
                "Vergleich",
                (
                    shares,
                    Chart("modes_share", "Kontaktarten im Verhältnis", "stacked", modes),
                    Map(
                        "Beratene Personen",
                        svg,
                        (MapLegendEntry("unter 100", "#c6d4ea"), MapLegendEntry("100 und mehr", "#26497f")),
                        sites,
                    ),
                    Narrative(
                        "Was gut lief",
                        ("Viele neue Kontakte.\nVor allem im Sommer.", "<script>alert(1)</script>"),
                    ),
                ),
            ),
        ),
        as_of=date(2026, 11, 21),
        filename="kennzahlen-alt-2026",
        notes=("Zahlen unter 3 sind ausgeblendet.",),
    )


def render(document: Document, k: int = 3) -> str:
    return render_to_string("monitoring/_document.html", {"document": document, "k": k})


def test_figures_read_in_german():
    assert number_text(1234, "count") == "1.234"
    assert number_text(Decimal("40.5"), "percent") == "40,5 %"
    assert number_text(Decimal("12.5"), "hours") == "12,5"
    assert number_text(Decimal("72.25"), "index") == "72,3"
    assert number_text(12, "change") == "+12 %"
    assert number_text(-5, "change") == "\u22125 %"
    assert cell_text(Cell(hidden=True, value=None), 5) == "<5"
    assert cell_text(Cell(), 3) == "–"


def test_the_document_renders_sections_tables_charts_map_and_narrative():
    html = render(sample_document())
    assert html.count("<section") == 2
    assert '<h2 id="mon-section-1" class="kern-heading-medium">Überblick</h2>' in html
    assert "Zahlen unter 3 sind ausgeblendet." in html
    assert "Was der Standort im Jahr erreicht hat." in html
    # Tables: caption, header scopes, numbers right-aligned, a link, a note, the totals row marked.
    caption = '<caption id="mon-table-persons-caption" class="kern-sr-only">'
    assert caption + "Beratene Personen nach Standort</caption>" in html
    assert '<th scope="col" class="kern-table__header kern-table__header--numeric">2026</th>' in html
    assert '<td class="kern-table__cell kern-table__cell--numeric">1.234</td>' in html
    assert '<a class="kern-link" href="/kennzahlen/standort/1/">ALT – Altenburg</a>' in html
    assert '<span class="mon-note">Daten unvollständig</span>' in html
    assert 'class="kern-table__row mon-total"' in html
    assert "kern-table-responsive" in html
    assert "Personen mit mindestens einem Beratungskontakt im Jahr." in html
    # Every table has a caption, every header cell a scope.
    assert html.count("<table") == html.count("<caption")
    assert html.count("<th ") == html.count('<th scope="')


def test_hidden_and_flagged_cells_are_explained_not_only_shown_by_sign():
    html = render(sample_document(), k=4)
    assert '<span aria-hidden="true">&lt;4</span>' in html
    assert "weniger als 4" in html or "fewer than 4" in html
    assert '<span class="mon-flag" aria-hidden="true">*</span>' in html
    assert "72,3" in html and "40,5 %" in html and "+30 %" in html and "\u22125 %" in html and "12,5" in html


def test_user_text_is_escaped():
    html = render(sample_document())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Viele neue Kontakte.<br>Vor allem im Sommer." in html


def test_a_chart_comes_with_its_table():
    html = render(sample_document())
    chart_start = html.index('id="mon-chart-modes"')
    chart = html[chart_start : html.index("</details>", chart_start)]
    assert 'role="img"' in chart and "<summary" in chart
    assert "Daten als Tabelle" in chart or "Data as a table" in chart
    caption = '<caption id="mon-table-modes-modes-caption" class="kern-title mon-caption">'
    assert caption + "Kontakte nach Art</caption>" in chart
    assert "Anzahl der Kontakte" in chart


def test_the_map_has_a_legend_and_its_table():
    html = render(sample_document())
    map_start = html.index('id="mon-map-map_persons"')
    block = html[map_start : html.index("</details>", map_start)]
    assert '<rect width="16" height="16" rx="2" fill="#26497f"' in block and "100 und mehr" in block
    assert "mon-table-map-map_persons-caption" in block


def test_the_chart_svg_never_shows_a_hidden_cell():
    document = sample_document()
    chart = document.sections[0].blocks[1]
    assert isinstance(chart, Chart)
    svg = chart_of(chart, 3)
    root = ElementTree.fromstring(svg)
    labels = [text.text for text in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<3" in labels and "2" not in labels  # the hidden outreach figure of 2024


def test_the_totals_row_stays_out_of_the_chart():
    table = Table("t", "T", "S", ("a",), (Row("A", counts(5)), Row("Alle", counts(99), total=True)))
    svg = chart_of(Chart("t", "T", "bar", table), 3)
    assert ">99<" not in svg and ">5<" in svg


def test_a_wide_table_of_few_rows_is_turned_on_its_side_for_print():
    columns = tuple(f"Thema {number}" for number in range(10))
    table = Table("topics", "Themen", "Jahr", columns, (Row("2026", counts(*range(10), hidden=(1,))),))
    printed = for_print(table)
    assert printed.columns == ("2026",)
    assert [row.label for row in printed.rows] == list(columns)
    assert printed.rows[1].cells == (Cell(hidden=True),)
    long = Table("t", "T", "S", columns, tuple(Row(str(n), counts(*range(10))) for n in range(4)))
    assert for_print(long) is long
