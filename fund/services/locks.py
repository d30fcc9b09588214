"""The rows every fund service locks, and in which order.

Order, everywhere: the fund (money checks), then the lease, then the guarantee or claim on it,
then the lease's arrears case. Tenancies' payment_record locks the lease then the arrears case,
so a claim payment and a household payment on the same lease queue on the lease and never
deadlock. Services call `locks.fund_lock(...)` through the module (not an imported name), so
the canary tests can swap it for a no-op and show that the race is real without it.
"""

from fund.models import Fund
from tenancies.models import Lease


def fund_lock(fund: Fund) -> Fund:
    """Lock the fund row for the rest of the database transaction and return it fresh."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def lease_lock(lease_id: int) -> Lease:
    """Lock one lease (only its row) and return it fresh; after the fund, before its rows."""
    return Lease.objects.select_for_update(of=("self",)).select_related("landlord").get(pk=lease_id)
