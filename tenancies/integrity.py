"""The tenancies invariants, as named checks over the whole database (see common.integrity)."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from tenancies.models import Lease

# States in which a lease holds (or held) its unit for its period.
LEASE_IN_FORCE_STATES = (
    Lease.Status.ACTIVE,
    Lease.Status.ENDED,
    Lease.Status.TERMINATED,
    Lease.Status.EVICTED,
)


def leases_in_force():
    """Leases that hold their unit, with `last_day` the end of that hold."""
    return Lease.objects.filter(status__in=LEASE_IN_FORCE_STATES).annotate(
        last_day=Coalesce("ended_on", "end_date")
    )


@integrity_check(
    "lease_one_in_force_per_unit",
    _("A flat is in at most one lease in force on any date."),
)
def lease_one_in_force_per_unit():
    overlapping = leases_in_force().filter(
        dwelling_id=OuterRef("dwelling_id"),
        pk__lt=OuterRef("pk"),
        start_date__lte=OuterRef("last_day"),
        last_day__gte=OuterRef("start_date"),
    )
    clashes = (
        leases_in_force()
        .filter(Exists(overlapping))
        .select_related("household", "dwelling")
        .order_by("pk")
    )
    for lease in clashes:
        yield Violation(
            lease,
            _("Another lease holds %(dwelling)s during this lease's period.")
            % {"dwelling": lease.dwelling},
        )
