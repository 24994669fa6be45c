"""Small-cell suppression: nothing below k shown, nothing hidden recomputable, shown cells true."""

import itertools
import os
import subprocess
import sys
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inka.core.suppression import (
    GRAND_TOTAL,
    Cell,
    ColumnTotal,
    Position,
    RowTotal,
    SuppressedTable,
    suppress_line,
    suppress_table,
    suppress_tables_sharing_totals,
    validate_k,
)

Grid = list[list[int]]

# Many small counts (the cells that need hiding), some large ones (the cells that can hide them).
counts = st.one_of(st.integers(0, 4), st.integers(0, 4), st.integers(0, 60))


def grids(max_rows: int = 4, max_columns: int = 4, *, zero_lines: bool = True) -> st.SearchStrategy[Grid]:
    """Random tables; with `zero_lines`, often with whole rows and columns of zeros (nobody reached)."""

    def zeroed(grid: Grid, rows: set[int], columns: set[int]) -> Grid:
        return [
            [0 if i in rows or j in columns else v for j, v in enumerate(row)] for i, row in enumerate(grid)
        ]

    def sized(rows: int, columns: int) -> st.SearchStrategy[Grid]:
        grid = st.lists(st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows)
        if not zero_lines:
            return grid
        lines = st.tuples(grid, st.sets(st.integers(0, rows - 1)), st.sets(st.integers(0, columns - 1)))
        return st.one_of(grid, lines.map(lambda drawn: zeroed(*drawn)))

    return st.integers(1, max_rows).flatmap(
        lambda rows: st.integers(1, max_columns).flatmap(lambda columns: sized(rows, columns))
    )


# Lines of counts, often all zeros.
lines = st.one_of(st.lists(counts, min_size=1, max_size=5), st.lists(st.just(0), min_size=1, max_size=5))


def column_sums(grid: Grid) -> list[int]:
    return [sum(column) for column in zip(*grid, strict=True)]


def full(grid: Grid) -> SuppressedTable:
    """The table with nothing hidden, for comparison."""
    return SuppressedTable(
        interior=tuple(tuple(row) for row in grid),
        row_totals=tuple(sum(row) for row in grid),
        column_totals=tuple(column_sums(grid)),
        grand_total=sum(map(sum, grid)),
    )


def assert_shown_cells_are_true_and_not_small(result: SuppressedTable, grid: Grid, k: int) -> None:
    """Every shown cell is true and at least k, or a structural zero: a zero total, or a zero in a
    row or column whose zero total is shown."""
    truth = full(grid)
    if not result.column_totals:
        truth = SuppressedTable(truth.interior, truth.row_totals, (), truth.grand_total)
    for shown, true in zip(result.cells(), truth.cells(), strict=True):
        assert shown is None or shown == true
    for i, row in enumerate(result.interior):
        for j, shown in enumerate(row):
            column_total = result.column_totals[j] if result.column_totals else None
            assert shown is None or shown >= k or (shown == 0 and 0 in (result.row_totals[i], column_total))
    for total in (*result.row_totals, *result.column_totals, result.grand_total):
        assert total is None or total >= k or total == 0


def assert_zero_lines_shown(
    result: SuppressedTable, grid: Grid, forced: Sequence[Position] = (), *, column_totals: bool = True
) -> None:
    """Rows and columns with a zero total are shown as zeros unless something in them is forced
    hidden (or the table is all zeros and something in it is forced)."""
    if forced and not any(map(any, grid)):
        return
    for i, row in enumerate(grid):
        if not any(row) and not any(isinstance(p, RowTotal | Cell) and p.row == i for p in forced):
            assert result.interior[i] == tuple(row) and result.row_totals[i] == 0
    if column_totals:
        for j, total in enumerate(column_sums(grid)):
            if total == 0 and not any(isinstance(p, ColumnTotal | Cell) and p.column == j for p in forced):
                assert [row[j] for row in result.interior] == [0] * len(grid)
                assert result.column_totals[j] == 0
    if not any(map(any, grid)) and not forced:
        assert all(cell == 0 for cell in result.cells())


