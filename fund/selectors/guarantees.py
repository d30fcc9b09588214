"""Reading guarantees and claims, scoped to a fund or to a landlord's logins."""

from datetime import date
from decimal import Decimal

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from djmoney.money import Money

from fund.models import Claim, ClaimMonth, Fund, Guarantee, GuaranteeCertificate
from fund.selectors.eligibility import eligible_leases, last_claimable_due_date
from tenancies.models import Lease, RentDue
from tenancies.selectors.rent import lease_open_dues

MONEY_ZERO = Decimal("0.00")


def _paid_claims_total(guarantee_ref):
    paid = (
        Claim.objects.filter(guarantee=guarantee_ref, status=Claim.Status.PAID)
        .values("guarantee")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(paid), Value(MONEY_ZERO))


def with_paid_total(queryset):
    """Guarantees annotated with `paid_total` (a decimal): the sum of their paid claims."""
    return queryset.annotate(paid_total=_paid_claims_total(OuterRef("pk")))


def guarantee_paid_total(guarantee: Guarantee) -> Money:
    total = guarantee.claims.filter(status=Claim.Status.PAID).aggregate(t=Sum("amount"))["t"]
    return Money(total or MONEY_ZERO, "EUR")


def guarantee_remaining_cover(guarantee: Guarantee) -> Money:
    """Amount − paid claims; never stored, always derived."""
    paid = getattr(guarantee, "paid_total", None)
    paid = Money(paid, "EUR") if paid is not None else guarantee_paid_total(guarantee)
    return guarantee.amount - paid


def guarantee_pending_claims_total(guarantee: Guarantee, *, exclude_pk=None) -> Money:
    """Claims submitted, under review or approved, not yet paid."""
    claims = guarantee.claims.filter(status__in=Claim.PENDING)
    if exclude_pk is not None:
        claims = claims.exclude(pk=exclude_pk)
    return Money(claims.aggregate(t=Sum("amount"))["t"] or MONEY_ZERO, "EUR")


