"""Reads about rent: what is due, what is paid, what is overdue. Balances are always derived
from dues and allocations, never stored.

Sums run in SQL with a 2-place DecimalField output, which Django quantizes when reading: on
SQLite (which keeps decimals as floats) that brings every total back to exact cents. SQL-side
comparisons use a half-cent tolerance for the same reason.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tenancies.models import Allocation, ArrearsCase, Lease, Payment, RentDue

MONEY = DecimalField(max_digits=14, decimal_places=2)
HALF_CENT = Decimal("0.005")
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def money(expression):
    """An arithmetic expression on money columns, typed as a 2-place decimal."""
    return ExpressionWrapper(expression, output_field=MONEY)


def money_sum(expression, **filters):
    return Coalesce(Sum(expression, output_field=MONEY, **filters), ZERO, output_field=MONEY)


def due_paid(until: date | None = None, part: str | None = None):
    """What has been allocated to the due that is the outer row (of `part`, by `until`)."""
    allocations = Allocation.objects.filter(due=OuterRef("pk"))
    if part is not None:
        allocations = allocations.filter(part=part)
    if until is not None:
        allocations = allocations.filter(payment__paid_on__lte=until)
    return Coalesce(
        Subquery(
            allocations.values("due")
            .annotate(total=Sum("amount", output_field=MONEY))
            .values("total")[:1],
            output_field=MONEY,
        ),
        ZERO,
        output_field=MONEY,
    )


def dues_with_balance(queryset=None, *, paid_until: date | None = None):
    """Dues annotated with `paid` and `outstanding` (as of `paid_until`, else now), and the
    same for each part: `rent_paid`/`rent_outstanding`, `charges_paid`/`charges_outstanding`."""
    queryset = RentDue.objects.all() if queryset is None else queryset
    return queryset.annotate(
        paid=due_paid(paid_until),
        rent_paid=due_paid(paid_until, Allocation.Part.RENT),
        charges_paid=due_paid(paid_until, Allocation.Part.CHARGES),
    ).annotate(
        outstanding=money(F("amount") - F("paid")),
        rent_outstanding=money(F("rent_part") - F("rent_paid")),
        charges_outstanding=money(F("charges_part") - F("charges_paid")),
    )


def last_paid_on():
    """The latest paid_on among a due's allocations (the due is the outer row)."""
    return Subquery(
        Allocation.objects.filter(due=OuterRef("pk"))
        .values("due")
        .annotate(last=Max("payment__paid_on"))
        .values("last")[:1],
        output_field=DateField(),
    )


def dues_with_settlement(queryset=None):
    """Dues annotated with `settles_on`: what their `settled_on` must hold, the day of the
    money that completed them (the latest paid_on of their allocations) once those add up to
    the amount, else None."""
    queryset = RentDue.objects.all() if queryset is None else queryset
    return queryset.annotate(
        settle_outstanding=money(F("amount") - due_paid()),
        settles_on=Case(
            When(settle_outstanding__lte=HALF_CENT, then=last_paid_on()),
            default=None,
            output_field=DateField(),
        ),
    )


def lease_open_dues(*, lease: Lease) -> list[RentDue]:
    """The lease's dues not yet settled in full, oldest first, with `.outstanding`,
    `.rent_outstanding` and `.charges_outstanding` exact."""
    dues = dues_with_balance(lease.dues.all()).filter(outstanding__gt=HALF_CENT).order_by("month")
    result = list(dues)
    cent = Decimal("0.01")
    for due in result:
        due.outstanding = (due.amount.amount - due.paid).quantize(cent)
        due.rent_outstanding = (due.rent_part.amount - due.rent_paid).quantize(cent)
        due.charges_outstanding = (due.charges_part.amount - due.charges_paid).quantize(cent)
    return result


def payment_unallocated(*, payment: Payment) -> Decimal:
    allocated = payment.allocations.aggregate(total=money_sum("amount"))["total"]
    return payment.amount.amount - allocated


@dataclass(frozen=True)
class LeaseBalance:
    due: Decimal  # everything made due so far
    paid: Decimal  # everything received
    overdue: Decimal  # due before today and not settled
    credit: Decimal  # received and not yet allocated

    @property
    def balance(self) -> Decimal:
        """Positive: the household owes; negative: it is in credit."""
        return self.due - self.paid


def lease_balance(*, lease: Lease, today: date) -> LeaseBalance:
    due = lease.dues.aggregate(total=money_sum("amount"))["total"]
    paid = lease.payments.aggregate(total=money_sum("amount"))["total"]
    allocated = Allocation.objects.filter(due__lease=lease).aggregate(total=money_sum("amount"))[
        "total"
    ]
    overdue_dues = dues_with_balance(lease.dues.filter(due_date__lt=today))
    overdue = sum(
        (max(Decimal("0.00"), d.amount.amount - d.paid) for d in overdue_dues), Decimal("0.00")
    )
    return LeaseBalance(due=due, paid=paid, overdue=overdue, credit=paid - allocated)


def lease_overdue_dues(*, lease: Lease, today: date) -> list[RentDue]:
    dues = dues_with_balance(lease.dues.filter(due_date__lt=today)).filter(
        outstanding__gt=HALF_CENT
    )
    return list(dues.order_by("month"))


