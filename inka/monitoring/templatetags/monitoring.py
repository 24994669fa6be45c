"""Drawing a `Document` in templates: one partial per block, figures in the German format.

The page and the PDF use the same partials and the same chart SVG. The threshold shown for hidden
figures ("<3") is `k` from the template context (the view passes settings.SUPPRESSION_K).
"""

from dataclasses import replace
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inka.core.charts import Point, Series, chart_svg, format_number
from inka.monitoring.document import Block, Cell, Chart, Map, Narrative, Row, Table, Unit

register = template.Library()

DECIMALS: dict[Unit, int] = {"count": 0, "percent": 1, "hours": 1, "index": 1, "change": 0}
SUFFIX: dict[Unit, str] = {"count": "", "percent": " %", "hours": "", "index": "", "change": " %"}
TEMPLATES = {
    Table: "monitoring/_table.html",
    Chart: "monitoring/_chart.html",
    Map: "monitoring/_map.html",
    Narrative: "monitoring/_narrative.html",
}


def number_text(value: Any, unit: Unit) -> str:
    """A figure as it reads: "1.234", "40,5 %", "12,5", "+12 %", "−5 %"."""
    return format_number(value, DECIMALS[unit], sign=unit == "change") + SUFFIX[unit]


def cell_text(cell: Cell, k: int) -> str:
    """The cell as plain text: the figure, "<3" when hidden, "–" when there is none."""
    if cell.hidden:
        return f"<{k}"
    if cell.value is None:
        return "–"
    return number_text(cell.value, cell.unit)


def _k(context: template.Context) -> int:
    return int(context.get("k") or settings.SUPPRESSION_K)


@register.simple_tag(takes_context=True)
def monitoring_cell(context: template.Context, cell: Cell) -> SafeString:
    """A table cell's content; a hidden or flagged figure says so to screen readers, not only by sign."""
    k = _k(context)
    if cell.hidden:
        explanation = _("fewer than %(k)s or hidden to keep small numbers confidential") % {"k": k}
        return format_html(
            '<span class="mon-hidden" title="{}"><span aria-hidden="true">{}</span>'
            '<span class="kern-sr-only">{}</span></span>',
            explanation,
            f"<{k}",
            explanation,
        )
    if cell.value is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="kern-sr-only">{}</span>', _("no figure")
        )
    text = number_text(cell.value, cell.unit)
    if cell.flagged:
        return format_html(
            '{}<span class="mon-flag" aria-hidden="true">*</span><span class="kern-sr-only"> ({})</span>',
            text,
            _("marked, see the note"),
        )
    return format_html("{}", text)


@register.filter
def monitoring_template(block: Block) -> str:
    """The partial that draws `block`."""
    return TEMPLATES[type(block)]


@register.filter
def has_flagged(table: Table) -> bool:
    return any(cell.flagged for row in table.rows for cell in row.cells)


def chart_rows(table: Table) -> tuple[Row, ...]:
    """The rows a chart draws: a totals row would dwarf the parts, so it stays in the table only."""
    parts = tuple(row for row in table.rows if not row.total)
    return parts or table.rows


def chart_of(chart: Chart, k: int) -> SafeString:
    """The chart's SVG (also used by the PDF)."""
    rows = chart_rows(chart.table)
    units = [cell.unit for row in rows for cell in row.cells if cell.value is not None]
    return chart_svg(
        chart.kind,
        key=chart.key,
        title=str(chart.title),
        categories=[str(column) for column in chart.table.columns],
        series=[
            Series(
                str(row.label),
                tuple(Point(cell.value, cell_text(cell, k), cell.hidden) for cell in row.cells),
            )
            for row in rows
        ],
        suffix=SUFFIX[units[0]] if units else "",
        hidden_mark=f"<{k}",
    )


@register.simple_tag(takes_context=True)
def monitoring_chart(context: template.Context, chart: Chart) -> SafeString:
    return chart_of(chart, _k(context))


@register.filter
def block_kind(block: Block) -> str:
    """ "table", "chart", "map" or "narrative" (the PDF lays the kinds out itself)."""
    return type(block).__name__.lower()


@register.filter
def is_wide(table: Table) -> bool:
    """Too many columns for a portrait page at the normal size."""
    return len(table.columns) > 7


@register.filter
def for_print(table: Table) -> Table:
    """A wide table of one to three rows turned on its side, so that it fits a printed page."""
    if not is_wide(table) or len(table.rows) > 3 or any(row.note or row.total for row in table.rows):
        return table
    return replace(
        table,
        stub="",
        columns=tuple(row.label for row in table.rows),
        rows=tuple(
            Row(column, tuple(row.cells[number] for row in table.rows))
            for number, column in enumerate(table.columns)
        ),
    )
