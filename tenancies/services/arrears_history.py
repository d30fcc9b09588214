"""Writes of the stored month-end arrears (tenancies.models.arrears_history): storing the
points the desk computed, and forgetting those a write of dues or payments reaches back to."""

from datetime import date
from decimal import Decimal

from common.money import eur
from tenancies.models import ArrearsMonthEnd


def arrears_month_ends_store(*, programme, points: dict[date, Decimal], today: date) -> None:
    """Keep the computed month-end points that are in the past (today's moves all day). Two
    desks storing at once write the same rows: the second insert is ignored."""
    ArrearsMonthEnd.objects.bulk_create(
        [
            ArrearsMonthEnd(programme=programme, day=day, amount=eur(amount))
            for day, amount in points.items()
            if day < today
        ],
        ignore_conflicts=True,
    )


def arrears_month_ends_forget(*, since: date, programme_id: int | None = None) -> None:
    """A due falling due before a day, or money paid by a day, changed the overdue rent at
    every month-end from `since` on (in `programme_id`, or every programme)."""
    rows = ArrearsMonthEnd.objects.filter(day__gte=since)
    if programme_id is not None:
        rows = rows.filter(programme_id=programme_id)
    rows.delete()
