"""Small-cell suppression for aggregates shown outside a site's own team (SECURITY.md).

Primary suppression hides every published cell below k (k is never below 3; 0, 1 and 2 are all
"below 3"). Secondary suppression then hides further cells until no hidden cell can be worked out
from the cells still shown: not by one row or column equation, not by combining equations, and not
by the fact that counts are never negative.

The model is the classical one for tables with margins (as in τ-ARGUS): written as equations that
sum to zero, a table with its row and column totals is a bipartite graph whose edges are the cells
(rows and the total row on one side, columns and the total column on the other). Moving one count
round a cycle of cells (+1, −1, +1, … in the signed form) keeps every total, so a hidden cell cannot
be worked out exactly when it lies on a cycle of hidden cells along which such a move keeps every
count at zero or above; and when no such cycle exists the cell is fixed. Secondary suppression
therefore gives each hidden cell such a cycle, adding the cheapest cells: fewest totals first, then
the smallest sum of values, then the fewest cells, ties broken by position (deterministic).

Structural zeros: a row, column or line whose total is 0 (a breakdown value or quarter nobody
reached; a whole table when its grand total is 0) is published as zeros, its total and every cell
in it. Counts are never negative, so the published zero total gives every cell in it away anyway:
hiding them protects nothing, and each such hidden zero would cost a further, often large, cell.
These cells are fixed: secondary suppression never uses them.

A caller can name cells that must be hidden whatever their value (`hide=`, addressed by `Cell`,
`RowTotal`, `ColumnTotal` and `GRAND_TOTAL`): they are treated like cells below k, hidden and
protected alike. A row or column holding such a cell is no structural zero (its zero total would
give the cell away), nor is any part of a table of zeros holding one; its cells follow the rule
for cells below k. Linked tables use this: a cell shared with another table and hidden there is
forced hidden here, and the tables are suppressed in turn until no table hides anything new.

Pure Python, no ORM: used by the ESF report and the monitoring dashboards.
"""

import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MIN_K = 3

Cost = tuple[int, int, int]  # (totals hidden, sum of values hidden, cells hidden)
FREE: Cost = (0, 0, 0)


@dataclass(frozen=True)
class Cell:
    """An interior cell of a table, by row and column (from 0)."""

    row: int
    column: int


@dataclass(frozen=True)
class RowTotal:
    """The total of a row."""

    row: int


@dataclass(frozen=True)
class ColumnTotal:
    """The total of a column."""

    column: int


@dataclass(frozen=True)
class GrandTotal:
    """The total of the whole table."""


GRAND_TOTAL = GrandTotal()
Position = Cell | RowTotal | ColumnTotal | GrandTotal


def validate_k(k: int) -> int:
    """`k` itself; refuses thresholds below 3, which would show counts of one or two people."""
    if isinstance(k, bool) or not isinstance(k, int) or k < MIN_K:
        raise ValueError(f"The suppression threshold must be a whole number of at least {MIN_K}, got {k!r}.")
    return k


@dataclass(frozen=True)
class SuppressedTable:
    """A table after suppression: a hidden cell is None, every other cell is its true value."""

    interior: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]  # () when the table publishes no column totals
    grand_total: int | None

    def cells(self) -> Iterable[int | None]:
        for row in self.interior:
            yield from row
        yield from self.row_totals
        yield from self.column_totals
        yield self.grand_total

    @property
    def hidden_count(self) -> int:
        return sum(1 for cell in self.cells() if cell is None)


@dataclass
class _Edge:
    left: int  # node on the first side of the bipartite graph
    right: int  # node on the second side
    value: int
    sign: int  # +1: a move from left to right raises the count; −1: it lowers it
    published: bool
    total: bool