# An equation: cells (by name) whose values sum to zero with the given signs.
Equation = list[tuple[str, int]]


def table_equations(prefix: str, rows: int, columns: int, *, column_totals: str | None) -> list[Equation]:
    """Row and total-column equations of a table; column equations when its totals are published."""
    equations: list[Equation] = [
        [*((f"{prefix}{i},{j}", 1) for j in range(columns)), (f"{prefix}r{i}", -1)] for i in range(rows)
    ]
    equations.append([*((f"{prefix}r{i}", 1) for i in range(rows)), ("T", -1)])
    if column_totals is not None:
        equations += [
            [*((f"{prefix}{i},{j}", 1) for i in range(rows)), (f"{column_totals}{j}", -1)]
            for j in range(columns)
        ]
        equations.append([*((f"{column_totals}{j}", 1) for j in range(columns)), ("T", -1)])
    return equations


def named(prefix: str, table: SuppressedTable) -> dict[str, int | None]:
    cells = {f"{prefix}{i},{j}": v for i, row in enumerate(table.interior) for j, v in enumerate(row)}
    cells |= {f"{prefix}r{i}": v for i, v in enumerate(table.row_totals)}
    cells |= {f"c{j}": v for j, v in enumerate(table.column_totals)}
    cells["T"] = table.grand_total
    return cells


def deduce_one_unknown_at_a_time(shown: dict[str, int | None], equations: list[Equation]) -> set[str]:
    """What an attacker solves with single equations, repeatedly: every equation with one unknown."""
    known = {name: value for name, value in shown.items() if value is not None}
    recovered: set[str] = set()
    progress = True
    while progress:
        progress = False
        for equation in equations:
            unknown = [(name, sign) for name, sign in equation if name not in known]
            if len(unknown) == 1:
                name, sign = unknown[0]
                rest = sum(known[n] * s for n, s in equation if n in known)
                known[name] = -rest * sign
                recovered.add(name)
                progress = True
    return recovered


def unknowable(shown: dict[str, int | None], truth: dict[str, int], equations: list[Equation]) -> set[str]:
    """Hidden cells that some other non-negative table, equal on every shown cell, has differently.

    If any other table exists, one exists that differs by at most 1 in every cell (a cycle move), so
    trying −1, 0 and +1 on the hidden cells is exhaustive.
    """
    hidden = sorted(name for name, value in shown.items() if value is None)
    changeable: set[str] = set()
    for deltas in itertools.product((-1, 0, 1), repeat=len(hidden)):
        if not any(deltas):
            continue
        delta = dict(zip(hidden, deltas, strict=True))
        if any(truth[name] + change < 0 for name, change in delta.items()):
            continue
        if all(sum(delta.get(name, 0) * sign for name, sign in equation) == 0 for equation in equations):
            changeable.update(name for name, change in delta.items() if change)
    return changeable


def truth_of(prefix: str, grid: Grid) -> dict[str, int]:
    return {name: value for name, value in named(prefix, full(grid)).items() if value is not None}


@settings(max_examples=300, deadline=None)
@given(grid=grids(), k=st.sampled_from([3, 3, 4, 5]))
def test_table_shows_nothing_small_nothing_false_and_nothing_deducible(grid, k):
    result = suppress_table(grid, k=k)
    assert_shown_cells_are_true_and_not_small(result, grid, k)
    assert_zero_lines_shown(result, grid)
    equations = table_equations("", len(grid), len(grid[0]), column_totals="c")
    assert deduce_one_unknown_at_a_time(named("", result), equations) == set()


@settings(max_examples=200, deadline=None)
@given(grid=grids(max_rows=3, max_columns=3))
def test_no_hidden_cell_is_fixed_by_all_equations_and_non_negative_counts(grid):
    result = suppress_table(grid)
    shown = named("", result)
    hidden = {name for name, value in shown.items() if value is None}
    if len(hidden) > 9:  # keep the exhaustive search small; the graph argument covers the rest
        return
    equations = table_equations("", len(grid), len(grid[0]), column_totals="c")
    assert unknowable(shown, truth_of("", grid), equations) == hidden


