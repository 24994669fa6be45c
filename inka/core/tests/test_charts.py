"""The SVG charts: valid, accessible, proportional, and silent about hidden figures."""

import re
from decimal import Decimal
from xml.etree.ElementTree import Element

import pytest
from defusedxml import ElementTree
from django.utils import translation

from inka.core.charts import Point, Series, chart_svg, format_number

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ("bar", "hbar", "line", "stacked")


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def parse(svg: str) -> Element:
    return ElementTree.fromstring(svg)


def series(name: str, *values, hidden=()) -> Series:
    return Series(name, tuple(Point(value, hidden=index in hidden) for index, value in enumerate(values)))


def bars(root: Element, colour: str = "#26497f") -> list[Element]:
    """The data bars of the first series (legend swatches are 12 wide and aria-hidden in their own group)."""
    return [rect for rect in root.iter(SVG + "rect") if rect.get("fill") == colour and rect.get("stroke")]


def texts(root: Element) -> list[str]:
    return [text.text or "" for text in root.iter(SVG + "text")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_an_accessible_self_contained_svg(kind):
    svg = chart_svg(
        kind,
        key="contacts",
        title="Kontakte <nach> Art",
        categories=["2025", "2026"],
        series=[series("Büro", 10, 20), series("Aufsuchend", 5, 7)],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None and title.text == "Kontakte <nach> Art"
    assert desc is not None and "Büro, Aufsuchend" in (desc.text or "")
    assert root.get("aria-labelledby") == "chart-contacts-title chart-contacts-desc"
    # Drawn the same by WeasyPrint: no classes on shapes, no styles, nothing loaded from elsewhere.
    assert "class=" not in svg.replace('class="inka-chart"', "")
    assert "style" not in svg and "href" not in svg.replace("url(#chart-contacts-p1)", "")


def test_bars_are_proportional_to_their_values():
    root = parse(
        chart_svg("bar", key="k", title="T", categories=["a", "b", "c"], series=[series("S", 100, 50, 25)])
    )
    heights = [float(rect.get("height", 0)) for rect in bars(root)]
    assert len(heights) == 3
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    assert heights[1] == pytest.approx(2 * heights[2], abs=0.2)


def test_horizontal_bars_are_proportional_to_their_values():
    root = parse(
        chart_svg("hbar", key="k", title="T", categories=["Arbeit", "Wohnen"], series=[series("S", 300, 100)])
    )
    widths = [float(rect.get("width", 0)) for rect in bars(root)]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.2)


def test_stacked_bars_split_each_column_into_shares():
    root = parse(
        chart_svg(
            "stacked", key="k", title="T", categories=["2026"], series=[series("A", 30), series("B", 10)]
        )
    )
    first = [
        float(rect.get("height", 0)) for rect in root.iter(SVG + "rect") if rect.get("fill") == "#26497f"
    ]
    second = [
        float(rect.get("height", 0))
        for rect in root.iter(SVG + "rect")
        if rect.get("fill") == "url(#chart-k-p1)"
    ]
    assert first[-1] == pytest.approx(3 * second[-1], abs=0.2)
    assert {"75 %", "25 %"} <= set(texts(root))


def test_hidden_figures_are_not_drawn_but_marked():
    svg = chart_svg(
        "bar",
        key="k",
        title="T",
        categories=["a", "b", "c"],
        series=[series("S", 40, 2, 30, hidden=(1,))],
        hidden_mark="<3",
    )
    root = parse(svg)
    assert len(bars(root)) == 2
    assert "<3" in texts(root)
    assert ">2<" not in svg  # the hidden value appears nowhere


@pytest.mark.parametrize("kind", KINDS)
def test_no_kind_gives_a_hidden_figure_away(kind):
    # 977 is hidden: neither the figure nor a share of a column holding it may appear.
    svg = chart_svg(
        kind,
        key="k",
        title="T",
        categories=["a", "b"],
        series=[series("A", 977, 10, hidden=(0,)), series("B", 15, 30)],
        hidden_mark="<3",
    )
    root = parse(svg)
    assert "977" not in svg and "<3" in texts(root)
    if kind == "stacked":
        assert "98 %" not in texts(root)  # 977 / (977 + 15) would be a share of the hidden column


def test_a_line_breaks_at_a_hidden_point():
    root = parse(
        chart_svg(
            "line",
            key="k",
            title="T",
            categories=list("abcde"),
            series=[series("S", 5, 6, 1, 8, 9, hidden=(2,))],
        )
    )
    paths = [path for path in root.iter(SVG + "path") if path.get("stroke") == "#26497f"]
    assert len(paths) == 2  # a–b and d–e, no line through c
    assert all(path.get("d", "").count("L") == 1 for path in paths)


def test_series_differ_by_more_than_colour():
    bar = chart_svg(
        "bar", key="k", title="T", categories=["a"], series=[series("A", 1), series("B", 2), series("C", 3)]
    )
    assert bar.count("<pattern") == 2  # the second and third series are hatched and dotted
    line = parse(
        chart_svg(
            "line", key="l", title="T", categories=["a", "b"], series=[series("A", 1, 2), series("B", 2, 3)]
        )
    )
    dashes = {path.get("stroke-dasharray") for path in line.iter(SVG + "path") if path.get("fill") == "none"}
    assert None in dashes and "7 4" in dashes


def test_axis_and_labels_use_the_german_number_format():
    root = parse(
        chart_svg(
            "bar",
            key="k",
            title="T",
            categories=["a", "b"],
            series=[Series("S", (Point(1234), Point(Decimal("12.5"), label="12,5 %")))],
        )
    )
    labels = texts(root)
    assert "1.234" in labels and "12,5 %" in labels
    assert "1.250" in labels  # a gridline


def test_percent_axis_with_suffix():
    root = parse(
        chart_svg(
            "line",
            key="k",
            title="T",
            categories=["a", "b"],
            series=[series("S", Decimal("40.5"), Decimal("61.3"))],
            suffix=" %",
        )
    )
    labels = texts(root)
    assert "40,5 %" in labels and "60 %" in labels


def test_format_number():
    assert format_number(1234) == "1.234"
    assert format_number(Decimal("12.45"), 1) == "12,5"
    assert format_number(-5, sign=True) == "\u22125"
    assert format_number(12, sign=True) == "+12"
    assert format_number(0, sign=True) == "0"


def test_long_category_names_are_wrapped_and_cut():
    name = "Behördenangelegenheiten, Anträge und Widersprüche gegen Bescheide aller Art und Weise"
    root = parse(chart_svg("hbar", key="k", title="T", categories=[name], series=[series("S", 4)]))
    lines = [text for text in texts(root) if text and not re.fullmatch(r"[\d.,\s%]+", text)]
    assert 1 < len(lines) <= 2
    assert lines[-1].endswith("…")


def test_ids_are_unique_per_chart():
    first = chart_svg("bar", key="a b", title="T", categories=["x"], series=[series("A", 1), series("B", 2)])
    second = chart_svg("bar", key="c", title="T", categories=["x"], series=[series("A", 1), series("B", 2)])
    assert 'id="chart-a-b-p1"' in first and 'id="chart-c-p1"' in second


def test_empty_chart_still_draws():
    root = parse(chart_svg("bar", key="k", title="T", categories=["a"], series=[series("S", None)]))
    assert bars(root) == []
