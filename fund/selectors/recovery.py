"""Reads of recovery plans: what is repaid, written off and still owed, from the ledger."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from djmoney.money import Money

from common.money import ZERO, eur, round_cents
from fund.models import AccountCode, Entry, Fund, RecoveryPayment, RecoveryPlan


def _total(value) -> Money:
    return eur(round_cents(value or 0))


def plan_list(*, fund: Fund, status: str = "") -> QuerySet[RecoveryPlan]:
    """The fund's plans, newest first, optionally in one state, with their household."""
    plans = RecoveryPlan.objects.filter(fund=fund).select_related("household", "lease")
    if status:
        plans = plans.filter(status=status)
    return plans


def plan_get(*, fund: Fund, pk: int) -> RecoveryPlan:
    """One plan of the fund (another fund's plan does not exist here)."""
    return plan_list(fund=fund).select_related("payout_transaction").get(pk=pk)


def _plan_entries(plans) -> QuerySet[Entry]:
    return Entry.objects.filter(
        transaction__reference_type=ContentType.objects.get_for_model(RecoveryPlan),
        transaction__reference_id__in=[str(p.pk) for p in plans],
    )


def plan_ledger_amounts(plans) -> dict[int, dict[str, Money]]:
    """Per plan id: receivable still open, repaid and written off, summed from the ledger."""
    rows = (
        _plan_entries(plans)
        .values("transaction__reference_id", "account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    result = {p.pk: {"outstanding": ZERO, "repaid": ZERO, "written_off": ZERO} for p in plans}
    for row in rows:
        amounts = result[int(row["transaction__reference_id"])]
        total = _total(row["total"])
        if row["account__code"] == AccountCode.RECEIVABLE:
            amounts["outstanding"] = total
        elif row["account__code"] == AccountCode.RECOVERIES:
            amounts["repaid"] = -total
        elif row["account__code"] == AccountCode.WRITE_OFFS:
            amounts["written_off"] = total
    return result


def plan_outstanding(*, plan: RecoveryPlan) -> Money:
    """What the household still owes on the plan: the plan's receivable balance."""
    return plan_ledger_amounts([plan])[plan.pk]["outstanding"]


def plans_with_amounts(*, fund: Fund, status: str = "") -> list[RecoveryPlan]:
    """The plans with `.outstanding`, `.repaid`, `.written_off` set, in two queries."""
    plans = list(plan_list(fund=fund, status=status))
    amounts = plan_ledger_amounts(plans)
    for plan in plans:
        for key, value in amounts[plan.pk].items():
            setattr(plan, key, value)
    return plans


@dataclass
class InstalmentProgress:
    number: int
    due_on: date
    amount: Money
    paid: Money
    state: str  # "paid", "late", "upcoming"

    @property
    def left(self) -> Money:
        return self.amount - self.paid


@dataclass
class PlanProgress:
    plan: RecoveryPlan
    outstanding: Money
    repaid: Money
    written_off: Money
    instalments: list[InstalmentProgress]

    @property
    def percent_settled(self) -> int:
        done = self.repaid.amount + self.written_off.amount
        return int(done * 100 / self.plan.amount.amount) if self.plan.amount.amount else 0

    def count(self, state: str) -> int:
        return sum(1 for i in self.instalments if i.state == state)

    @property
    def paid_count(self) -> int:
        return self.count("paid")

    @property
    def late_count(self) -> int:
        return self.count("late")

    @property
    def upcoming_count(self) -> int:
        return self.count("upcoming")


def plan_progress(*, plan: RecoveryPlan, today: date | None = None) -> PlanProgress:
    """Repaid, outstanding, and each instalment paid, late or upcoming: repayments settle
    instalments oldest first; an instalment past due and not fully settled is late."""
    today = today or timezone.localdate()
    amounts = plan_ledger_amounts([plan])[plan.pk]
    left_to_allocate = amounts["repaid"].amount
    rows = []
    for instalment in plan.instalments.all():
        paid = min(left_to_allocate, instalment.amount.amount)
        left_to_allocate -= paid
        if paid == instalment.amount.amount:
            state = "paid"
        elif plan.status == RecoveryPlan.Status.WAIVED:
            state = "waived"
        elif instalment.due_on < today:
            state = "late"
        else:
            state = "upcoming"
        rows.append(
            InstalmentProgress(
                number=instalment.number,
                due_on=instalment.due_on,
                amount=instalment.amount,
                paid=eur(paid),
                state=state,
            )
        )
    return PlanProgress(plan=plan, instalments=rows, **amounts)


def plan_payments(*, plan: RecoveryPlan) -> QuerySet[RecoveryPayment]:
    return plan.payments.select_related("recorded_by", "transaction")


def recoveries_between(*, fund: Fund, start: date, end: date) -> Money:
    """Money households repaid to the fund between `start` and `end` (both included)."""
    total = RecoveryPayment.objects.filter(
        plan__fund=fund, paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return _total(total)


def recoveries_this_year(*, fund: Fund, today: date | None = None) -> Money:
    """Repayments of the current calendar year, for the dashboard."""
    today = today or timezone.localdate()
    return recoveries_between(fund=fund, start=date(today.year, 1, 1), end=today)


def plan_counts_by_status(*, fund: Fund) -> dict[str, int]:
    rows = (
        RecoveryPlan.objects.filter(fund=fund).values("status").annotate(n=Count("pk")).order_by()
    )
    counts = dict.fromkeys(RecoveryPlan.Status.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def payout_amount(*, transaction) -> Money:
    """What a transaction debited to the payouts account."""
    total = transaction.entries.filter(
        Q(account__code=AccountCode.PAYOUTS) & Q(amount__gt=Decimal(0))
    ).aggregate(total=Sum("amount"))["total"]
    return _total(total)
