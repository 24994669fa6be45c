"""What a dashboard or report shows, as data: the page, the XLSX, the CSV and the PDF render it.

A builder (site dashboard, programme dashboard, period report) returns a `Document`; templates and
`exports` only draw it, so the four forms cannot disagree and a chart has one definition.
A hidden cell (small-cell suppression) has `hidden=True` and no value.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils.functional import Promise
from django.utils.safestring import SafeString

Text = str | Promise
Unit = Literal["count", "percent", "hours", "index", "change"]


@dataclass(frozen=True)
class Cell:
    value: int | Decimal | None = None  # None and not hidden: nothing to show (e.g. no comparison yet)
    hidden: bool = False  # suppressed: below k, or could be worked out from one that is
    unit: Unit = "count"
    flagged: bool = False  # e.g. a site's data too incomplete to compare, an index from few answers


@dataclass(frozen=True)
class Row:
    label: Text
    cells: tuple[Cell, ...]
    total: bool = False  # a totals row
    url: str = ""  # a link in the page (not in exports)
    note: Text = ""  # shown after the label, e.g. "data incomplete"


@dataclass(frozen=True)
class Table:
    key: str  # stable, ASCII: XLSX sheet name and CSV table id
    title: Text
    stub: Text  # header of the label column
    columns: tuple[Text, ...]  # headers of the value columns
    rows: tuple[Row, ...]
    caption: Text = ""  # definition or note below the table


ChartKind = Literal["bar", "hbar", "line", "stacked"]


@dataclass(frozen=True)
class Chart:
    """A chart of `table`: columns are the categories along the axis, rows are the series.

    "bar": vertical bars (grouped when several rows), "hbar": horizontal bars (one row, long labels),
    "line": one line per row, "stacked": each column a 100 % bar split by the rows.
    The table is the chart's text alternative and is always shown with it.
    """

    key: str
    title: Text
    kind: ChartKind
    table: Table
    unit: Text = ""


@dataclass(frozen=True)
class MapLegendEntry:
    label: Text
    colour: str  # "#rrggbb"


@dataclass(frozen=True)
class Map:
    """The map of Thuringia with the sites coloured by one indicator; `svg` is self-contained."""

    title: Text
    svg: SafeString
    legend: tuple[MapLegendEntry, ...]
    table: Table  # the same values as a table


@dataclass(frozen=True)
class Narrative:
    title: Text
    paragraphs: tuple[Text, ...]


Block = Table | Chart | Map | Narrative


@dataclass(frozen=True)
class Section:
    title: Text
    blocks: tuple[Block, ...]
    intro: Text = ""


@dataclass(frozen=True)
class Document:
    title: Text
    subtitle: Text  # whose figures, which period
    sections: tuple[Section, ...]
    as_of: date  # the day the figures were counted (a submitted report: its submission day)
    filename: str  # without extension, ASCII
    notes: tuple[Text, ...] = field(default=())  # e.g. how small figures are hidden
