"""Rent history inserted in bulk: dues, payments and their allocations for many leases at once.

Shared by the monthly-run benchmark (`monthly_data`) and the regional-scale programme
(`scale_data`). This is set-up, not the code under test: rows go in with `bulk_create`, shaped
exactly as the services would leave them (each payment settles one month, rent and charges
apart, L. 392/1978 art. 5).
"""

from collections.abc import Callable, Iterable
from datetime import date

from tenancies.models import Allocation, Lease, Payment, RentDue
from tenancies.rent.arrears import add_months, due_date_for

BATCH = 5000


def lease_months(lease: Lease, *, until: date) -> list[date]:
    """First days of the months `lease` has made due from its start to `until` (included)."""
    months, month = [], lease.start_date.replace(day=1)
    while month <= until:
        months.append(month)
        month = add_months(month, 1)
    return months


def rent_history_bulk(
    *,
    leases: Iterable[Lease],
    months_of: Callable[[Lease], list[date]],
    unpaid_from: Callable[[Lease], date | None] = lambda lease: None,
    paid_late_days: Callable[[RentDue], int] = lambda due: 0,
) -> int:
    """Dues for each lease's `months_of(lease)`, each paid in full on its due date (plus
    `paid_late_days(due)`) except the months from `unpaid_from(lease)` on, left unpaid.
    Returns the number of dues created."""
    leases = list(leases)
    by_pk = {lease.pk: lease for lease in leases}
    stop = {lease.pk: unpaid_from(lease) for lease in leases}
    dues = [
        RentDue(
            lease=lease,
            month=month,
            due_date=due_date_for(month, lease.due_day),
            amount=lease.rent + lease.service_charges,
            rent_part=lease.rent,
            charges_part=lease.service_charges,
        )
        for lease in leases
        for month in months_of(lease)
    ]
    paid = [d for d in dues if stop[d.lease_id] is None or d.month < stop[d.lease_id]]
    paid_on = {
        id(due): date.fromordinal(due.due_date.toordinal() + paid_late_days(due)) for due in paid
    }
    for due in paid:
        # Paid in full by one payment: settled that day (as payment_record would mark it).
        if due.amount.amount > 0:
            due.settled_on = paid_on[id(due)]
    dues = RentDue.objects.bulk_create(dues, batch_size=BATCH)
    payments = Payment.objects.bulk_create(
        (
            Payment(
                programme_id=by_pk[due.lease_id].programme_id,
                lease_id=due.lease_id,
                amount=due.amount,
                paid_on=paid_on[id(due)],
                method=Payment.Method.BANK_TRANSFER,
                payer=Payment.Payer.HOUSEHOLD,
                allocated_in_full=True,  # each settles its month, no more
            )
            for due in paid
        ),
        batch_size=BATCH,
    )
    Allocation.objects.bulk_create(
        (
            Allocation(payment=payment, due=due, part=part, amount=amount)
            for payment, due in zip(payments, paid, strict=True)
            for part, amount in (
                (Allocation.Part.RENT, due.rent_part),
                (Allocation.Part.CHARGES, due.charges_part),
            )
            if amount.amount > 0
        ),
        batch_size=BATCH,
    )
    return len(dues)