def guarantee_list(*, fund: Fund, status: str = ""):
    """A fund's guarantees, requested first, then newest."""
    queryset = with_paid_total(
        Guarantee.objects.filter(fund=fund).select_related(
            "lease__household", "lease__landlord", "lease__dwelling"
        )
    ).annotate(
        queue=Case(
            When(status=Guarantee.Status.REQUESTED, then=0),
            When(status=Guarantee.Status.APPROVED, then=1),
            default=2,
            output_field=IntegerField(),
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("queue", "-created_at", "-id")


def guarantee_get(*, fund: Fund, pk: int) -> Guarantee:
    return (
        Guarantee.objects.filter(fund=fund)
        .select_related("lease__household", "lease__landlord", "lease__dwelling", "fund")
        .get(pk=pk)
    )


def guarantee_open_for_lease(*, lease: Lease) -> Guarantee | None:
    return Guarantee.objects.filter(lease=lease, status__in=Guarantee.OPEN).first()


def leases_without_guarantee(*, programme, today: date | None = None):
    """Leases the fund may guarantee (enrolled household, agreement check passed) and with no
    open guarantee, for the request page."""
    return (
        eligible_leases(Lease.objects.in_programme(programme), today=today)
        .exclude(guarantees__status__in=Guarantee.OPEN)
        .select_related("household", "landlord", "dwelling")
        .order_by("household__name", "pk")
    )


def claim_list(*, fund: Fund, status: str = ""):
    """A fund's claims, the ones needing work first."""
    queryset = (
        Claim.objects.filter(guarantee__fund=fund)
        .select_related(
            "guarantee__lease__household",
            "guarantee__lease__landlord",
            "submitted_by",
            "reviewed_by",
            "approved_by",
            "decided_by",
        )
        .annotate(
            queue=Case(
                When(status=Claim.Status.SUBMITTED, then=0),
                When(status=Claim.Status.UNDER_REVIEW, then=1),
                When(status=Claim.Status.APPROVED, then=2),
                # Waiting on the landlord: after what the fund itself must do.
                When(status=Claim.Status.DOCUMENTS_REQUESTED, then=3),
                default=4,
                output_field=IntegerField(),
            )
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("queue", "-submitted_at", "-id")


def claim_get(*, fund: Fund, pk: int) -> Claim:
    return (
        Claim.objects.filter(guarantee__fund=fund)
        .select_related(
            "guarantee__lease__household",
            "guarantee__lease__landlord",
            "guarantee__fund",
            "submitted_by",
            "reviewed_by",
            "approved_by",
            "decided_by",
            "paid_by",
            "payout_transaction",
        )
        .get(pk=pk)
    )


def claim_months(claim: Claim):
    return ClaimMonth.objects.filter(claim=claim).select_related("due").order_by("due__month")


def claimable_dues(*, lease: Lease, today: date | None = None) -> list[RentDue]:
    """The lease's months a claim may ask for `today`, oldest first, with `.outstanding`: due
    and past the agreement's claim delay, still unpaid on the rent ledger, in no live claim."""
    claimed = set(
        ClaimMonth.objects.filter(due__lease=lease, live=True).values_list("due_id", flat=True)
    )
    last_due_date = last_claimable_due_date(lease, today=today)
    return [
        due
        for due in lease_open_dues(lease=lease)
        if due.pk not in claimed and due.due_date <= last_due_date
    ]


# Landlord pages: only the landlord's own leases, through the landlord's logins.


def _landlord_filter(user, prefix: str = "") -> Q:
    """On leases of landlords `user` acts for. A subquery of those leases (not a join through
    the landlords' users, which needs DISTINCT): the database finds the few guarantees by their
    lease (guarantee_lease_fund_idx) instead of reading every guarantee of the fund."""
    leases = Lease.objects.filter(landlord__users=user).values("pk")
    return Q(**{f"{prefix}lease__in": leases})


def certificate_current_exists():
    """Whether the guarantee (the outer row) has a certificate not voided."""
    return Exists(GuaranteeCertificate.objects.filter(guarantee=OuterRef("pk"), voided_at=None))


def landlord_guarantees_scoped(*, user, programme):
    """Guarantees on leases of landlords `user` acts for, in the current programme: the bare
    scope, with nothing loaded beside them."""
    return Guarantee.objects.filter(fund__programme=programme).filter(_landlord_filter(user))


def landlord_guarantees(*, user, programme):
    """Guarantees on leases of landlords `user` acts for, in the current programme."""
    return (
        with_paid_total(
            landlord_guarantees_scoped(user=user, programme=programme).select_related(
                "lease__household", "lease__dwelling"
            )
        )
        .annotate(has_certificate=certificate_current_exists())
        .order_by("-created_at", "-id")
    )


def landlord_guarantee_get(*, user, programme, pk: int) -> Guarantee:
    return landlord_guarantees(user=user, programme=programme).get(pk=pk)


def landlord_claims_scoped(*, user, programme):
    """Claims on guarantees of leases of landlords `user` acts for, in the current programme:
    the bare scope, with nothing loaded beside them."""
    return Claim.objects.filter(guarantee__fund__programme=programme).filter(
        _landlord_filter(user, prefix="guarantee__")
    )


def landlord_claims(*, user, programme):
    return (
        landlord_claims_scoped(user=user, programme=programme)
        .select_related("guarantee__lease__household")
        .order_by("-submitted_at", "-id")
    )


# The approval page: what a fund administrator must see to decide.


def guarantee_approval_facts(guarantee: Guarantee, *, today: date | None = None) -> dict:
    """The lease's arrears and payment history and the fund's capacity before and after, for
    the decision on `guarantee` (read unlocked; the service decides again under lock)."""
    from django.db.models import Count, Max
    from django.utils import timezone

    from fund.selectors.eligibility import lease_guarantee_problems
    from fund.selectors.ledger import fund_figures
    from tenancies.models import ArrearsCase
    from tenancies.selectors.rent import lease_balance, lease_overdue_dues

    today = today or timezone.localdate()
    lease = guarantee.lease
    balance = lease_balance(lease=lease, today=today)
    overdue = lease_overdue_dues(lease=lease, today=today)
    history = lease.payments.aggregate(count=Count("pk"), total=Sum("amount"), last=Max("paid_on"))
    capacity = fund_figures(fund=guarantee.fund).capacity
    return {
        "balance": Money(balance.balance, "EUR"),
        "overdue_amount": Money(balance.overdue, "EUR"),
        "overdue_months": overdue,
        "arrears_case": ArrearsCase.objects.open().filter(lease=lease).first(),
        "payments_count": history["count"],
        "payments_total": Money(history["total"] or MONEY_ZERO, "EUR"),
        "last_payment_on": history["last"],
        "due_total": Money(balance.due, "EUR"),
        "capacity_before": capacity,
        "capacity_after": capacity - guarantee.amount,
        "fits_capacity": guarantee.amount <= capacity,
        "problems": lease_guarantee_problems(lease, today=today),
    }