@settings(max_examples=200, deadline=None)
@given(grid=grids())
def test_table_without_column_totals(grid):
    result = suppress_table(grid, column_totals=False)
    assert result.column_totals == ()
    assert_shown_cells_are_true_and_not_small(result, grid, 3)
    assert_zero_lines_shown(result, grid, column_totals=False)
    equations = table_equations("", len(grid), len(grid[0]), column_totals=None)
    assert deduce_one_unknown_at_a_time(named("", result), equations) == set()


@settings(max_examples=200, deadline=None)
@given(values=lines)
def test_line(values):
    cells, total = suppress_line(values)
    assert total in (None, sum(values))
    assert total is None or total >= 3 or total == 0
    assert (total == 0) == (sum(values) == 0)  # a line of zeros is shown as zeros
    for shown, true in zip(cells, values, strict=True):
        assert shown is None or (shown == true and (shown >= 3 or total == 0))
    shown_map = {f"x{i}": v for i, v in enumerate(cells)} | {"t": total}
    truth = {f"x{i}": v for i, v in enumerate(values)} | {"t": sum(values)}
    equation = [[*((f"x{i}", 1) for i in range(len(values))), ("t", -1)]]
    hidden = {name for name, value in shown_map.items() if value is None}
    assert unknowable(shown_map, truth, equation) == hidden


def linked_pair() -> st.SearchStrategy[tuple[Grid, Grid]]:
    """Two tables with the same column sums: the second is the first's column sums split otherwise."""

    def split(total: int, parts: int) -> st.SearchStrategy[list[int]]:
        cuts = st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1).map(sorted)
        return cuts.map(lambda c: [b - a for a, b in zip([0, *c], [*c, total], strict=True)])

    def second(first: Grid, rows: int) -> st.SearchStrategy[tuple[Grid, Grid]]:
        columns = st.tuples(*(split(total, rows) for total in column_sums(first)))
        grid = columns.map(lambda cols: [list(row) for row in zip(*cols, strict=True)])
        # Sometimes with a row of zeros added (a value nobody had), anywhere.
        with_zeros = st.tuples(grid, st.integers(0, rows)).map(
            lambda drawn: [*drawn[0][: drawn[1]], [0] * len(first[0]), *drawn[0][drawn[1] :]]
        )
        return st.one_of(grid, with_zeros).map(lambda grid: (first, grid))

    return grids(max_rows=3, max_columns=3).flatmap(
        lambda first: st.integers(1, 3).flatmap(lambda rows: second(first, rows))
    )


@settings(max_examples=200, deadline=None)
@given(pair=linked_pair())
def test_two_tables_sharing_their_totals(pair):
    first, second = pair
    a, b = suppress_tables_sharing_totals(first, second)
    assert_shown_cells_are_true_and_not_small(a, first, 3)
    assert_shown_cells_are_true_and_not_small(b, second, 3)
    assert_zero_lines_shown(a, first)
    assert_zero_lines_shown(b, second)
    assert a.column_totals == b.column_totals and a.grand_total == b.grand_total
    shown = named("a", a) | named("b", b)
    equations = table_equations("a", len(first), len(first[0]), column_totals="c")
    equations += table_equations("b", len(second), len(second[0]), column_totals="c")
    assert deduce_one_unknown_at_a_time(shown, equations) == set()
    hidden = {name for name, value in shown.items() if value is None}
    if len(hidden) <= 10:
        truth = truth_of("a", first) | truth_of("b", second)
        assert unknowable(shown, truth, equations) == hidden


# Cells forced hidden whatever their value (e.g. shared with a linked table that hides them) ---------


def positions(grid: Grid, *, column_totals: bool = True) -> list[Position]:
    rows, columns = len(grid), len(grid[0])
    return [
        *(Cell(i, j) for i in range(rows) for j in range(columns)),
        *(RowTotal(i) for i in range(rows)),
        *((ColumnTotal(j) for j in range(columns)) if column_totals else ()),
        GRAND_TOTAL,
    ]


