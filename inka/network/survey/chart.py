"""The site index over the years as a small bar chart, drawn on the server as SVG (no script).

The page shows the same figures in a table next to it, so the chart is an aid, not the only source.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from inka.network.survey.selectors import WaveSummary

WIDTH, HEIGHT = 420, 230
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 26, 30
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
MAX_BAR_WIDTH = 64


@dataclass(frozen=True)
class Bar:
    year: int
    x: float
    width: float
    y: float  # top of the bar
    height: float
    centre: float
    value: float | None
    flagged: bool


@dataclass(frozen=True)
class Gridline:
    y: float
    label: int


@dataclass(frozen=True)
class IndexChart:
    width: int
    height: int
    left: int
    right: float
    baseline: float
    bars: list[Bar]
    gridlines: list[Gridline]

    @property
    def has_flagged(self) -> bool:
        return any(bar.flagged and bar.value is not None for bar in self.bars)


def _y(value: float) -> float:
    return TOP + PLOT_HEIGHT * (1 - value / 100)


def index_chart(summaries: Sequence[WaveSummary]) -> IndexChart | None:
    """Bars of the site index (0–100) per wave, oldest first; None without any wave."""
    if not summaries:
        return None
    slot = (WIDTH - LEFT - RIGHT) / len(summaries)
    bar_width = min(slot * 0.6, MAX_BAR_WIDTH)
    bars = []
    for number, summary in enumerate(summaries):
        value = summary.result.index
        centre = LEFT + slot * (number + 0.5)
        top = _y(value) if value is not None else _y(0)
        bars.append(
            Bar(
                year=summary.wave.year,
                x=centre - bar_width / 2,
                width=bar_width,
                y=top,
                height=_y(0) - top,
                centre=centre,
                value=value,
                flagged=summary.result.flagged,
            )
        )
    return IndexChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        baseline=_y(0),
        bars=bars,
        gridlines=[Gridline(_y(value), value) for value in (0, 25, 50, 75, 100)],
    )
