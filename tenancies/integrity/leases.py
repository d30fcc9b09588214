"""Integrity checks of leases, placements and arrears cases (see common.integrity)."""

from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from tenancies.models import (
    ArrearsCase,
    Enrollment,
    Lease,
    Placement,
)

# States in which a lease holds (or held) its unit for its period.
LEASE_IN_FORCE_STATES = Lease.IN_FORCE_STATES


def leases_in_force():
    """Leases that hold their unit, with `last_day` the end of that hold."""
    return Lease.objects.in_force()


@integrity_check(
    "lease_one_in_force_per_unit",
    _("A flat or cohousing place is in at most one lease in force on any date."),
)
def lease_one_in_force_per_unit():
    # The same unit: the same dwelling and place, or either lease has no placement (a lease
    # recorded before leases followed placements holds the whole dwelling).
    def with_place():
        return leases_in_force().annotate(place=F("placement__place_number"))

    earlier_on_dwelling = with_place().filter(
        dwelling_id=OuterRef("dwelling_id"),
        pk__lt=OuterRef("pk"),
        start_date__lte=OuterRef("last_day"),
        last_day__gte=OuterRef("start_date"),
    )
    clashes = (
        with_place()
        .filter(
            Exists(earlier_on_dwelling.filter(place=OuterRef("place")))
            | Exists(earlier_on_dwelling.filter(place__isnull=True))
            | (Q(place__isnull=True) & Exists(earlier_on_dwelling))
        )
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in clashes:
        yield Violation(
            lease,
            _("Another lease holds %(unit)s during this lease's period.")
            % {"unit": lease.unit_label},
        )


@integrity_check(
    "lease_follows_placement",
    _("A lease follows its household's accepted or active placement in the same unit."),
)
def lease_follows_placement():
    leases = (
        Lease.objects.exclude(status=Lease.Status.WITHDRAWN)
        .filter(
            Q(placement__isnull=True)
            | ~Q(placement__household_id=F("household_id"))
            | ~Q(placement__dwelling_id=F("dwelling_id"))
            | Q(placement__status__in=[Placement.Status.PROPOSED, Placement.Status.DECLINED])
        )
        .select_related("household", "dwelling", "placement")
        .order_by("pk")
    )
    for lease in leases:
        if lease.placement is None:
            message = _("The lease follows no placement of %(household)s in %(dwelling)s.")
        elif lease.placement.household_id != lease.household_id:
            message = _("The lease follows another household's placement.")
        elif lease.placement.dwelling_id != lease.dwelling_id:
            message = _("The lease is for %(dwelling)s but its placement is in another dwelling.")
        else:
            message = _("The lease follows a placement that was never accepted.")
        yield Violation(lease, message % {"household": lease.household, "dwelling": lease.dwelling})


@integrity_check(
    "lease_household_enrolled",
    _("A lease in force is for a household the programme enrolled."),
)
def lease_household_enrolled():
    ever_enrolled = Enrollment.objects.filter(
        household_id=OuterRef("household_id"), enrolled_on__isnull=False
    )
    leases = (
        leases_in_force()
        .filter(~Exists(ever_enrolled))
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in leases:
        yield Violation(
            lease,
            _("%(household)s was never enrolled, yet holds this lease.")
            % {"household": lease.household},
        )


@integrity_check(
    "arrears_one_open_case_per_lease",
    _("A lease has at most one open arrears case (cured and escalated cases are closed)."),
)
def arrears_one_open_case_per_lease():
    leases = (
        Lease.objects.annotate(
            open_cases=Count(
                "arrears_cases", filter=~Q(arrears_cases__status__in=ArrearsCase.FINAL_STATES)
            )
        )
        .filter(open_cases__gt=1)
        .select_related("household", "dwelling", "placement__dwelling")
        .order_by("pk")
    )
    for lease in leases:
        yield Violation(
            lease,
            _("%(count)s arrears cases are open on this lease at once.")
            % {"count": lease.open_cases},
        )


@integrity_check(
    "lease_risk_matches_history",
    _("A stored early-warning score is the one the lease's history gives on its day."),
)
def lease_risk_matches_history():
    from common.models import Programme
    from tenancies.models import LeaseRisk
    from tenancies.selectors.arrears import risk_signals

    for programme in Programme.objects.filter(
        Exists(LeaseRisk.objects.filter(programme=OuterRef("pk")))
    ):
        for day in (
            LeaseRisk.objects.filter(programme=programme)
            .values_list("computed_on", flat=True)
            .distinct()
        ):
            stored = LeaseRisk.objects.filter(programme=programme, computed_on=day)
            leases = Lease.objects.filter(pk__in=stored.values("lease_id"))
            fresh = risk_signals(programme=programme, leases=leases, today=day)
            for row in stored.select_related("lease__household", "lease__dwelling"):
                signal = fresh.get(row.lease_id)
                expected = (signal.score, signal.parts) if signal else (0, [])
                if (row.score, [tuple(part) for part in row.parts]) != expected:
                    yield Violation(
                        row.lease,
                        _("Stored early-warning score %(stored)s; its history gives %(fresh)s.")
                        % {"stored": row.score, "fresh": expected[0]},
                    )


@integrity_check(
    "lease_risk_only_active",
    _("Only active leases keep an early-warning score (the desk counts them)."),
)
def lease_risk_only_active():
    from tenancies.models import LeaseRisk

    for row in LeaseRisk.objects.exclude(lease__status=Lease.Status.ACTIVE).select_related(
        "lease__household", "lease__dwelling"
    ):
        yield Violation(
            row.lease,
            _("An early-warning score is kept for a lease that is not active (%(status)s).")
            % {"status": row.lease.get_status_display()},
        )


@integrity_check(
    "arrears_month_end_matches_dues",
    _("A stored month-end of overdue rent is what the dues and payments give for that day."),
)
def arrears_month_end_matches_dues():
    from common.models import Programme
    from tenancies.models import ArrearsMonthEnd
    from tenancies.selectors.arrears import arrears_overdue_at

    cent = Decimal("0.01")
    for programme in Programme.objects.filter(
        Exists(ArrearsMonthEnd.objects.filter(programme=OuterRef("pk")))
    ):
        rows = list(ArrearsMonthEnd.objects.filter(programme=programme).order_by("day"))
        fresh = arrears_overdue_at(programme=programme, days=[row.day for row in rows])
        for row in rows:
            expected = Decimal(fresh[row.day]).quantize(cent)
            if row.amount.amount != expected:
                yield Violation(
                    programme,
                    _("Overdue rent stored for %(day)s is %(stored)s; the dues give %(fresh)s.")
                    % {"day": row.day, "stored": row.amount.amount, "fresh": expected},
                )


@integrity_check(
    "rent_due_settled_matches_allocations",
    _(
        "A due is marked settled, on the day of the money that completed it, exactly when its "
        "allocations pay it in full."
    ),
)
def rent_due_settled_matches_allocations():
    from tenancies.models import RentDue
    from tenancies.selectors.rent import dues_with_settlement

    wrong = (
        dues_with_settlement(RentDue.objects.all())
        .filter(
            Q(settled_on__isnull=True, settles_on__isnull=False)
            | Q(settled_on__isnull=False, settles_on__isnull=True)
            | (
                Q(settled_on__isnull=False, settles_on__isnull=False)
                & ~Q(settled_on=F("settles_on"))
            )
        )
        .select_related("lease__household")
    )
    for due in wrong.iterator():
        yield Violation(
            due.lease,
            _(
                "The due of %(month)s is marked settled on %(stored)s; its allocations say "
                "%(fresh)s."
            )
            % {
                "month": f"{due.month:%m/%Y}",
                "stored": due.settled_on or "–",
                "fresh": due.settles_on or "–",
            },
        )


@integrity_check(
    "payment_allocated_in_full_matches_allocations",
    _("A payment is marked allocated in full exactly when its allocations add up to its amount."),
)
def payment_allocated_in_full_matches_allocations():
    from django.db.models import DecimalField, ExpressionWrapper, Subquery, Sum
    from django.db.models.functions import Coalesce

    from tenancies.models import Allocation, Payment

    money = DecimalField(max_digits=14, decimal_places=2)
    of_payment = Allocation.objects.filter(payment=OuterRef("pk")).values("payment")
    allocated = Subquery(
        of_payment.annotate(total=Sum("amount")).values("total")[:1], output_field=money
    )
    in_full = Q(left__lte=Decimal("0.005"))
    wrong = (
        Payment.objects.annotate(
            left=ExpressionWrapper(F("amount") - Coalesce(allocated, Decimal("0")), money)
        )
        .filter((in_full & Q(allocated_in_full=False)) | (~in_full & Q(allocated_in_full=True)))
        .select_related("lease")
    )
    for payment in wrong.iterator():
        yield Violation(
            payment.lease,
            _("The payment of %(day)s is marked %(marked)s; its allocations leave %(left)s €.")
            % {
                "day": f"{payment.paid_on:%d/%m/%Y}",
                "marked": _("allocated in full") if payment.allocated_in_full else _("with credit"),
                "left": payment.left,
            },
        )