def name_of(position: Position) -> str:
    """The position's name in `named` (and in `table_equations`)."""
    match position:
        case Cell(row, column):
            return f"{row},{column}"
        case RowTotal(row):
            return f"r{row}"
        case ColumnTotal(column):
            return f"c{column}"
    return "T"


def grid_with_forced(
    *, column_totals: bool = True, **sizes: int
) -> st.SearchStrategy[tuple[Grid, list[Position]]]:
    return grids(**sizes).flatmap(
        lambda grid: st.tuples(
            st.just(grid), st.lists(st.sampled_from(positions(grid, column_totals=column_totals)), max_size=4)
        )
    )


@settings(max_examples=300, deadline=None)
@given(case=grid_with_forced(), k=st.sampled_from([3, 3, 4, 5]))
def test_forced_cells_are_hidden_and_protected(case, k):
    grid, forced = case
    result = suppress_table(grid, k=k, hide=forced)
    shown = named("", result)
    assert all(shown[name_of(position)] is None for position in forced)
    assert_shown_cells_are_true_and_not_small(result, grid, k)
    assert_zero_lines_shown(result, grid, forced)
    equations = table_equations("", len(grid), len(grid[0]), column_totals="c")
    assert deduce_one_unknown_at_a_time(shown, equations) == set()


@settings(max_examples=200, deadline=None)
@given(case=grid_with_forced(max_rows=3, max_columns=3))
def test_forced_cells_leave_no_hidden_cell_fixed(case):
    grid, forced = case
    result = suppress_table(grid, hide=forced)
    shown = named("", result)
    hidden = {name for name, value in shown.items() if value is None}
    assert {name_of(position) for position in forced} <= hidden
    if len(hidden) > 9:
        return
    equations = table_equations("", len(grid), len(grid[0]), column_totals="c")
    assert unknowable(shown, truth_of("", grid), equations) == hidden


@settings(max_examples=200, deadline=None)
@given(case=grid_with_forced(column_totals=False))
def test_forced_cells_in_a_table_without_column_totals(case):
    grid, forced = case
    result = suppress_table(grid, column_totals=False, hide=forced)
    shown = named("", result)
    assert all(shown[name_of(position)] is None for position in forced)
    assert_shown_cells_are_true_and_not_small(result, grid, 3)
    assert_zero_lines_shown(result, grid, forced, column_totals=False)
    equations = table_equations("", len(grid), len(grid[0]), column_totals=None)
    assert deduce_one_unknown_at_a_time(shown, equations) == set()


@settings(max_examples=200, deadline=None)
@given(values=lines, forced=st.lists(st.integers(0, 4), max_size=3), hide_total=st.booleans())
def test_line_with_forced_cells(values, forced, hide_total):
    forced = [index for index in forced if index < len(values)]
    cells, total = suppress_line(values, hide=forced, hide_total=hide_total)
    assert all(cells[index] is None for index in forced)
    nothing_forced = not forced and not hide_total
    assert total is None or (not hide_total and total == sum(values) and (total >= 3 or nothing_forced))
    for shown, true in zip(cells, values, strict=True):
        assert shown is None or (shown == true and (shown >= 3 or total == 0))
    shown_map = {f"x{i}": v for i, v in enumerate(cells)} | {"t": total}
    truth = {f"x{i}": v for i, v in enumerate(values)} | {"t": sum(values)}
    equation = [[*((f"x{i}", 1) for i in range(len(values))), ("t", -1)]]
    hidden = {name for name, value in shown_map.items() if value is None}
    assert unknowable(shown_map, truth, equation) == hidden


def test_a_forced_large_cell_hides_its_cheapest_partners():
    result = suppress_table([[10, 20], [30, 40]], hide=[Cell(0, 0)])
    assert result.interior == ((None, None), (None, None))
    assert result.row_totals == (30, 70) and result.column_totals == (40, 60)


