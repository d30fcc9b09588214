"""Payments settle the oldest open dues first; what is left over is the tenant's credit."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OpenDue:
    due_id: int
    outstanding: Decimal  # > 0


def allocate_oldest_first(
    amount: Decimal, open_dues: list[OpenDue]
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Split `amount` over `open_dues` (already ordered oldest first).

    Returns the (due id, amount) allocations and the credit left over. Every cent of `amount`
    ends up in exactly one of the two: sum(allocations) + credit == amount.
    """
    if amount < 0:
        raise ValueError("A payment cannot be negative.")
    allocations = []
    left = amount
    for due in open_dues:
        if left <= 0:
            break
        if due.outstanding <= 0:
            continue
        part = min(left, due.outstanding)
        allocations.append((due.due_id, part))
        left -= part
    return allocations, left
