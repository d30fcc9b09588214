"""The fund row is the lock every money check runs under.

Services call `locks.fund_lock(...)` through the module (not an imported name), so the canary
tests can swap it for a no-op and show that the race is real without it.
"""

from fund.models import Fund


def fund_lock(fund: Fund) -> Fund:
    """Lock the fund row for the rest of the database transaction and return it fresh."""
    return Fund.objects.select_for_update().get(pk=fund.pk)