def test_a_forced_total_hides_what_would_give_it_away():
    # Alone it would be the sum of the row totals and of the column totals: the cheapest cycle
    # through it hides the smallest row total, column total and the cell where they meet.
    result = suppress_table([[10, 20], [30, 40]], hide=[GRAND_TOTAL])
    assert result == SuppressedTable(((None, 20), (30, 40)), (None, 70), (None, 60), None)
    # A line's total hidden needs one value hidden with it, the smallest.
    assert suppress_line([10, 20, 30], hide_total=True) == ((None, 20, 30), None)


def test_nothing_forced_changes_nothing():
    grid = [[1, 10, 20], [8, 30, 40], [9, 50, 60]]
    assert suppress_table(grid, hide=()) == suppress_table(grid)


@pytest.mark.parametrize(
    ("position", "column_totals"),
    [
        (Cell(2, 0), True),
        (Cell(0, -1), True),
        (RowTotal(5), True),
        (ColumnTotal(3), True),
        (ColumnTotal(0), False),
        ((0, 0), True),
    ],
)
def test_forcing_a_cell_the_table_does_not_have_is_refused(position, column_totals):
    with pytest.raises(ValueError, match="no cell"):
        suppress_table([[5, 6, 7], [8, 9, 10]], column_totals=column_totals, hide=[position])


@given(grid=grids(zero_lines=False).filter(lambda g: all(v >= 3 for row in g for v in row)))
def test_nothing_hidden_when_every_cell_reaches_k(grid):
    assert suppress_table(grid) == full(grid)


@given(grid=grids())
def test_deterministic(grid):
    assert suppress_table(grid) == suppress_table([list(row) for row in grid])


def test_one_small_cell_hides_the_cheapest_rectangle():
    result = suppress_table([[1, 10, 20], [8, 30, 40], [9, 50, 60]])
    assert result.interior == ((None, None, 20), (None, None, 40), (9, 50, 60))
    assert result.row_totals == (31, 78, 119)
    assert result.column_totals == (18, 90, 120)


def test_zero_beside_zero_needs_a_cell_that_can_give():
    # 0 and 0 hidden alone would show their sum 0, so both would be known: a third cell must go too.
    assert suppress_line([0, 0, 10]) == ((None, None, None), 10)
    assert suppress_line([0, 1, 10]) == ((None, None, 10), 11)


def test_totals_stay_shown_when_the_interior_can_hide_a_cell():
    assert suppress_line([10, 12, 0]) == ((None, 12, None), 22)


def test_small_total_is_hidden_with_its_partner():
    # The second row's total is 2; hiding it alone would leave it as grand total minus the first row.
    result = suppress_table([[5, 6], [1, 1]])
    assert result.row_totals == (None, None)
    assert result.interior == ((None, None), (None, None))
    assert result.column_totals == (6, 7) and result.grand_total == 13


# Structural zeros: a zero total gives every cell of its row or column away, so they are shown --------


def test_a_column_of_zeros_is_shown_and_protects_nothing():
    # Without small cells elsewhere nothing at all is hidden: the zeros cost no other cell.
    assert suppress_table([[5, 0, 12], [7, 0, 9], [6, 0, 20]]) == full([[5, 0, 12], [7, 0, 9], [6, 0, 20]])
    # The 1 still hides behind the cheapest rectangle of other cells (as without the zeros), never
    # behind the zeros, whose value is known from their column total.
    result = suppress_table([[1, 0, 10, 20], [8, 0, 30, 40], [9, 0, 50, 60]])
    assert result.interior == ((None, 0, None, 20), (None, 0, None, 40), (9, 0, 50, 60))
    assert result.row_totals == (31, 78, 119) and result.column_totals == (18, 0, 90, 120)


def test_a_row_of_zeros_is_shown():
    result = suppress_table([[0, 0, 0], [1, 10, 20], [8, 30, 40]])
    assert result.interior == ((0, 0, 0), (None, None, 20), (None, None, 40))
    assert result.row_totals == (0, 31, 78) and result.column_totals == (9, 40, 60)
    # A zero beside a total above 0 is no structural zero: it is below k and hidden.
    assert suppress_table([[0, 0, 5], [0, 7, 9]]).interior == ((0, None, None), (0, None, None))