@dataclass(frozen=True)
class LedgerRow:
    day: date
    kind: str  # "due" or "payment"
    description: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    obj: object


def lease_statement(*, lease: Lease, today: date) -> tuple[LeaseBalance, list[LedgerRow]]:
    """The lease page's balance and ledger together, from three reads (its dues, its payments,
    the amounts allocated to its dues) summed here rather than in five more aggregates: the
    same figures as `lease_balance` and `lease_ledger`, whose rows the page already loads."""
    dues = list(lease.dues.all())
    payments = list(lease.payments.all())
    paid_by_due: dict[int, Decimal] = {}
    allocated = Decimal("0.00")
    for due_id, amount in Allocation.objects.filter(due__lease=lease).values_list(
        "due_id", "amount"
    ):
        paid_by_due[due_id] = paid_by_due.get(due_id, Decimal("0.00")) + amount
        allocated += amount
    zero = Decimal("0.00")
    due_total = sum((due.amount.amount for due in dues), zero)
    paid_total = sum((payment.amount.amount for payment in payments), zero)
    overdue = sum(
        (
            max(zero, due.amount.amount - paid_by_due.get(due.pk, zero))
            for due in dues
            if due.due_date < today
        ),
        zero,
    )
    balance = LeaseBalance(
        due=due_total, paid=paid_total, overdue=overdue, credit=paid_total - allocated
    )
    return balance, _ledger_rows(dues, payments)


def lease_ledger(*, lease: Lease) -> list[LedgerRow]:
    """Dues and payments in date order with a running balance (positive = owed)."""
    return _ledger_rows(list(lease.dues.all()), list(lease.payments.all()))


def _ledger_rows(dues, payments) -> list[LedgerRow]:
    events = [(due.due_date, 0, due.pk, "due", due) for due in dues] + [
        (payment.paid_on, 1, payment.pk, "payment", payment) for payment in payments
    ]
    events.sort(key=lambda e: e[:3])
    rows, balance = [], Decimal("0.00")
    for day, _order, _pk, kind, obj in events:
        if kind == "due":
            balance += obj.amount.amount
            rows.append(
                LedgerRow(
                    day,
                    kind,
                    obj.month.strftime("%m/%Y"),
                    obj.amount.amount,
                    Decimal("0.00"),
                    balance,
                    obj,
                )
            )
        else:
            balance -= obj.amount.amount
            rows.append(
                LedgerRow(
                    day,
                    kind,
                    obj.get_method_display(),
                    Decimal("0.00"),
                    obj.amount.amount,
                    balance,
                    obj,
                )
            )
    return rows


def leases_over_threshold(
    *, programme_ids, today: date, grace_days_by_programme: dict, charges_months_by_programme: dict
):
    """Ids of active leases whose arrears cross their programme's threshold on `today`, with
    everything overdue. L. 392/1978 art. 5 keeps rent and charges apart:
    - rent: a month's rent unpaid more than `grace_days` after its due date (charges left
      unpaid do not count here), or overdue rent of at least `charges_months` months of rent
      (the programme acts before the grace period ends);
    - service charges: overdue charges *exceeding* ("superi") `charges_months` months of rent;
      exactly that much is not enough.
    One query per programme, not one per lease.

    Dues that fell due by the day a case was escalated are eviction prevention's business
    now: only what falls due after it counts, so an escalated case never blocks a new one
    and never opens one again for the same months."""
    handed_over_until = Subquery(
        ArrearsCase.objects.filter(lease=OuterRef("lease_id"), status=ArrearsCase.Status.ESCALATED)
        .order_by("-closed_on")
        .values("closed_on")[:1]
    )
    result = {}
    for programme_id in programme_ids:
        grace = grace_days_by_programme[programme_id]
        months = charges_months_by_programme[programme_id]
        cutoff = date.fromordinal(today.toordinal() - grace)
        overdue = (
            dues_with_balance(
                RentDue.objects.filter(
                    lease__programme_id=programme_id,
                    lease__status=Lease.Status.ACTIVE,
                    due_date__lt=today,
                    settled_on__isnull=True,  # a settled due owes nothing (rentdue_unsettled)
                )
            )
            .filter(outstanding__gt=HALF_CENT)
            .annotate(handed_over_until=handed_over_until)
            .filter(Q(handed_over_until__isnull=True) | Q(due_date__gt=F("handed_over_until")))
            .values("lease_id")
            .annotate(
                total=Sum(money(F("amount") - F("paid")), output_field=MONEY),
                rent_total=Sum(money(F("rent_part") - F("rent_paid")), output_field=MONEY),
                charges_total=Sum(money(F("charges_part") - F("charges_paid")), output_field=MONEY),
                late=Count(
                    "id",
                    filter=Q(due_date__lt=cutoff, rent_outstanding__gt=HALF_CENT),
                ),
            )
            .annotate(
                rent_threshold=money(F("lease__rent") * months - Value(HALF_CENT)),
                charges_threshold=money(F("lease__rent") * months + Value(HALF_CENT)),
            )
            .filter(
                Q(late__gt=0)
                | Q(rent_total__gte=F("rent_threshold"))
                | Q(charges_total__gt=F("charges_threshold"))
            )
        )
        for row in overdue:
            result[row["lease_id"]] = row["total"]
    return result
