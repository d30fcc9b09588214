"""Recovery plans: the receivable a payout leaves, its schedule, repayments and waivers.

Ledger postings (every one references the plan):
- creation: RECEIVABLE debit / PAYOUTS credit — the payout becomes money the household owes;
- repayment: BANK debit / RECEIVABLE credit, with PAYOUTS debit / RECOVERIES credit alongside,
  so the part repaid shows again as a payout, offset by a recovery (payouts stay gross and
  the dashboard's recoveries are real income: payouts − recoveries + write-offs = the loss);
- waiver: WRITE_OFFS debit / RECEIVABLE credit for what is still owed (fund.services.waivers).
All of it runs under the fund's row lock, then the plan's.
"""

from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from common import dates
from common.audit import audit_record
from common.dates import date_refuse_implausible
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format, split_evenly
from common.roles import Role
from fund.models import (
    AccountCode,
    Fund,
    RecoveryInstalment,
    RecoveryPayment,
    RecoveryPlan,
    Transaction,
)
from fund.selectors.recovery import payout_amount, plan_ledger_amounts
from fund.services import locks
from tenancies.rent.arrears import add_months

MAX_INSTALMENTS = 120


def check_fund_admin(*, actor, fund: Fund) -> None:
    if (
        actor is None
        or not actor.is_authenticated
        or not actor.memberships.filter(programme_id=fund.programme_id, role=Role.FUND_ADMIN)
    ):
        raise DomainError(_("Only an administrator of this fund may do this."))


def plan_lock(plan: RecoveryPlan) -> RecoveryPlan:
    """Lock the fund, then the plan, and return the plan fresh."""
    locks.fund_lock(plan.fund)
    return (
        RecoveryPlan.objects.select_for_update().select_related("fund", "household").get(pk=plan.pk)
    )


def _check_money(amount) -> Money:
    if not isinstance(amount, Money) or str(amount.currency) != "EUR":
        raise DomainError(_("Amounts are money in euro."), field="amount")
    if amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    if eur(amount.amount) != amount:
        raise DomainError(_("Amounts are in whole cents."), field="amount")
    return amount


def recovery_plan_create(
    *, actor, fund: Fund, household, amount: Money, payout_transaction: Transaction, lease=None
) -> RecoveryPlan:
    """Create the household's plan (proposed) for a payout and book the receivable."""
    _check_money(amount)
    if household.programme_id != fund.programme_id:
        raise DomainError(_("The household belongs to another programme."))
    if lease is not None and lease.household_id != household.pk:
        raise DomainError(_("The lease is not the household's."))
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        payout = Transaction.objects.select_for_update().get(pk=payout_transaction.pk)
        if payout.fund_id != locked.pk:
            raise DomainError(_("The payout belongs to another fund."))
        if RecoveryPlan.objects.filter(payout_transaction=payout).exists():
            raise DomainError(_("This payout already has a recovery plan."))
        if amount > payout_amount(transaction=payout):
            raise DomainError(
                _("A plan cannot recover more than the payout (%(paid)s).")
                % {"paid": money_format(payout_amount(transaction=payout))},
                field="amount",
            )
        plan = RecoveryPlan(
            fund=locked,
            household=household,
            lease=lease,
            payout_transaction=payout,
            amount=amount,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        plan.full_clean(exclude=["status"])  # protected FSM field: set by transitions only
        plan.save()
        from fund.services.ledger import transaction_post

        transaction_post(
            fund=locked,
            lines=[(AccountCode.RECEIVABLE, amount), (AccountCode.PAYOUTS, -amount)],
            actor=actor,
            # The ledger is append-only and outlives pseudonymisation: the household's key,
            # never its name.
            description=_("Receivable from household #%(household)s for payout #%(number)s")
            % {"household": household.pk, "number": payout.pk},
            kind=Transaction.Kind.RECEIVABLE,
            reference=plan,
            date=payout.date,
        )
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=plan,
            verb="created",
            to_state=plan.status,
            context=household,
            data={"amount": str(amount.amount), "payout": payout.pk},
        )
        return plan


