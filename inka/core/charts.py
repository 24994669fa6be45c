"""Small charts drawn on the server as self-contained SVG: the same markup in the page and in PDFs.

One definition per chart: the page inlines the SVG and WeasyPrint draws the very same string, so
colours are attributes (not CSS classes) and nothing is loaded. Series differ by more than colour
(hatching and dots on bars, dashes and marker shapes on lines) and the page always shows the
figures as a table next to the chart. A hidden figure (small-cell suppression) is never drawn:
its place stays empty and carries the mark "<3", so the chart tells no more than the table.
"""

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Literal

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Kind = Literal["bar", "hbar", "line", "stacked"]
Number = int | float | Decimal

WIDTH = 560.0
PLOT_HEIGHT = 180.0
FONT = 11.0  # axis and legend text
SMALL = 10.0  # value labels
FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"
INK, MUTED, GRID = "#131525", "#404565", "#d3d7e0"
# Okabe–Ito colours after the house blue; they stay apart for colour-blind readers and in grey.
PALETTE = ("#26497f", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#6f7b91", "#332288")
DARK = frozenset({"#26497f", "#009e73", "#d55e00", "#6f7b91", "#332288"})
DASHES = ("", "7 4", "2 3", "9 3 2 3")
MINUS = "\u2212"
Scale = Callable[[float], float]


@dataclass(frozen=True)
class Point:
    """One figure of a series; `label` is how the reader sees it ("1.234", "40,5 %")."""

    value: Number | None = None  # None and not hidden: nothing to show
    label: str = ""
    hidden: bool = False  # suppressed: not drawn, marked instead


@dataclass(frozen=True)
class Series:
    name: str
    points: tuple[Point, ...]  # one per category


def format_number(value: Number, decimals: int = 0, *, sign: bool = False) -> str:
    """`value` in the active language's format ("1.234,5" in German), a true minus, "+" on request."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = formats.number_format(abs(rounded), decimals, use_l10n=True, force_grouping=True)
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if sign and rounded > 0 else text


def chart_svg(
    kind: Kind,
    *,
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    description: str = "",
    suffix: str = "",
    hidden_mark: str = "<3",
) -> SafeString:
    """The chart as an `<svg role="img">` with title and description; `key` makes its ids unique."""
    drawing = _Drawing(key, kind, list(categories), list(series), suffix, hidden_mark)
    body, height = drawing.draw()
    ident = "chart-" + "".join(char if char.isalnum() else "-" for char in key)
    desc = description or drawing.describe()
    # Every text in it went through escape().
    return mark_safe(  # nosec B308 B703
        f'<svg xmlns="http://www.w3.org/2000/svg" class="inka-chart" viewBox="0 0 {_n(WIDTH)} {_n(height)}" '
        f'width="{_n(WIDTH)}" height="{_n(height)}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT_FAMILY}" font-size="{_n(FONT)}">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


# --- Helpers -----------------------------------------------------------------------------------


def _n(number: float) -> str:
    """A coordinate: one decimal at most, no trailing zero."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float = FONT) -> float:
    """An estimate, generous for the wide DejaVu Sans."""
    return len(text) * size * 0.6


def _lines(text: str, chars: int, lines: int = 2) -> list[str]:
    """`text` wrapped to at most `lines` lines of `chars`, the last one cut with "…" if needed."""
    chars = max(3, chars)
    wrapped = textwrap.wrap(text, chars, break_long_words=False) or [""]
    if len(wrapped) > lines or any(len(line) > chars for line in wrapped[:lines]):
        rest = " ".join(wrapped[lines - 1 :])
        kept = [line if len(line) <= chars else line[: chars - 1] + "…" for line in wrapped[: lines - 1]]
        cut = rest if len(rest) <= chars else rest[: chars - 1].rstrip() + "…"
        return [*kept, cut]
    return wrapped


def _ticks(low: float, high: float, *, integer: bool) -> tuple[list[float], int]:
    """Round gridline values covering low…high (about five), and the decimals their labels need."""
    if high <= low:
        high = low + (5 if integer else 1)
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * 1.0001)
    if integer:
        step = max(1.0, round(step))
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    ticks = [start + i * step for i in range(round((end - start) / step) + 1)]
    decimals = 0 if float(step).is_integer() else len(f"{step:.6f}".rstrip("0").split(".")[1])
    return ticks, decimals


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "middle",
    size: float = FONT,
    fill: str = INK,
    bold: bool = False,
) -> str:
    weight = ' font-weight="700"' if bold else ""
    size_attr = "" if size == FONT else f' font-size="{_n(size)}"'
    position = f'x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"'
    return f'<text {position} fill="{fill}"{size_attr}{weight}>{escape(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" fill="{fill}"{extra}/>'


