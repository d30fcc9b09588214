"""Small-cell suppression for every breakdown a page or a spreadsheet shows.

A count of 1–4 people in a cell can point at a family in a small municipality, so such a cell
is never shown ("primary" suppression). Hiding it is not enough when the row and column totals
are shown: total minus the other cells gives it back. So every row and every column that hides
one cell hides at least a second one ("complementary" suppression): the smallest other cell,
preferring one whose own column (or row) already hides a cell, so one choice mends two lines.

Totals are themselves counts: a row total or column total under the threshold is hidden too,
with the same rule applied to the totals (as one row whose total is the grand total).
"""

from dataclasses import dataclass

SUPPRESSED = None


@dataclass(frozen=True)
class SuppressedTable:
    """`cells[r][c]` is the count or None when hidden; totals likewise."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def _small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppress_cells(table: list[list[int]], threshold: int = 5) -> list[list[int | None]]:
    """The cells of `table` with small ones hidden, and enough others that no hidden cell can be
    recomputed from its row's or its column's total. A line of a single cell has no total of
    its own to protect (its total is the cell), so one-column tables are passed as one row."""
    rows = len(table)
    columns = len(table[0]) if rows else 0
    hidden = {(r, c) for r in range(rows) for c in range(columns) if _small(table[r][c], threshold)}

    def lines():
        if columns > 1:
            for r in range(rows):
                yield [(r, c) for c in range(columns)]
        if rows > 1:
            for c in range(columns):
                yield [(r, c) for r in range(rows)]

    def hidden_in_line_of(cell, across_rows: bool) -> int:
        r, c = cell
        line = [(r, k) for k in range(columns)] if across_rows else [(k, c) for k in range(rows)]
        return sum(1 for other in line if other in hidden)

    changed = True
    while changed:
        changed = False
        for line in lines():
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            is_row = len({r for r, _c in line}) == 1
            candidates = [cell for cell in line if cell not in hidden]
            # Prefer a cell whose crossing line already hides exactly one (mends it too), then a
            # non-empty cell (hiding a zero hides little), then the smallest.
            candidates.sort(
                key=lambda cell: (
                    hidden_in_line_of(cell, across_rows=not is_row) != 1,
                    table[cell[0]][cell[1]] == 0,
                    table[cell[0]][cell[1]],
                )
            )
            hidden.add(candidates[0])
            changed = True
    return [
        [SUPPRESSED if (r, c) in hidden else table[r][c] for c in range(columns)]
        for r in range(rows)
    ]


def suppress(table: list[list[int]], threshold: int = 5) -> SuppressedTable:
    """`table` (rows of counts) as it may be shown: small cells and the cells that would give
    them away hidden, and totals under the threshold hidden with their complements."""
    cells = suppress_cells(table, threshold)
    row_sums = [sum(row) for row in table]
    column_sums = [sum(column) for column in zip(*table, strict=True)] if table else []
    total = sum(row_sums)
    row_totals = suppress_cells([row_sums], threshold)[0] if row_sums else []
    column_totals = suppress_cells([column_sums], threshold)[0] if column_sums else []
    return SuppressedTable(
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=SUPPRESSED if _small(total, threshold) else total,
    )