def _schedule(*, plan: RecoveryPlan, instalment_count: int, first_due_on: date_type) -> list:
    """Replace the instalments not yet fully repaid with `instalment_count` monthly ones for
    the rest, so the schedule still adds up exactly to the plan's amount."""
    if not 1 <= instalment_count <= MAX_INSTALMENTS:
        raise DomainError(
            _("Between 1 and %(max)s instalments.") % {"max": MAX_INSTALMENTS},
            field="instalment_count",
        )
    date_refuse_implausible(
        first_due_on,
        kind=dates.PLAN_INSTALMENT,
        field="first_due_on",
        label=_("First instalment due on"),
    )
    repaid = plan_ledger_amounts([plan])[plan.pk]["repaid"].amount
    kept, covered = [], Decimal(0)
    for instalment in plan.instalments.all():
        if covered + instalment.amount.amount > repaid:
            break
        covered += instalment.amount.amount
        kept.append(instalment)
    rest = plan.amount.amount - covered
    if kept and first_due_on <= kept[-1].due_on:
        raise DomainError(
            _("The new schedule must start after the last instalment already repaid."),
            field="first_due_on",
        )
    parts = split_evenly(eur(rest), instalment_count)
    if any(part.amount <= 0 for part in parts):
        raise DomainError(
            _("Too many instalments for what is left: each must be at least one cent."),
            field="instalment_count",
        )
    before = [[str(i.due_on), str(i.amount.amount)] for i in plan.instalments.all()]
    plan.instalments.exclude(pk__in=[i.pk for i in kept]).delete()
    start = len(kept) + 1
    RecoveryInstalment.objects.bulk_create(
        RecoveryInstalment(
            plan=plan,
            number=start + index,
            due_on=add_months(first_due_on, index),
            amount=part,
        )
        for index, part in enumerate(parts)
    )
    after = [[str(i.due_on), str(i.amount.amount)] for i in plan.instalments.all()]
    return [before, after]


def recovery_plan_activate(
    *, actor, plan: RecoveryPlan, instalment_count: int, first_due_on: date_type, note: str = ""
) -> RecoveryPlan:
    """Agree the schedule with the household: `instalment_count` monthly instalments."""
    with db_transaction.atomic():
        locked = plan_lock(plan)
        check_fund_admin(actor=actor, fund=locked.fund)
        plan = transition_run(
            queryset=RecoveryPlan.objects.all(),
            pk=locked.pk,
            transition="activate",
            actor=actor,
            note=note,
            update_fields=("instalment_count", "first_due_on"),
            instalment_count=instalment_count,
            first_due_on=first_due_on,
        )
        _schedule(plan=plan, instalment_count=instalment_count, first_due_on=first_due_on)
        return plan


def recovery_plan_reschedule(
    *, actor, plan: RecoveryPlan, instalment_count: int, first_due_on: date_type, note: str
) -> RecoveryPlan:
    """Fit what is left to the household's means: a new schedule for the unpaid part."""
    if not (note or "").strip():
        raise DomainError(_("Say why the plan is rescheduled."), field="note")
    with db_transaction.atomic():
        locked = plan_lock(plan)
        check_fund_admin(actor=actor, fund=locked.fund)
        if locked.status != RecoveryPlan.Status.ACTIVE:
            raise DomainError(_("Only an active plan can be rescheduled."))
        before, after = _schedule(
            plan=locked, instalment_count=instalment_count, first_due_on=first_due_on
        )
        return transition_run(
            queryset=RecoveryPlan.objects.all(),
            pk=locked.pk,
            transition="reschedule",
            actor=actor,
            note=note,
            update_fields=("instalment_count", "first_due_on"),
            data={"before": before, "after": after},
            instalment_count=instalment_count,
            first_due_on=first_due_on,
        )


def recovery_payment_record(
    *, actor, plan: RecoveryPlan, amount: Money, paid_on: date_type, note: str = ""
) -> RecoveryPayment:
    """Book money the household repaid; never more than it owes. Fully repaid → repaid."""
    from fund.services.ledger import transaction_post

    _check_money(amount)
    with db_transaction.atomic():
        locked = plan_lock(plan)
        check_fund_admin(actor=actor, fund=locked.fund)
        if locked.status != RecoveryPlan.Status.ACTIVE:
            raise DomainError(_("Repayments are recorded on an active plan."))
        if paid_on > timezone.localdate():
            raise DomainError(_("A repayment cannot be dated in the future."), field="paid_on")
        outstanding = plan_ledger_amounts([locked])[locked.pk]["outstanding"]
        if amount > outstanding:
            raise DomainError(
                _("The household owes %(outstanding)s on this plan: no more can be repaid.")
                % {"outstanding": money_format(outstanding)},
                field="amount",
            )
        tx = transaction_post(
            fund=locked.fund,
            lines=[
                (AccountCode.BANK, amount),
                (AccountCode.RECEIVABLE, -amount),
                (AccountCode.PAYOUTS, amount),
                (AccountCode.RECOVERIES, -amount),
            ],
            actor=actor,
            description=_("Repayment by %(household)s") % {"household": locked.household},
            kind=Transaction.Kind.RECOVERY,
            reference=locked,
            date=paid_on,
        )
        payment = RecoveryPayment(
            plan=locked,
            amount=amount,
            paid_on=paid_on,
            note=(note or "").strip()[:255],
            transaction=tx,
            recorded_by=actor,
        )
        payment.full_clean()
        payment.save()
        audit_record(
            actor=actor,
            programme=locked.fund.programme,
            target=payment,
            verb="recovery_paid",
            note=payment.note,
            context=locked.household,
            data={"plan": locked.pk, "amount": str(amount.amount)},
        )
        if amount == outstanding:
            transition_run(
                queryset=RecoveryPlan.objects.all(),
                pk=locked.pk,
                transition="mark_repaid",
                actor=actor,
                note=_("Fully repaid."),
            )
        return payment