def _multiline(x: float, y: float, lines: Sequence[str], *, anchor: str = "middle", fill: str = INK) -> str:
    return "".join(
        _text(x, y + number * (FONT + 2), line, anchor=anchor, fill=fill) for number, line in enumerate(lines)
    )


# --- Drawing -----------------------------------------------------------------------------------


class _Drawing:
    def __init__(
        self, key: str, kind: Kind, categories: list[str], series: list[Series], suffix: str, hidden_mark: str
    ) -> None:
        self.prefix = "chart-" + "".join(char if char.isalnum() else "-" for char in key)
        self.kind = kind
        self.categories = categories
        self.suffix = suffix
        self.hidden_mark = hidden_mark
        self.series = [
            Series(item.name, tuple(self._labelled(point) for point in item.points)) for item in series
        ]

    def _labelled(self, point: Point) -> Point:
        if point.label or point.value is None or point.hidden:
            return point
        decimals = 0 if isinstance(point.value, int) else 1
        return Point(point.value, format_number(point.value, decimals) + self.suffix)

    def describe(self) -> str:
        names = {
            "bar": _("Bar chart"),
            "hbar": _("Horizontal bar chart"),
            "line": _("Line chart"),
            "stacked": _("Stacked bar chart (100 %)"),
        }
        parts = [f"{names[self.kind]}."]
        if len(self.series) > 1 or self.kind == "stacked":
            parts.append(_("Series: %(names)s.") % {"names": ", ".join(item.name for item in self.series)})
        if any(point.hidden for item in self.series for point in item.points):
            parts.append(_("Figures marked %(mark)s are hidden and not drawn.") % {"mark": self.hidden_mark})
        parts.append(_("The figures are in the table."))
        return " ".join(parts)

    # Values and colours

    def value(self, series: int, category: int) -> Point:
        points = self.series[series].points
        return points[category] if category < len(points) else Point()

    def drawn(self) -> list[float]:
        return [
            float(p.value)
            for item in self.series
            for p in item.points
            if p.value is not None and not p.hidden
        ]

    def integer(self) -> bool:
        return all(
            isinstance(p.value, int) for item in self.series for p in item.points if p.value is not None
        )

    def fill(self, series: int) -> str:
        """A solid colour for the first series, hatching, dots and crossing lines for the next ones."""
        return f"url(#{self.prefix}-p{series})" if 1 <= series <= 4 else PALETTE[series % len(PALETTE)]

    def colour(self, series: int) -> str:
        return PALETTE[series % len(PALETTE)]

    def patterns(self) -> str:
        marks = {
            1: '<path d="M-1 1l2-2M0 6l6-6M5 7l2-2" stroke="#fff" stroke-width="1.6"/>',
            2: '<circle cx="3" cy="3" r="1.3" fill="#fff"/>',
            3: '<path d="M0 0l6 6M6 0l-6 6" stroke="#fff" stroke-width="1.1"/>',
            4: '<path d="M0 1.5h6M0 4.5h6" stroke="#fff" stroke-width="1.1"/>',
        }
        defs = []
        for series in range(1, min(5, len(self.series))):
            defs.append(
                f'<pattern id="{self.prefix}-p{series}" width="6" height="6" patternUnits="userSpaceOnUse">'
                f'<rect width="6" height="6" fill="{self.colour(series)}"/>{marks[series]}</pattern>'
            )
        return f"<defs>{''.join(defs)}</defs>" if defs else ""

    # Legend (drawn inside the SVG, so the PDF has it too)

    def legend(self, top: float) -> tuple[str, float]:
        if len(self.series) < 2:
            return "", top
        parts, x, y = [], 4.0, top
        for number, item in enumerate(self.series):
            name = _lines(item.name, 40, 1)[0]
            width = 22 + _text_width(name) + 16
            if x > 4 and x + width > WIDTH:
                x, y = 4.0, y + 18
            parts.append(self.swatch(number, x, y) + _text(x + 22, y + 10, name, anchor="start"))
            x += width
        return f'<g aria-hidden="true">{"".join(parts)}</g>', y + 24

    def swatch(self, series: int, x: float, y: float) -> str:
        if self.kind == "line":
            return self.line_style(series, f'<path d="M{_n(x)} {_n(y + 6)}h18"') + self.marker(
                series, x + 9, y + 6
            )
        return (
            f'<rect x="{_n(x + 3)}" y="{_n(y)}" width="12" height="12" fill="{self.fill(series)}" '
            f'stroke="{self.colour(series)}"/>'
        )

    def edge(self, series: int) -> str:
        return f' stroke="{self.colour(series)}" stroke-width="0.6"'

    def line_style(self, series: int, path: str) -> str:
        dash = DASHES[series % len(DASHES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        return f'{path} fill="none" stroke="{self.colour(series)}" stroke-width="2"{dashes}/>'

    def marker(self, series: int, x: float, y: float) -> str:
        colour, shape = self.colour(series), series % 4
        if shape == 0:
            return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{colour}"/>'
        if shape == 1:
            return f'<rect x="{_n(x - 3.5)}" y="{_n(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
        if shape == 2:
            return f'<path d="M{_n(x)} {_n(y - 4.5)}l4.2 7.5h-8.4z" fill="{colour}"/>'
        return f'<path d="M{_n(x)} {_n(y - 4.5)}l4.5 4.5-4.5 4.5-4.5-4.5z" fill="{colour}"/>'

    # The kinds

    def draw(self) -> tuple[str, float]:
        legend, top = self.legend(6.0)
        if self.kind == "hbar":
            body, height = self.horizontal(top)
        else:
            body, height = self.vertical(top)
        return self.patterns() + legend + body, height

    def vertical(self, top: float) -> tuple[str, float]:
        """Bars, lines and 100 % bars: categories along the bottom, values up the side."""
        if self.kind == "stacked":
            ticks, decimals, suffix = [0.0, 25.0, 50.0, 75.0, 100.0], 0, " %"
        else:
            values = self.drawn()
            ticks, decimals = _ticks(min([0.0, *values]), max([0.0, *values]), integer=self.integer())
            suffix = self.suffix
        labels = [format_number(tick, decimals) + suffix for tick in ticks]
        left = max(_text_width(label) for label in labels) + 10
        count = max(1, len(self.categories))
        band = (WIDTH - left - 6) / count
        category_lines = [_lines(name, int(band / (FONT * 0.6)) - 1) for name in self.categories]
        rows = max((len(lines) for lines in category_lines), default=1)
        low, high = ticks[0], ticks[-1]
        top += 8  # room for the labels of the highest bars

        def y(value: float) -> float:
            return top + PLOT_HEIGHT * (high - value) / (high - low)

        baseline = y(max(low, min(0.0, high)))
        parts = ['<g aria-hidden="true">']
        for tick, label in zip(ticks, labels, strict=True):
            stroke = MUTED if tick == 0 else GRID
            parts.append(
                f'<path d="M{_n(left)} {_n(y(tick))}H{_n(WIDTH - 6)}" stroke="{stroke}" stroke-width="1"/>'
            )
            parts.append(_text(left - 6, y(tick) + 4, label, anchor="end", fill=MUTED))
        bottom = top + PLOT_HEIGHT
        for number, lines in enumerate(category_lines):
            parts.append(_multiline(left + band * (number + 0.5), bottom + 16, lines))
        draw = {"bar": self.bars, "line": self.lines, "stacked": self.stacked}[self.kind]
        parts.append(draw(left, band, y, baseline))
        parts.append("</g>")
        return "".join(parts), bottom + 16 + rows * (FONT + 2) + 2

    def hidden(self, x: float, y: float, anchor: str = "middle") -> str:
        return _text(x, y, self.hidden_mark, anchor=anchor, size=SMALL, fill=MUTED)

    def bars(self, left: float, band: float, y: Scale, baseline: float) -> str:
        count = max(1, len(self.series))
        width = min(48.0, band * 0.72 / count)
        parts = []
        for category in range(len(self.categories)):
            start = left + band * (category + 0.5) - width * count / 2
            for series in range(count):
                point, x = self.value(series, category), start + width * series
                centre = x + width / 2
                if point.hidden:
                    parts.append(self.hidden(centre, baseline - 4))
                    continue
                if point.value is None:
                    continue
                end = y(float(point.value))
                top, height = min(end, baseline), abs(baseline - end)
                parts.append(_rect(x + 0.5, top, width - 1, height, self.fill(series), self.edge(series)))
                if _text_width(point.label, SMALL) <= (band * 0.9 if count == 1 else width + 3):
                    label_y = end - 4 if end <= baseline else end + SMALL + 2
                    parts.append(_text(centre, label_y, point.label, size=SMALL))
        return "".join(parts)

    def lines(self, left: float, band: float, y: Scale, baseline: float) -> str:
        parts, marks = [], set()
        for series in range(len(self.series)):
            runs: list[list[tuple[float, float, Point]]] = [[]]
            for category in range(len(self.categories)):
                point, x = self.value(series, category), left + band * (category + 0.5)
                if point.hidden:
                    marks.add(category)
                if point.value is None or point.hidden:
                    runs.append([])  # a gap: the line does not bridge a figure that is not shown
                    continue
                runs[-1].append((x, y(float(point.value)), point))
            for run in runs:
                if len(run) > 1:
                    path = "M" + "L".join(f"{_n(x)} {_n(py)}" for x, py, _point in run)
                    parts.append(self.line_style(series, f'<path d="{path}"'))
                for x, py, point in run:
                    parts.append(self.marker(series, x, py))
                    if len(self.series) == 1 and _text_width(point.label, SMALL) <= band * 0.95:
                        parts.append(_text(x, py - 8, point.label, size=SMALL))
        for category in sorted(marks):
            parts.append(self.hidden(left + band * (category + 0.5), baseline - 4))
        return "".join(parts)

    def stacked(self, left: float, band: float, y: Scale, baseline: float) -> str:
        width = min(56.0, band * 0.6)
        parts = []
        for category in range(len(self.categories)):
            points = [self.value(series, category) for series in range(len(self.series))]
            centre = left + band * (category + 0.5)
            if any(point.hidden for point in points):
                # Shares of a column with a hidden part would give the hidden figure away.
                parts.append(self.hidden(centre, baseline - 4))
                continue
            values = [max(0.0, float(point.value or 0)) for point in points]
            whole = sum(values)
            if not whole:
                continue
            below = 0.0
            for series, value in enumerate(values):
                if not value:
                    continue
                share = 100 * value / whole
                bottom, top = y(below), y(below + share)
                below += share
                edge = ' stroke="#fff" stroke-width="0.8"'
                parts.append(_rect(centre - width / 2, top, width, bottom - top, self.fill(series), edge))
                label = format_number(share, 0) + " %"
                if bottom - top >= SMALL + 4 and _text_width(label, SMALL) + 4 <= width:
                    box = _text_width(label, SMALL) + 4
                    middle = (top + bottom) / 2
                    parts.append(
                        _rect(centre - box / 2, middle - 7, box, 12, "#fff", ' rx="2" fill-opacity="0.9"')
                    )
                    parts.append(_text(centre, middle + 3.5, label, size=SMALL))
        return "".join(parts)

    def horizontal(self, top: float) -> tuple[str, float]:
        """Horizontal bars: one band per category, its name on the left, the value after the bar."""
        count = max(1, len(self.series))
        label_chars = int(WIDTH * 0.36 / (FONT * 0.6))
        names = [_lines(name, label_chars) for name in self.categories]
        label_width = max((_text_width(line) for lines in names for line in lines), default=0) + 10
        band = max(26.0, count * 14 + 10, *(len(lines) * (FONT + 2) + 8 for lines in names))
        thickness = min(16.0, (band - 8) / count)
        values = self.drawn()
        ticks, decimals = _ticks(min([0.0, *values]), max([0.0, *values]), integer=self.integer())
        labels = [format_number(tick, decimals) + self.suffix for tick in ticks]
        points = [point for item in self.series for point in item.points]
        room = (
            max(
                [_text_width(point.label, SMALL) for point in points if not point.hidden]
                + [_text_width(self.hidden_mark, SMALL)]
            )
            + 10
        )
        left, right = label_width, WIDTH - max(room, _text_width(labels[-1]) / 2 + 4)
        low, high = ticks[0], ticks[-1]

        def x(value: float) -> float:
            return left + (right - left) * (value - low) / (high - low)

        zero = x(max(low, min(0.0, high)))
        bottom = top + band * len(self.categories)
        parts = ['<g aria-hidden="true">']
        for tick, label in zip(ticks, labels, strict=True):
            stroke = MUTED if tick == 0 else GRID
            parts.append(
                f'<path d="M{_n(x(tick))} {_n(top)}V{_n(bottom)}" stroke="{stroke}" stroke-width="1"/>'
            )
            parts.append(_text(x(tick), bottom + 15, label, fill=MUTED))
        for category, lines in enumerate(names):
            middle = top + band * (category + 0.5)
            parts.append(
                _multiline(left - 8, middle + 4 - (len(lines) - 1) * (FONT + 2) / 2, lines, anchor="end")
            )
            start = middle - thickness * count / 2
            for series in range(count):
                point, bar_y = self.value(series, category), start + thickness * series
                if point.hidden:
                    parts.append(self.hidden(zero + 4, bar_y + thickness / 2 + 3.5, anchor="start"))
                    continue
                if point.value is None:
                    continue
                end = x(float(point.value))
                box = (min(zero, end), bar_y + 0.5, abs(end - zero), thickness - 1)
                parts.append(_rect(*box, self.fill(series), self.edge(series)))
                after = max(zero, end) + 4
                parts.append(
                    _text(after, bar_y + thickness / 2 + 3.5, point.label, anchor="start", size=SMALL)
                )
        parts.append("</g>")
        return "".join(parts), bottom + 22
