"""How a repayment plan is going, derived from the payments that settle the dues it covers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tenancies.models import Allocation, RepaymentPlan
from tenancies.selectors.rent import money_sum

# An instalment is late once this many days have passed after its due date.
INSTALMENT_GRACE_DAYS = 10


@dataclass(frozen=True)
class InstalmentStatus:
    due_date: date
    amount: Decimal
    cumulative_due: Decimal
    state: str  # "paid", "late", "upcoming"


@dataclass(frozen=True)
class PlanProgress:
    total: Decimal
    repaid: Decimal
    instalments: list[InstalmentStatus]

    @property
    def is_broken(self) -> bool:
        return any(i.state == "late" for i in self.instalments)

    @property
    def is_repaid(self) -> bool:
        return self.repaid >= self.total


def plan_progress(*, plan: RepaymentPlan, today: date) -> PlanProgress:
    """Money counts towards the plan when it settles a due the plan covers and was recorded
    after the plan (what was recorded before is already out of the plan's total). Instalments
    are met in order."""
    repaid = Allocation.objects.filter(
        due__lease_id=plan.case.lease_id,
        due__due_date__lte=plan.covers_until,
        payment__created_at__gt=plan.created_at,
    ).aggregate(total=money_sum("amount"))["total"]
    statuses, cumulative = [], Decimal("0.00")
    for instalment in plan.instalments.all():
        cumulative += instalment.amount.amount
        if repaid >= cumulative:
            state = "paid"
        elif (today - instalment.due_date).days > INSTALMENT_GRACE_DAYS:
            state = "late"
        else:
            state = "upcoming"
        statuses.append(
            InstalmentStatus(instalment.due_date, instalment.amount.amount, cumulative, state)
        )
    return PlanProgress(total=plan.total.amount, repaid=repaid, instalments=statuses)
