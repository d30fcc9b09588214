"""Writes of the stored early-warning scores (tenancies.models.risk): the day's scores of the
leases that have none, and forgetting a lease's score when its history changes.

Today's rows exist only for active leases: the refresh scores active leases only, and a lease
that stops being active forgets its row in the same transaction (services.leases._lease_end).
So "every active lease has today's score" is "as many rows for today as active leases": two
counts read from indexes, instead of looking up a row for each lease on every desk view."""

from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from tenancies.models import Lease, LeaseRisk


def lease_risks_complete(*, programme, today: date) -> bool:
    """Every active lease of the programme has its score for `today` (one query)."""
    # Written out: the ORM spent longer building this query than the database running it.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {quote(Lease._meta.db_table)}"
            " WHERE programme_id = %s AND status = %s),"
            f" (SELECT COUNT(*) FROM {quote(LeaseRisk._meta.db_table)}"
            " WHERE programme_id = %s AND computed_on = %s)",
            [
                programme.pk,
                Lease.Status.ACTIVE.value,
                programme.pk,
                connection.ops.adapt_datefield_value(today),
            ],
        )
        active, scored = cursor.fetchone()
    return active == scored


def lease_risks_refresh(*, programme, today: date) -> int:
    """Score the programme's active leases that have no score for `today`; returns how many.
    Two desks refreshing at once both write the same rows: the second insert is ignored."""
    from tenancies.selectors.arrears import risk_signals

    if lease_risks_complete(programme=programme, today=today):
        return 0
    stale = (
        Lease.objects.in_programme(programme)
        .active()
        .exclude(Exists(LeaseRisk.objects.filter(lease=OuterRef("pk"), computed_on=today)))
        .order_by()
    )
    lease_ids = list(stale.values_list("pk", flat=True))
    signals = risk_signals(programme=programme, leases=stale, today=today) if lease_ids else {}
    rows = []
    for pk in lease_ids:
        signal = signals.get(pk)
        rows.append(
            LeaseRisk(
                lease_id=pk,
                programme=programme,
                computed_on=today,
                score=signal.score if signal else 0,
                parts=[list(part) for part in signal.parts] if signal else [],
            )
        )
    with transaction.atomic():
        LeaseRisk.objects.filter(programme=programme).exclude(computed_on=today).delete()
        LeaseRisk.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        # A lease that ended while it was being scored: its row goes, so that the counts of
        # lease_risks_complete stay exact (and a row kept by any other path heals here).
        LeaseRisk.objects.filter(programme=programme).exclude(
            lease__status=Lease.Status.ACTIVE
        ).delete()
    return len(rows)


def lease_risk_forget(*, lease_id: int) -> None:
    """The lease's history changed (a payment, an allocation) or it stopped being active: its
    score is read again (or no longer kept)."""
    LeaseRisk.objects.filter(lease_id=lease_id).delete()


def lease_risks_forget_all() -> None:
    """After the monthly run (new dues, credits applied, plans broken across programmes)."""
    LeaseRisk.objects.all().delete()
