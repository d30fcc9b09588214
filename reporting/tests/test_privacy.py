"""Small-cell suppression: no cell of 1–4 is shown, and none can be worked out again from the
totals shown beside it."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.privacy import suppress, suppress_cells


def _recoverable(table, cells) -> list[tuple[int, int]]:
    """Hidden cells an attacker gets back from one row's or one column's total."""
    found = []
    rows, columns = len(table), len(table[0])
    lines = []
    if columns > 1:
        lines += [[(r, c) for c in range(columns)] for r in range(rows)]
    if rows > 1:
        lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    for line in lines:
        hidden = [cell for cell in line if cells[cell[0]][cell[1]] is None]
        if len(hidden) == 1:
            found.append(hidden[0])
    return found


def test_cells_of_one_to_four_are_hidden_zeros_and_large_ones_shown():
    assert suppress_cells([[0, 5, 12]]) == [[0, 5, 12]]
    for small in (1, 2, 3, 4):
        cells = suppress_cells([[small, 7, 9]])
        assert cells[0][0] is None


def test_a_lone_small_cell_takes_the_smallest_other_one_with_it():
    # Total 3 + 7 + 9 = 19 is shown: hiding the 3 alone would give it back as 19 − 7 − 9.
    assert suppress_cells([[3, 7, 9]]) == [[None, None, 9]]
    # Two small cells protect each other: nothing more to hide.
    assert suppress_cells([[3, 2, 9]]) == [[None, None, 9]]


def test_complementary_cells_in_rows_and_columns():
    table = [
        [2, 10, 20],
        [8, 12, 30],
        [9, 15, 40],
    ]
    cells = suppress_cells(table)
    assert cells[0][0] is None
    assert not _recoverable(table, cells)
    # The second hidden cell of row 0 and of column 0 crossed over at one more cell, so the
    # whole rectangle stays unrecoverable with four cells hidden, not more.
    assert sum(value is None for row in cells for value in row) == 4


def test_a_zero_is_taken_as_a_complement_only_when_nothing_else_is_left():
    assert suppress_cells([[3, 0, 8]]) == [[None, 0, None]]
    assert suppress_cells([[3, 0]]) == [[None, None]]


def test_totals_under_the_threshold_are_hidden_with_their_complements():
    table = [[1, 2], [30, 40]]
    shown = suppress(table)
    # Row total 3 is small, and 73 − 70 would give it back: both row totals go. The column
    # totals (31, 42) and the grand total are large.
    assert shown.row_totals == [None, None]
    assert shown.column_totals == [31, 42]
    assert shown.total == 73
    tiny = suppress([[1, 2]])
    assert tiny.total is None and tiny.row_totals == [None]


def test_one_column_tables_are_passed_as_one_row():
    shown = suppress([[4, 20, 30]])
    assert shown.cells == [[None, None, 30]]
    assert shown.row_totals == [54]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(
                st.lists(st.integers(0, 30), min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_small_cell_shown_and_none_recoverable(table):
    cells = suppress_cells(table)
    for r, c in itertools.product(range(len(table)), range(len(table[0]))):
        if 0 < table[r][c] < 5:
            assert cells[r][c] is None
        elif cells[r][c] is not None:
            assert cells[r][c] == table[r][c]
    assert not _recoverable(table, cells)


@pytest.mark.parametrize("threshold", [3, 10])
def test_the_threshold_is_a_parameter(threshold):
    cells = suppress_cells([[threshold - 1, 50, 60]], threshold=threshold)
    assert cells[0][0] is None
