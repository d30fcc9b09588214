"""Writes of the stored early-warning scores (tenancies.models.risk): the day's scores of the
leases that have none, and forgetting a lease's score when its history changes."""

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from tenancies.models import Lease, LeaseRisk


def lease_risks_refresh(*, programme, today: date) -> int:
    """Score the programme's active leases that have no score for `today`; returns how many.
    Two desks refreshing at once both write the same rows: the second insert is ignored."""
    from tenancies.selectors.arrears import risk_signals

    stale = (
        Lease.objects.in_programme(programme)
        .active()
        .exclude(Exists(LeaseRisk.objects.filter(lease=OuterRef("pk"), computed_on=today)))
    )
    lease_ids = list(stale.values_list("pk", flat=True))
    if not lease_ids:
        return 0
    signals = risk_signals(programme=programme, leases=stale, today=today)
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
    return len(rows)


def lease_risk_forget(*, lease_id: int) -> None:
    """The lease's history changed (a payment, an allocation): its score is read again."""
    LeaseRisk.objects.filter(lease_id=lease_id).delete()


def lease_risks_forget_all() -> None:
    """After the monthly run (new dues, credits applied, plans broken across programmes)."""
    LeaseRisk.objects.all().delete()
