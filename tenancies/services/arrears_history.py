"""Writes of the stored month-end arrears (tenancies.models.arrears_history): computing and
keeping the points the desk misses, and forgetting those a write of dues or payments reaches
back to.

A desk computing a point while a backdated payment commits must not keep the point from
before the payment: both sides take the programme's arrears-history lock, the desk before it
reads the sums, the writer before it deletes. On SQLite every write transaction is IMMEDIATE
(one writer at a time), which already orders them; on PostgreSQL it is an advisory lock for
the transaction (no row is locked, so no lock order with the lease the writer holds)."""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from common.money import eur
from tenancies.models import ArrearsMonthEnd

LOCK_SPACE = 17_001  # advisory lock namespace of the arrears history (key: the programme)


def _lock(programme_ids) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for pk in sorted(set(programme_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, pk])


def arrears_month_ends_fill(*, programme, days: list[date], today: date) -> dict[date, Decimal]:
    """The overdue rent at each of `days`, computed from the dues and allocations; those in
    the past are kept for the next views. Two desks filling at once write the same rows: the
    second insert is ignored."""
    from tenancies.selectors.arrears import arrears_overdue_at

    with transaction.atomic():
        _lock([programme.pk])
        computed = arrears_overdue_at(programme=programme, days=days)
        ArrearsMonthEnd.objects.bulk_create(
            [
                ArrearsMonthEnd(programme=programme, day=day, amount=eur(amount))
                for day, amount in computed.items()
                if day < today
            ],
            ignore_conflicts=True,
        )
    return computed


def arrears_month_ends_forget(*, since: date, programme_id: int | None = None) -> None:
    """A due falling due before a day, or money paid by a day, changed the overdue rent at
    every month-end from `since` on (in `programme_id`, or every programme). Points are only
    kept for days before the day they were computed: a write reaching no earlier than today
    has nothing to forget."""
    if since >= timezone.localdate():
        return
    with transaction.atomic():
        if programme_id is not None:
            programme_ids = [programme_id]
        else:
            programme_ids = ArrearsMonthEnd.objects.values_list(
                "programme_id", flat=True
            ).distinct()
        _lock(programme_ids)
        rows = ArrearsMonthEnd.objects.filter(day__gte=since)
        if programme_id is not None:
            rows = rows.filter(programme_id=programme_id)
        rows.delete()
