"""Settling a household's debt other than by money: hours of community activity under its pact,
and waivers (WRITE_OFFS debit / RECEIVABLE credit for what is still owed), proposed by one fund
administrator and approved by another. Locks: the fund, then the plan, then the waiver.
"""

from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from fund.models import AccountCode, CommunityHours, RecoveryPlan, RecoveryWaiver, Transaction
from fund.models.waivers import waiver_may_approve
from fund.selectors.recovery import plan_ledger_amounts
from fund.services.recovery import check_fund_admin, plan_lock


def community_hours_log(
    *, actor, plan: RecoveryPlan, date: date_type, hours: Decimal, activity: str, pact=None
) -> CommunityHours:
    """Record hours of community activity the household gave under its pact."""
    if not (activity or "").strip():
        raise DomainError(_("Describe the activity."), field="activity")
    with db_transaction.atomic():
        locked = plan_lock(plan)
        check_fund_admin(actor=actor, fund=locked.fund)
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
        locked = plan_lock(plan)
        check_fund_admin(actor=actor, fund=locked.fund)
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
    plan = plan_lock(waiver.plan)
    return plan, RecoveryWaiver.objects.select_for_update().get(pk=waiver.pk)


def waiver_approve(*, actor, waiver: RecoveryWaiver, note: str = "") -> RecoveryWaiver:
    """Four eyes: a fund admin other than the proposer (superusers too) writes off what is
    still owed and the plan is waived."""
    from fund.services.ledger import transaction_post

    with db_transaction.atomic():
        plan, locked = _lock_waiver(waiver)
        check_fund_admin(actor=actor, fund=plan.fund)
        if not waiver_may_approve(locked, actor):
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
        check_fund_admin(actor=actor, fund=plan.fund)
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