@dataclass
class _Network:
    """Cells as edges between equations; two equations per cell, every equation sums to zero."""

    edges: list[_Edge] = field(default_factory=list)
    adjacent: dict[int, list[int]] = field(default_factory=dict)

    def add(self, left: int, right: int, value: int, sign: int, *, published: bool, total: bool) -> int:
        if value < 0:
            raise ValueError("Counts cannot be negative.")
        self.edges.append(_Edge(left, right, value, sign, published, total))
        index = len(self.edges) - 1
        self.adjacent.setdefault(left, []).append(index)
        self.adjacent.setdefault(right, []).append(index)
        return index

    def step(self, index: int, start: int) -> tuple[int, bool]:
        """Crossing edge `index` from node `start`: the node reached, and whether the move is allowed."""
        edge = self.edges[index]
        forward = start == edge.left
        change = edge.sign if forward else -edge.sign
        return (edge.right if forward else edge.left), change > 0 or edge.value >= 1

    def path(
        self, start: int, goal: int, *, avoid: int, hidden: set[int], fixed: set[int], extend: bool
    ) -> list[int] | None:
        """The cheapest allowed path from `start` to `goal` not using edge `avoid` nor a fixed edge.

        Hidden edges cost nothing; other edges are used only when `extend`, at their cost.
        """
        best: dict[int, Cost] = {start: FREE}
        came_by: dict[int, int] = {}
        order = itertools.count()
        queue: list[tuple[Cost, int, int]] = [(FREE, next(order), start)]
        done: set[int] = set()
        while queue:
            cost, _, node = heapq.heappop(queue)
            if node in done:
                continue
            done.add(node)
            if node == goal:
                edges = []
                while node != start:
                    index = came_by[node]
                    edges.append(index)
                    node = self.step(index, node)[0]
                return edges
            for index in self.adjacent.get(node, ()):
                if index == avoid or index in fixed:  # a fixed edge is published whatever happens
                    continue
                edge = self.edges[index]
                if index in hidden:
                    added = FREE
                elif extend:
                    added = (int(edge.total), edge.value, 1)
                else:
                    continue
                # self.step(index, node), inlined: this loop is where suppression spends its time.
                forward = node == edge.left
                neighbour = edge.right if forward else edge.left
                if neighbour in done or ((edge.sign if forward else -edge.sign) < 0 and edge.value < 1):
                    continue
                new_cost = (cost[0] + added[0], cost[1] + added[1], cost[2] + added[2])
                if neighbour not in best or new_cost < best[neighbour]:
                    best[neighbour] = new_cost
                    came_by[neighbour] = index
                    heapq.heappush(queue, (new_cost, next(order), neighbour))
        return None

    def cycle(self, index: int, hidden: set[int], fixed: set[int], *, extend: bool) -> list[int] | None:
        """Edges (besides `index`) of the cheapest cycle through `index` along which a move is allowed,
        using no fixed edge."""
        edge = self.edges[index]
        best: tuple[Cost, list[int]] | None = None
        for start in (edge.left, edge.right):
            end, allowed = self.step(index, start)
            if not allowed:
                continue
            path = self.path(end, start, avoid=index, hidden=hidden, fixed=fixed, extend=extend)
            if path is None:
                continue
            cost = self.cost(path, hidden)
            if best is None or cost < best[0]:
                best = (cost, path)
        return None if best is None else best[1]

    def cost(self, edges: Iterable[int], hidden: set[int]) -> Cost:
        new = [self.edges[index] for index in edges if index not in hidden]
        return (sum(edge.total for edge in new), sum(edge.value for edge in new), len(new))

    def fixed(self, forced: set[int]) -> set[int]:
        """The structural zeros: every edge of an equation whose edges are all published and all 0
        (its total is 0, so none of its parts can be anything else), unless one of them is forced.

        In a table of zeros every equation around a forced cell would give it away, so there
        nothing is fixed. Elsewhere every forced cell keeps a cycle that adds or removes one person:
        its own equations are not fixed (they hold it), and the grand total is above 0.
        """
        if forced and all(edge.value == 0 for edge in self.edges):
            return set()
        fixed: set[int] = set()
        for indices in self.adjacent.values():
            if forced.isdisjoint(indices) and all(
                self.edges[i].published and self.edges[i].value == 0 for i in indices
            ):
                fixed.update(indices)
        return fixed

    def suppress(self, k: int, forced: Iterable[int] = ()) -> set[int]:
        """Indices of the hidden edges: unpublished, primary (below k but not fixed, or `forced`) and
        secondary (never a fixed edge).

        Protection only grows as cells are hidden, and every cell on a protecting cycle is protected
        by it, so one pass over the hidden cells, smallest first, is enough.
        """
        validate_k(k)
        forced_edges = set(forced)
        fixed = self.fixed(forced_edges)
        hidden = {
            i
            for i, edge in enumerate(self.edges)
            if not edge.published or (edge.value < k and i not in fixed)
        }
        hidden.update(forced_edges)
        protected: set[int] = set()
        for index in sorted(hidden, key=lambda i: (self.edges[i].value, i)):
            if index in protected or not self.edges[index].published:
                continue
            path = self.cycle(index, hidden, fixed, extend=False)
            if path is None:
                path = self.cycle(index, hidden, fixed, extend=True)
                if path is None:  # a non-empty table always allows adding one person
                    raise ValueError("This table has no cells to hide a small count behind.")
                hidden.update(path)
            protected.update([index, *path])
        return hidden


