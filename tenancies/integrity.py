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


# --- Eviction prevention (EvictionCase) ---------------------------------------------------------

from django.db.models import Count, Q  # noqa: E402 - the eviction block stands on its own

from tenancies.models import EvictionCase  # noqa: E402
from tenancies.selectors.eviction import enrolled_once  # noqa: E402

# The outcome each final state records (EvictionCase._close).
EVICTION_OUTCOME_OF = {
    EvictionCase.Status.CLOSED_PREVENTED: EvictionCase.Outcome.PREVENTED_SETTLEMENT,
    EvictionCase.Status.CURED: EvictionCase.Outcome.CURED_AT_HEARING,
    EvictionCase.Status.REHOUSED: EvictionCase.Outcome.REHOUSED,
    EvictionCase.Status.EVICTED: EvictionCase.Outcome.EVICTED,
    EvictionCase.Status.WITHDRAWN: EvictionCase.Outcome.WITHDRAWN,
}


@integrity_check(
    "eviction_one_open_case_per_lease",
    _("A lease has at most one open eviction prevention case; closed ones never count."),
)
def eviction_one_open_case_per_lease():
    crowded = (
        EvictionCase.objects.open()
        .values("lease_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("lease_id")
    )
    cases = (
        EvictionCase.objects.open()
        .filter(lease_id__in=crowded)
        .select_related("lease__household", "lease__dwelling")
        .order_by("lease_id", "pk")
    )
    first_of_lease = {}
    for case in cases:
        first = first_of_lease.setdefault(case.lease_id, case)
        if first is not case:
            yield Violation(
                case,
                _("The lease already has open eviction case #%(first)s.") % {"first": first.pk},
            )


@integrity_check(
    "eviction_only_for_enrolled",
    _(
        "An eviction prevention case is only for a household the programme enrolled "
        "(enrolled now, or enrolled and since exited)."
    ),
)
def eviction_only_for_enrolled():
    cases = (
        EvictionCase.objects.exclude(enrolled_once("lease__household_id"))
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        yield Violation(
            case,
            _("%(household)s was never enrolled in the programme.")
            % {"household": case.lease.household},
        )


@integrity_check(
    "eviction_closed_has_outcome",
    _("A closed eviction case has its closing date and the outcome its final state records."),
)
def eviction_closed_has_outcome():
    wrong = Q()
    for status, outcome in EVICTION_OUTCOME_OF.items():
        wrong |= Q(status=status) & ~Q(outcome=outcome)
    cases = (
        EvictionCase.objects.filter(status__in=EvictionCase.CLOSED)
        .filter(wrong | Q(closed_on__isnull=True))
        .select_related("lease__household", "lease__dwelling")
        .order_by("pk")
    )
    for case in cases:
        if case.outcome != EVICTION_OUTCOME_OF[case.status]:
            yield Violation(
                case,
                _("The case is “%(status)s” but records the outcome “%(outcome)s”.")
                % {
                    "status": case.get_status_display(),
                    "outcome": case.get_outcome_display() or "—",
                },
            )
        if case.closed_on is None:
            yield Violation(
                case,
                _("The case is “%(status)s” but has no closing date.")
                % {"status": case.get_status_display()},
            )
