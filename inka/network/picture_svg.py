"""The network picture as geometry: where every node, edge and label goes, in pure Python.

The layout is deterministic (the same figures give the same picture): the site in the centre, its
partners on a ring around it, grouped by kind in sectors that start at the top and run clockwise,
by name within a sector, so a partner keeps its place from one year to the next. More than
SINGLE_RING_MAX partners alternate between an inner and an outer ring. Node areas grow with the
activity (square-root scale on the radius). Labels are placed greedily, largest nodes first, and a
label that would touch a node, another label or the edge of the picture is left out; the full name
is in every node's <title>. Phones get the same picture cut square, with each node's number (the
row of the table below) in large type instead of names; the stylesheet shows the one that fits.
The templates turn the result into inline SVG.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

from inka.network.models import PartnerKind
from inka.network.picture import GrowthYear, NetworkYear, PartnerYear

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Box = tuple[float, float, float, float]  # left, top, right, bottom

# Two letters per kind, shown in the legend, on the sector marks and in large nodes, so that the
# colour is never the only way to tell the kinds apart.
ABBREVIATIONS: dict[str, "StrOrPromise"] = {
    PartnerKind.JOBCENTER: pgettext_lazy("partner kind abbreviation", "JC"),
    PartnerKind.EMPLOYMENT_AGENCY: pgettext_lazy("partner kind abbreviation", "EA"),
    PartnerKind.MUNICIPALITY: pgettext_lazy("partner kind abbreviation", "MU"),
    PartnerKind.HOUSING: pgettext_lazy("partner kind abbreviation", "HC"),
    PartnerKind.DEBT_COUNSELLING: pgettext_lazy("partner kind abbreviation", "DC"),
    PartnerKind.ADDICTION_COUNSELLING: pgettext_lazy("partner kind abbreviation", "AC"),
    PartnerKind.MIGRATION: pgettext_lazy("partner kind abbreviation", "MS"),
    PartnerKind.SCHOOL: pgettext_lazy("partner kind abbreviation", "SK"),
    PartnerKind.ASSOCIATION: pgettext_lazy("partner kind abbreviation", "AS"),
    PartnerKind.CHURCH: pgettext_lazy("partner kind abbreviation", "CH"),
    PartnerKind.EMPLOYER: pgettext_lazy("partner kind abbreviation", "EM"),
    PartnerKind.HEALTH: pgettext_lazy("partner kind abbreviation", "HS"),
    PartnerKind.OTHER: pgettext_lazy("partner kind abbreviation", "OT"),
}

WIDTH, HEIGHT = 940.0, 700.0
CX, CY = WIDTH / 2, HEIGHT / 2
CENTRE_RADIUS = 30.0
SINGLE_RING_MAX = 28
SINGLE_RING = 255.0
INNER_RING, OUTER_RING = 215.0, 280.0
SECTOR_GAP = 1.0  # empty slots between two kinds
MAX_NODE_RADIUS = 26.0
MIN_ACTIVE_RADIUS = 6.5
INACTIVE_RADIUS = 5.0
ABBREVIATION_MIN_RADIUS = 12.0
ABBREVIATION_SHIFT = 3.4  # from the middle of a node or badge to the baseline of its two letters
BADGE_WIDTH, BADGE_HEIGHT = 26.0, 16.0
WIDE_FONT, WIDE_CHARS = 13.5, 24
# The phone picture: a square around the ring, node numbers in large type.
NARROW_FONT = 19.0
NARROW_MARGIN = 2.2 * NARROW_FONT
CHAR_WIDTH = 0.56  # average advance of Fira Sans, in ems; a little generous
LINE_HEIGHT = 1.15


@dataclass(frozen=True)
class Node:
    partner: PartnerYear
    x: float
    y: float
    r: float
    angle: float
    number: int  # its row in the table of partners
    abbreviation: str  # empty when the node is too small to hold it

    @property
    def active(self) -> bool:
        return self.partner.activity > 0

    @property
    def text_y(self) -> float:
        return round(self.y + ABBREVIATION_SHIFT, 1)


@dataclass(frozen=True)
class Edge:
    kind: str  # referral, joint, agreement, tie
    d: str  # SVG path data
    width: float


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline of the first line
    anchor: str  # SVG text-anchor
    lines: tuple[str, ...]
    line_height: float


@dataclass(frozen=True)
class SectorMark:
    kind: str
    label: str
    abbreviation: str
    x: float  # centre of the badge
    y: float

    @property
    def badge_x(self) -> float:
        return round(self.x - BADGE_WIDTH / 2, 1)

    @property
    def badge_y(self) -> float:
        return round(self.y - BADGE_HEIGHT / 2, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + ABBREVIATION_SHIFT, 1)


@dataclass(frozen=True)
class Drawing:
    view_box: str
    narrow_view_box: str
    centre_x: float
    centre_y: float
    centre_r: float
    centre_text_y: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]  # from the site to its partners
    ties: tuple[Edge, ...]  # between partners
    sectors: tuple[SectorMark, ...]
    labels: tuple[Label, ...]
    narrow_labels: tuple[Label, ...]


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _point(radius: float, angle: float) -> tuple[float, float]:
    return CX + radius * math.cos(angle), CY + radius * math.sin(angle)


def _cut(text: str, chars: int) -> str:
    """`text` in at most `chars` characters: cut after a whole word if that keeps most of it."""
    if len(text) <= chars:
        return text
    head = text[: chars - 1]
    space = head.rfind(" ")
    if space >= chars * 0.5:
        head = head[:space]
    return head.rstrip(" ,-") + "…"


def short_lines(name: str, *, chars: int, lines: int = 2) -> tuple[str, ...]:
    """The name in one line of at most `chars` characters, or two balanced ones, cut with "…"."""
    if len(name) <= chars or lines < 2:
        return (_cut(name, chars),)
    words = name.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [pair for pair in splits if len(pair[0]) <= chars and len(pair[1]) <= chars]
    if fitting:
        return min(fitting, key=lambda pair: (max(map(len, pair)), len(pair[1])))
    # Too long for two lines: fill the first line, cut the second.
    first = max(
        (pair for pair in splits if len(pair[0]) <= chars), key=lambda pair: len(pair[0]), default=None
    )
    if first is None:
        return (_cut(name, chars),)
    return (first[0], _cut(first[1], chars))


# --- Positions ---------------------------------------------------------------------------------


def _angles(partners: Sequence[PartnerYear]) -> tuple[list[float], float]:
    """Angle of each partner (clockwise from the top) and the angle of one slot."""
    kinds = len({partner.kind for partner in partners})
    gap = SECTOR_GAP if kinds > 1 else 0.0
    step = 2 * math.pi / (len(partners) + gap * kinds)
    angles, position, previous = [], gap / 2, None
    for partner in partners:
        if previous is not None and partner.kind != previous:
            position += gap
        angles.append(-math.pi / 2 + (position + 0.5) * step)
        position += 1
        previous = partner.kind
    return angles, step


def _radii(partners: Sequence[PartnerYear], step: float, double: bool) -> list[float]:
    """Node radii: area by activity, the largest as large as the spacing of the ring allows."""
    # On two rings, neighbours on the same ring are two slots apart; a lone partner has no neighbour.
    if double:
        spacing = 2 * INNER_RING * math.sin(step)
    else:
        spacing = 2 * SINGLE_RING * math.sin(min(step, math.pi) / 2)
    largest = max(MIN_ACTIVE_RADIUS + 2, min(MAX_NODE_RADIUS, 0.45 * spacing))
    top = max((partner.activity for partner in partners), default=0)
    return [
        max(MIN_ACTIVE_RADIUS, largest * math.sqrt(partner.activity / top))
        if partner.activity > 0
        else INACTIVE_RADIUS
        for partner in partners
    ]


def _curve(x1: float, y1: float, x2: float, y2: float, bow: float) -> str:
    """A quadratic curve from (x1, y1) to (x2, y2), bent sideways by `bow` times its length."""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    cx, cy = mx - (y2 - y1) * bow, my + (x2 - x1) * bow
    return f"M{_fmt(x1)},{_fmt(y1)} Q{_fmt(cx)},{_fmt(cy)} {_fmt(x2)},{_fmt(y2)}"


def _spokes(nodes: Sequence[Node]) -> list[Edge]:
    """The edges from the site: referrals straight, joint work bent one way, agreements the other."""
    most = max((node.partner.referrals or 0 for node in nodes), default=0)
    # With many partners the lines meet densely at the centre: thinner ones keep it readable.
    widest, double_line = (6.0, 4.0) if len(nodes) <= SINGLE_RING_MAX else (4.0, 3.2)
    edges: list[Edge] = []
    for node in nodes:
        ux, uy = math.cos(node.angle), math.sin(node.angle)
        distance = math.hypot(node.x - CX, node.y - CY)
        x1, y1 = CX + ux * CENTRE_RADIUS, CY + uy * CENTRE_RADIUS
        x2, y2 = CX + ux * (distance - node.r), CY + uy * (distance - node.r)
        partner = node.partner
        # Hidden counts (None) get no edge at all: a line, however thin, would tell "not zero".
        if partner.referrals:
            width = 1.2 + (widest - 1.2) * math.sqrt(partner.referrals / most)
            edges.append(Edge("referral", f"M{_fmt(x1)},{_fmt(y1)} L{_fmt(x2)},{_fmt(y2)}", round(width, 1)))
        if partner.joint_work:
            edges.append(Edge("joint", _curve(x1, y1, x2, y2, 0.09), 1.6))
        if partner.agreement:
            edges.append(Edge("agreement", _curve(x1, y1, x2, y2, -0.09), double_line))
    return edges


def _ties(network: NetworkYear, nodes: Sequence[Node]) -> list[Edge]:
    """Partner-to-partner edges, bent towards the centre so they do not run along the ring."""
    by_partner = {node.partner.partner_id: node for node in nodes}
    edges = []
    for tie in network.ties:
        a, b = by_partner[tie.first], by_partner[tie.second]
        mx, my = (a.x + b.x) / 2, (a.y + b.y) / 2
        cx, cy = CX + (mx - CX) * 0.5, CY + (my - CY) * 0.5
        d = f"M{_fmt(a.x)},{_fmt(a.y)} Q{_fmt(cx)},{_fmt(cy)} {_fmt(b.x)},{_fmt(b.y)}"
        edges.append(Edge("tie", d, round(min(2.5, 0.7 + 0.4 * (tie.count - 1)), 1)))
    return edges


def _sectors(nodes: Sequence[Node], radius: float) -> list[SectorMark]:
    """A badge with the kind's two letters inside the ring, in the middle of each kind's sector, for
    sectors where some node is too small to carry the letters itself."""
    groups: dict[str, list[Node]] = {}
    for node in nodes:
        groups.setdefault(node.partner.kind, []).append(node)
    marks = []
    for kind, members in groups.items():
        if all(node.abbreviation for node in members):
            continue
        x, y = _point(radius, (members[0].angle + members[-1].angle) / 2)
        marks.append(
            SectorMark(
                kind=kind,
                label=members[0].partner.kind_label,
                abbreviation=str(ABBREVIATIONS.get(kind, "")),
                x=round(x, 1),
                y=round(y, 1),
            )
        )
    return marks


# --- Labels ------------------------------------------------------------------------------------


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _circle_box(x: float, y: float, r: float, margin: float = 2.0) -> Box:
    return (x - r - margin, y - r - margin, x + r + margin, y + r + margin)


def _candidates(node: Node, lines: tuple[str, ...], font: float, order: Sequence[int]) -> list[Label]:
    """Places for a node's label: on the side away from the centre (+1) or towards it (−1)."""
    line_height = font * LINE_HEIGHT
    height = line_height * (len(lines) - 1)
    result = []
    for direction in order:
        dx, dy = direction * math.cos(node.angle), direction * math.sin(node.angle)
        if abs(dx) > 0.35:  # beside the node, text running away from it, a little towards `dy`
            anchor = "start" if dx > 0 else "end"
            x = node.x + math.copysign(node.r + font * 0.35, dx)
            middle = node.y + dy * node.r * 0.6
            for shift in (0.0, -0.5, 0.5):
                result.append(
                    Label(
                        x, middle - height / 2 + font * 0.35 + shift * line_height, anchor, lines, line_height
                    )
                )
        elif dy < 0:  # above the node
            result.append(Label(node.x, node.y - node.r - font * 0.45 - height, "middle", lines, line_height))
        else:  # below the node
            result.append(Label(node.x, node.y + node.r + font * 1.0, "middle", lines, line_height))
    return result