class _TableLayout:
    """Edge indices of one table in a network: interior[i][j], row totals, column totals, grand total."""

    def __init__(self, interior: list[list[int]], rows: list[int], columns: list[int], grand: int) -> None:
        self.interior, self.rows, self.columns, self.grand = interior, rows, columns, grand

    def edge(self, position: Position, *, column_totals: bool) -> int:
        """The edge index of the cell at `position`; ValueError for a cell the table does not have."""
        try:
            match position:
                case Cell(row, column) if row >= 0 and column >= 0:
                    return self.interior[row][column]
                case RowTotal(row) if row >= 0:
                    return self.rows[row]
                case ColumnTotal(column) if column >= 0 and column_totals:
                    return self.columns[column]
                case GrandTotal():
                    return self.grand
        except IndexError:
            pass
        raise ValueError(f"This table has no cell at {position!r} to hide.")

    def read(self, network: _Network, hidden: set[int], *, column_totals: bool) -> SuppressedTable:
        def value(index: int) -> int | None:
            return None if index in hidden else network.edges[index].value

        return SuppressedTable(
            interior=tuple(tuple(value(i) for i in row) for row in self.interior),
            row_totals=tuple(value(i) for i in self.rows),
            column_totals=tuple(value(i) for i in self.columns) if column_totals else (),
            grand_total=value(self.grand),
        )


