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


RENT, CHARGES = "rent", "charges"


@dataclass(frozen=True)
class OpenParts:
    """A due's outstanding rent and service charges (each >= 0)."""

    due_id: int
    rent: Decimal
    charges: Decimal


def allocate_imputed(
    amount: Decimal, open_dues: list[OpenParts], *, rent_first: bool = False
) -> tuple[list[tuple[int, str, Decimal]], Decimal]:
    """Split `amount` over the parts of `open_dues` (ordered oldest first), art. 1193 c.c.

    By default (the law's order, the debtor having said nothing) the oldest month first, and
    within a month its rent before its charges (the more burdensome debt: its arrears end the
    lease after 20 days). When the tenant declared it pays the rent (`rent_first`), the rent
    of every open month, oldest first, before any charges.

    Returns the (due id, part, amount) allocations and the credit left over:
    sum(allocations) + credit == amount, to the cent.
    """
    if amount < 0:
        raise ValueError("A payment cannot be negative.")
    if rent_first:
        order = [(d.due_id, RENT, d.rent) for d in open_dues] + [
            (d.due_id, CHARGES, d.charges) for d in open_dues
        ]
    else:
        order = [
            item
            for d in open_dues
            for item in ((d.due_id, RENT, d.rent), (d.due_id, CHARGES, d.charges))
        ]
    allocations = []
    left = amount
    for due_id, part, outstanding in order:
        if left <= 0:
            break
        if outstanding <= 0:
            continue
        paid = min(left, outstanding)
        allocations.append((due_id, part, paid))
        left -= paid
    return allocations, left