def test_a_table_of_zeros_is_shown():
    assert suppress_table([[0, 0], [0, 0]]) == full([[0, 0], [0, 0]])
    assert suppress_table([[0, 0, 0]], column_totals=False) == SuppressedTable(((0, 0, 0),), (0,), (), 0)
    assert suppress_line([0, 0, 0]) == ((0, 0, 0), 0)
    first, second = suppress_tables_sharing_totals([[0, 10, 20], [0, 5, 6]], [[0, 15, 26], [0, 0, 0]])
    assert first == full([[0, 10, 20], [0, 5, 6]])
    assert second == full([[0, 15, 26], [0, 0, 0]])


def test_a_forced_zero_stays_hidden_and_protected():
    # A forced zero total: its row is no structural zero, so its cells are hidden below k again.
    # Its column of zeros still shows the cell where they meet (known from that column's total).
    result = suppress_table([[0, 0, 5], [0, 7, 9]], hide=[RowTotal(0)])
    assert result.interior == ((0, None, None), (0, None, None))
    assert result.row_totals == (None, None) and result.column_totals == (0, 7, 14)
    # A forced cell in a row of zeros: the row's zero total would give it away, so it goes too.
    result = suppress_table([[0, 0, 0], [10, 20, 30]], hide=[Cell(0, 1)])
    assert result.interior[0] == (None, None, None) and result.row_totals[0] is None
    # In a table of zeros every equation would give a forced cell away: nothing is shown.
    assert all(cell is None for cell in suppress_table([[0, 0], [0, 0]], hide=[Cell(0, 0)]).cells())
    assert suppress_line([0, 0, 0], hide=[1]) == ((None, None, None), None)
    assert suppress_line([0, 0, 0], hide_total=True) == ((None, None, None), None)


def test_every_cell_small_hides_everything():
    result = suppress_table([[1, 0], [0, 1]])
    assert all(cell is None for cell in result.cells())


@pytest.mark.parametrize("k", [0, 1, 2, -3, 2.5, True])
def test_threshold_below_three_is_refused(k):
    with pytest.raises(ValueError, match="at least 3"):
        validate_k(k)
    with pytest.raises(ValueError):
        suppress_table([[5]], k=k)


def test_higher_threshold():
    assert suppress_line([4, 4, 9], k=5) == ((None, None, 9), 17)


@pytest.mark.parametrize("grid", [[], [[]], [[1, 2], [3]], [[-1, 4]], [[1.5, 4]]])
def test_malformed_tables_are_refused(grid: Sequence[Sequence[int]]):
    with pytest.raises(ValueError):
        suppress_table(grid)


def test_linked_tables_must_agree():
    with pytest.raises(ValueError, match="same column sums"):
        suppress_tables_sharing_totals([[1, 2]], [[2, 2]])


def test_the_checks_catch_a_careless_suppression():
    """Hiding only the small cells would be caught by both attacks of these tests."""
    careless = {"x0": None, "x1": None, "x2": 10, "t": 10}
    truth = {"x0": 0, "x1": 0, "x2": 10, "t": 10}
    equation = [[("x0", 1), ("x1", 1), ("x2", 1), ("t", -1)]]
    assert unknowable(careless, truth, equation) == set()
    lonely = {"x0": None, "x1": 5, "x2": 10, "t": 16}
    assert deduce_one_unknown_at_a_time(lonely, equation) == {"x0"}


@pytest.mark.parametrize(("value", "works"), [("2", False), ("0", False), ("3", True), ("5", True)])
def test_threshold_from_the_environment_is_refused_below_three(value, works):
    env = {**os.environ, "INKA_SUPPRESSION_K": value, "DJANGO_SETTINGS_MODULE": "inka.settings"}
    script = "from django.conf import settings; print(settings.SUPPRESSION_K)"
    result = subprocess.run(  # noqa: S603  (our own interpreter and a fixed script)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    if works:
        assert result.returncode == 0 and result.stdout.strip() == value
    else:
        assert result.returncode != 0 and "INKA_SUPPRESSION_K must be at least 3" in result.stderr