def _label_box(label: Label, font: float) -> Box:
    width = max(len(line) for line in label.lines) * font * CHAR_WIDTH
    left = {"start": label.x, "end": label.x - width, "middle": label.x - width / 2}[label.anchor]
    top = label.y - font * 0.8
    return (left, top, left + width, label.y + label.line_height * (len(label.lines) - 1) + font * 0.25)


def _place_labels(
    nodes: Sequence[Node],
    texts: Sequence[tuple[str, ...]],
    *,
    font: float,
    bounds: Box,
    order: Sequence[int],
) -> tuple[Label, ...]:
    """Labels (`texts`, one per node) for as many nodes as fit, largest nodes first."""
    node_boxes = [_circle_box(node.x, node.y, node.r) for node in nodes]
    centre = _circle_box(CX, CY, CENTRE_RADIUS, 4.0)
    placed: list[Box] = []
    labels: list[Label] = []
    ranked = sorted(
        range(len(nodes)),
        key=lambda i: (-nodes[i].partner.activity, -nodes[i].r, nodes[i].partner.name.casefold()),
    )
    for index in ranked:
        obstacles = [centre, *placed, *node_boxes[:index], *node_boxes[index + 1 :]]
        for label in _candidates(nodes[index], texts[index], font, order):
            box = _label_box(label, font)
            inside = (
                bounds[0] <= box[0] and bounds[1] <= box[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
            )
            if inside and not any(_overlaps(box, other) for other in obstacles):
                placed.append(box)
                labels.append(
                    Label(
                        round(label.x, 1),
                        round(label.y, 1),
                        label.anchor,
                        label.lines,
                        round(label.line_height, 1),
                    )
                )
                break
    return tuple(labels)


def _extent(nodes: Sequence[Node], labels: Sequence[Label], font: float, margin: float = 6.0) -> str:
    """A view box just around what was drawn, so the picture fills the width it is given."""
    boxes = [_circle_box(CX, CY, CENTRE_RADIUS, 0.0), *(_circle_box(n.x, n.y, n.r, 0.0) for n in nodes)]
    boxes += [_label_box(label, font) for label in labels]
    left = max(0.0, min(box[0] for box in boxes) - margin)
    top = max(0.0, min(box[1] for box in boxes) - margin)
    right = min(WIDTH, max(box[2] for box in boxes) + margin)
    bottom = min(HEIGHT, max(box[3] for box in boxes) + margin)
    return " ".join(_fmt(value) for value in (left, top, right - left, bottom - top))


# --- The picture -------------------------------------------------------------------------------


def network_drawing(network: NetworkYear) -> Drawing:
    """Everything `network/_picture_graph.html` needs to draw the site's network in one year."""
    partners = network.partners
    double = len(partners) > SINGLE_RING_MAX
    angles, step = _angles(partners) if partners else ([], 0.0)
    radii = _radii(partners, step, double) if partners else []
    nodes = []
    for index, (partner, angle, r) in enumerate(zip(partners, angles, radii, strict=True)):
        ring = (OUTER_RING if index % 2 == 0 else INNER_RING) if double else SINGLE_RING
        x, y = _point(ring, angle)
        abbreviation = str(ABBREVIATIONS.get(partner.kind, "")) if r >= ABBREVIATION_MIN_RADIUS else ""
        nodes.append(Node(partner, round(x, 1), round(y, 1), round(r, 1), angle, index + 1, abbreviation))
    largest = max(radii, default=0.0)
    innermost = INNER_RING if double else SINGLE_RING
    outermost = OUTER_RING if double else SINGLE_RING
    half = outermost + largest + NARROW_MARGIN
    names = [short_lines(node.partner.name, chars=WIDE_CHARS) for node in nodes]
    numbers = [(str(node.number),) for node in nodes]
    labels = _place_labels(nodes, names, font=WIDE_FONT, bounds=(4.0, 4.0, WIDTH - 4, HEIGHT - 4), order=(1,))
    return Drawing(
        view_box=_extent(nodes, labels, WIDE_FONT),
        narrow_view_box=" ".join(_fmt(value) for value in (CX - half, CY - half, 2 * half, 2 * half)),
        centre_x=CX,
        centre_y=CY,
        centre_r=CENTRE_RADIUS,
        centre_text_y=CY + 5,
        nodes=tuple(nodes),
        edges=tuple(_spokes(nodes)),
        ties=tuple(_ties(network, nodes)),
        sectors=tuple(_sectors(nodes, innermost - largest - BADGE_HEIGHT)),
        labels=_place_labels(
            nodes, names, font=WIDE_FONT, bounds=(4.0, 4.0, WIDTH - 4, HEIGHT - 4), order=(1,)
        ),
        narrow_labels=_place_labels(
            nodes,
            numbers,
            font=NARROW_FONT,
            bounds=(CX - half, CY - half, CX + half, CY + half),
            order=(1, -1),
        ),
    )


# --- Growth over the years ---------------------------------------------------------------------

GROWTH_WIDTH, GROWTH_HEIGHT = 480.0, 240.0
GROWTH_LEFT, GROWTH_RIGHT, GROWTH_TOP, GROWTH_BOTTOM = 34.0, 6.0, 24.0, 30.0


@dataclass(frozen=True)
class Bar:
    year: int
    selected: bool
    x: float  # left edge
    width: float
    existing_y: float
    existing_height: float
    new_y: float
    new_height: float
    total: int
    label_x: float  # centre of the bar, for the year and total labels
    total_y: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class GrowthChart:
    view_box: str
    left: float
    right: float
    baseline: float
    year_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def _tick_step(top: int) -> int:
    """A round step that gives at most five gridlines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if top / step <= 5:
            return step
    return 1000


def growth_chart(years: Iterable[GrowthYear], *, selected: int) -> GrowthChart:
    """Bars of the partners on the list per year, new ones stacked on those from earlier years."""
    years = list(years)
    baseline = GROWTH_HEIGHT - GROWTH_BOTTOM
    plot_height = baseline - GROWTH_TOP
    plot_width = GROWTH_WIDTH - GROWTH_LEFT - GROWTH_RIGHT
    step = _tick_step(max((year.total for year in years), default=0))
    top = max(step, math.ceil(max((year.total for year in years), default=0) / step) * step)
    band = plot_width / max(1, len(years))
    width = min(44.0, band * 0.64)

    def height(value: int) -> float:
        return plot_height * value / top

    bars = []
    for index, year in enumerate(years):
        centre = GROWTH_LEFT + band * (index + 0.5)
        existing, new = height(year.existing), height(year.new)
        bars.append(
            Bar(
                year=year.year,
                selected=year.year == selected,
                x=round(centre - width / 2, 1),
                width=round(width, 1),
                existing_y=round(baseline - existing, 1),
                existing_height=round(existing, 1),
                new_y=round(baseline - existing - new, 1),
                new_height=round(new, 1),
                total=year.total,
                label_x=round(centre, 1),
                total_y=round(baseline - existing - new - 5, 1),
            )
        )
    ticks = tuple(Tick(value, round(baseline - height(value), 1)) for value in range(0, top + 1, step))
    return GrowthChart(
        view_box=f"0 0 {_fmt(GROWTH_WIDTH)} {_fmt(GROWTH_HEIGHT)}",
        left=GROWTH_LEFT,
        right=GROWTH_WIDTH - GROWTH_RIGHT,
        baseline=baseline,
        year_y=baseline + 19,
        bars=tuple(bars),
        ticks=ticks,
    )
