"""Recovery plans: the receivable a payout leaves, its schedule, repayments and waivers.

Ledger postings (every one references the plan):
- creation: RECEIVABLE debit / PAYOUTS credit — the payout becomes money the household owes;
- repayment: BANK debit / RECEIVABLE credit, with PAYOUTS debit / RECOVERIES credit alongside,
  so the part repaid shows again as a payout, offset by a recovery (payouts stay gross and
  the dashboard's recoveries are real income: payouts − recoveries + write-offs = the loss);
- waiver: WRITE_OFFS debit / RECEIVABLE credit for what is still owed.
All of it runs under the fund's row lock, then the plan's.
"""

from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format, split_evenly
from common.roles import Role
from fund.models import (
    AccountCode,
    CommunityHours,
    Fund,
    RecoveryInstalment,
    RecoveryPayment,
    RecoveryPlan,
    RecoveryWaiver,
    Transaction,
)
from fund.selectors.recovery import payout_amount, plan_ledger_amounts
from fund.services import locks
from tenancies.rent.arrears import add_months

MAX_INSTALMENTS = 120


def _check_fund_admin(*, actor, fund: Fund) -> None:
    if (
        actor is None
        or not actor.is_authenticated
        or not actor.memberships.filter(programme_id=fund.programme_id, role=Role.FUND_ADMIN)
    ):
        raise DomainError(_("Only an administrator of this fund may do this."))


def _lock(plan: RecoveryPlan) -> RecoveryPlan:
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
            description=_("Receivable from %(household)s for payout #%(number)s")
            % {"household": household, "number": payout.pk},
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
        locked = _lock(plan)
        _check_fund_admin(actor=actor, fund=locked.fund)
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
        locked = _lock(plan)
        _check_fund_admin(actor=actor, fund=locked.fund)
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
        locked = _lock(plan)
        _check_fund_admin(actor=actor, fund=locked.fund)
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


def community_hours_log(
    *, actor, plan: RecoveryPlan, date: date_type, hours: Decimal, activity: str, pact=None
) -> CommunityHours:
    """Record hours of community activity the household gave under its pact."""
    if not (activity or "").strip():
        raise DomainError(_("Describe the activity."), field="activity")
    with db_transaction.atomic():
        locked = _lock(plan)
        _check_fund_admin(actor=actor, fund=locked.fund)
        if pact is not None and pact.household_id != locked.household_id:
            raise DomainError(_("That pact is another household's."), field="pact")
        if date > timezone.localdate():
            raise DomainError(_("Hours cannot be logged in the future."), field="date")
        entry = CommunityHours(
            plan=locked,
            pact=pact,
            date=date,
            hours=hours,
            activity=activity.strip(),
            recorded_by=actor,
        )
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            programme=locked.fund.programme,
            target=entry,
            verb="community_hours_logged",
            note=entry.activity,
            context=locked.household,
            data={"plan": locked.pk, "hours": str(hours)},
        )
        return entry


def waiver_propose(*, actor, plan: RecoveryPlan, kind: str, reason: str, pact=None):
    """A fund admin proposes writing off what is left; another must approve it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("A waiver needs a written reason."), field="reason")
    if kind not in RecoveryWaiver.Kind.values:
        raise DomainError(_("Choose the kind of reason."), field="kind")
    with db_transaction.atomic():
        locked = _lock(plan)
        _check_fund_admin(actor=actor, fund=locked.fund)
        if locked.status not in (RecoveryPlan.Status.PROPOSED, RecoveryPlan.Status.ACTIVE):
            raise DomainError(_("This plan is closed: nothing to waive."))
        if locked.waivers.filter(status=RecoveryWaiver.Status.PROPOSED).exists():
            raise DomainError(_("A waiver is already awaiting a decision on this plan."))
        if kind == RecoveryWaiver.Kind.COMMUNITY_PACT:
            if pact is None:
                raise DomainError(
                    _("Link the household's support pact to waive for community activity."),
                    field="pact",
                )
            if not locked.community_hours.exists():
                raise DomainError(
                    _("Log the hours of community activity before proposing this waiver."),
                    field="kind",
                )
        if pact is not None and pact.household_id != locked.household_id:
            raise DomainError(_("That pact is another household's."), field="pact")
        waiver = RecoveryWaiver(plan=locked, kind=kind, reason=reason, pact=pact, proposed_by=actor)
        waiver.full_clean(exclude=["status"])
        waiver.save()
        audit_record(
            actor=actor,
            programme=locked.fund.programme,
            target=waiver,
            verb="waiver_proposed",
            to_state=waiver.status,
            note=reason,
            context=locked.household,
            data={"plan": locked.pk, "kind": kind},
        )
        return waiver


def _lock_waiver(waiver: RecoveryWaiver) -> tuple[RecoveryPlan, RecoveryWaiver]:
    plan = _lock(waiver.plan)
    return plan, RecoveryWaiver.objects.select_for_update().get(pk=waiver.pk)


def waiver_approve(*, actor, waiver: RecoveryWaiver, note: str = "") -> RecoveryWaiver:
    """Four eyes: a fund admin other than the proposer (superusers too) writes off what is
    still owed and the plan is waived."""
    from fund.services.ledger import transaction_post

    with db_transaction.atomic():
        plan, locked = _lock_waiver(waiver)
        _check_fund_admin(actor=actor, fund=plan.fund)
        if actor.pk == locked.proposed_by_id:
            raise DomainError(
                _("Four eyes: the administrator who proposed the waiver cannot approve it.")
            )
        if locked.status != RecoveryWaiver.Status.PROPOSED:
            raise DomainError(_("This waiver has already been decided."))
        outstanding = plan_ledger_amounts([plan])[plan.pk]["outstanding"]
        write_off = None
        if outstanding.amount > 0:
            write_off = transaction_post(
                fund=plan.fund,
                lines=[
                    (AccountCode.WRITE_OFFS, outstanding),
                    (AccountCode.RECEIVABLE, -outstanding),
                ],
                actor=actor,
                description=_("Write-off for %(household)s: %(reason)s")
                % {"household": plan.household, "reason": locked.reason},
                kind=Transaction.Kind.WRITE_OFF,
                reference=plan,
            )
        approved = transition_run(
            queryset=RecoveryWaiver.objects.all(),
            pk=locked.pk,
            transition="approve",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at", "decision_note", "transaction"),
            context=plan.household,
            data={"written_off": str(outstanding.amount)},
            by=actor,
            at=timezone.now(),
            decision=note,
            write_off=write_off,
        )
        transition_run(
            queryset=RecoveryPlan.objects.all(),
            pk=plan.pk,
            transition="waive",
            actor=actor,
            note=locked.reason,
            data={"waiver": locked.pk, "written_off": str(outstanding.amount)},
        )
        return approved


def waiver_reject(*, actor, waiver: RecoveryWaiver, note: str) -> RecoveryWaiver:
    """Turn a waiver proposal down (or withdraw it), with the reason; the plan carries on."""
    if not (note or "").strip():
        raise DomainError(_("Give the reason for turning the waiver down."), field="note")
    with db_transaction.atomic():
        plan, locked = _lock_waiver(waiver)
        _check_fund_admin(actor=actor, fund=plan.fund)
        return transition_run(
            queryset=RecoveryWaiver.objects.all(),
            pk=locked.pk,
            transition="reject",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at", "decision_note"),
            context=plan.household,
            by=actor,
            at=timezone.now(),
            decision=note.strip(),
        )