def _checked(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [list(row) for row in interior]
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("A table needs at least one row and one column, all rows of the same length.")
    if any(isinstance(value, bool) or not isinstance(value, int) for row in rows for value in row):
        raise ValueError("A table holds whole numbers only.")
    return rows


def _add_table(
    network: _Network,
    interior: list[list[int]],
    *,
    row_nodes: list[int],
    column_nodes: list[int],
    total_row: int,
    total_column: int,
    column_totals: bool,
) -> _TableLayout:
    """Add a table's cells; the signs make each row, column and total equation sum to zero."""
    width = len(interior[0])
    cells = [
        [network.add(row_nodes[i], column_nodes[j], value, +1, published=True, total=False)
         for j, value in enumerate(row)]
        for i, row in enumerate(interior)
    ]  # fmt: skip
    rows = [
        network.add(row_nodes[i], total_column, sum(row), -1, published=True, total=True)
        for i, row in enumerate(interior)
    ]
    columns = [
        network.add(
            total_row,
            column_nodes[j],
            sum(row[j] for row in interior),
            -1,
            published=column_totals,
            total=True,
        )
        for j in range(width)
    ]
    grand = network.add(total_row, total_column, sum(map(sum, interior)), +1, published=True, total=True)
    return _TableLayout(cells, rows, columns, grand)


def suppress_table(
    interior: Sequence[Sequence[int]],
    *,
    k: int = MIN_K,
    column_totals: bool = True,
    hide: Iterable[Position] = (),
) -> SuppressedTable:
    """Suppress a table of counts together with its row totals, column totals and grand total.

    With `column_totals=False` the table publishes row totals and the grand total only (a single
    row is then a line of counts with its total). A row or published column whose total is 0 is
    shown as zeros (structural zeros, see above). The cells at the positions in `hide` are hidden
    whatever their value and protected like cells below k.
    """
    rows = _checked(interior)
    network = _Network()
    height, width = len(rows), len(rows[0])
    row_nodes = list(range(height))
    total_row = height
    column_nodes = [-(j + 1) for j in range(width)]
    total_column = -(width + 1)
    layout = _add_table(
        network,
        rows,
        row_nodes=row_nodes,
        column_nodes=column_nodes,
        total_row=total_row,
        total_column=total_column,
        column_totals=column_totals,
    )
    forced = [layout.edge(position, column_totals=column_totals) for position in hide]
    hidden = network.suppress(k, forced)
    return layout.read(network, hidden, column_totals=column_totals)


def suppress_line(
    values: Sequence[int], *, k: int = MIN_K, hide: Iterable[int] = (), hide_total: bool = False
) -> tuple[tuple[int | None, ...], int | None]:
    """Suppress one line of counts (e.g. women, men, diverse) and its total.

    A line whose total is 0 is shown as zeros, unless something in it is forced hidden.
    `hide`: indices of values to hide whatever they are; `hide_total`: hide the total too.
    """
    positions: list[Position] = [Cell(0, index) for index in hide]
    if hide_total:
        positions += [RowTotal(0), GRAND_TOTAL]
    table = suppress_table([values], k=k, column_totals=False, hide=positions)
    return table.interior[0], table.row_totals[0]


def suppress_tables_sharing_totals(
    first: Sequence[Sequence[int]], second: Sequence[Sequence[int]], *, k: int = MIN_K
) -> tuple[SuppressedTable, SuppressedTable]:
    """Suppress two tables whose column totals and grand total are the same published cells.

    Example: participants by labour status and gender, and by education and gender, both adding up
    to participants by gender. The column sums of the two tables must agree.

    A row, column or table whose total is 0 is shown as zeros, as in `suppress_table`.

    The shared total row is redundant in each table, so its cells link the two tables' column
    equations: each shared cell is an edge between "column j of the first table" and "column j of the
    second", and the whole is again one bipartite graph.
    """
    a, b = _checked(first), _checked(second)
    width = len(a[0])
    if len(b[0]) != width or [sum(col) for col in zip(*a, strict=True)] != [
        sum(col) for col in zip(*b, strict=True)
    ]:
        raise ValueError("The two tables must have the same columns with the same column sums.")
    network = _Network()
    # Side one: rows of the first table, columns and total column of the second.
    # Side two: columns and total column of the first table, rows of the second.
    a_rows = list(range(len(a)))
    b_columns = [len(a) + j for j in range(width)]
    b_total_column = len(a) + width
    a_columns = [-(j + 1) for j in range(width)]
    a_total_column = -(width + 1)
    b_rows = [-(width + 2 + i) for i in range(len(b))]
    layout_a = _TableLayout(
        [
            [network.add(a_rows[i], a_columns[j], value, +1, published=True, total=False)
             for j, value in enumerate(row)]
            for i, row in enumerate(a)
        ],
        [network.add(a_rows[i], a_total_column, sum(row), -1, published=True, total=True)
         for i, row in enumerate(a)],
        [network.add(b_columns[j], a_columns[j], sum(row[j] for row in a), -1, published=True, total=True)
         for j in range(width)],
        network.add(b_total_column, a_total_column, sum(map(sum, a)), +1, published=True, total=True),
    )  # fmt: skip
    layout_b = _TableLayout(
        [
            [network.add(b_columns[j], b_rows[i], value, +1, published=True, total=False)
             for j, value in enumerate(row)]
            for i, row in enumerate(b)
        ],
        [network.add(b_total_column, b_rows[i], sum(row), -1, published=True, total=True)
         for i, row in enumerate(b)],
        layout_a.columns,
        layout_a.grand,
    )  # fmt: skip
    hidden = network.suppress(k)
    return (
        layout_a.read(network, hidden, column_totals=True),
        layout_b.read(network, hidden, column_totals=True),
    )
