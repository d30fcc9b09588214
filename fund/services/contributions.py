"""Four eyes on large contributions: one fund administrator proposes, a second approves, and
only the approval posts the money to the ledger."""

from datetime import date as date_type

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from djmoney.money import Money

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from fund.models import ContributionProposal, Fund
from fund.services import locks
from fund.services.funds import contribution_post, holds_fund_admin


def contribution_propose(
    *,
    actor,
    fund: Fund,
    funder: str,
    kind: str,
    amount: Money,
    date: date_type,
    note: str = "",
) -> ContributionProposal:
    """Record a contribution as awaiting a second fund administrator: nothing reaches the
    ledger until `contribution_proposal_approve`."""
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    with db_transaction.atomic():
        fund = locks.fund_lock(fund)
        if not holds_fund_admin(actor=actor, fund=fund):
            raise DomainError(_("Only a fund administrator can record a contribution."))
        proposal = ContributionProposal(
            fund=fund,
            funder=(funder or "").strip(),
            kind=kind,
            amount=amount,
            date=date,
            note=note or "",
            proposed_by=actor,
        )
        proposal.full_clean(exclude=["status", "contribution"])
        proposal.save()
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=proposal,
            verb="contribution_proposed",
            context=fund,
            data={"amount": str(amount.amount), "kind": kind},
        )
        return proposal


def contribution_proposal_approve(
    *, actor, proposal: ContributionProposal, note: str = ""
) -> ContributionProposal:
    """A second fund administrator approves: the contribution is posted now, once."""
    with db_transaction.atomic():
        fund = locks.fund_lock(proposal.fund)
        current = ContributionProposal.objects.select_for_update().get(pk=proposal.pk)
        contribution = None
        if can_proceed(current.approve) and has_transition_perm(current.approve, actor):
            contribution = contribution_post(
                actor=actor,
                fund=fund,
                funder=current.funder,
                kind=current.kind,
                amount=current.amount,
                date=current.date,
                note=current.note,
                data={"proposal": current.pk, "proposed_by": current.proposed_by_id},
            )
        # Refusals (already decided, the proposer approving) come from the transition, and
        # roll back the posting above with the rest of the transaction.
        return transition_run(
            queryset=ContributionProposal.objects.all(),
            pk=current.pk,
            transition="approve",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at", "contribution"),
            by=actor,
            at=timezone.now(),
            contribution=contribution,
        )


def contribution_proposal_reject(
    *, actor, proposal: ContributionProposal, note: str = ""
) -> ContributionProposal:
    """Turn a proposed contribution down: nothing is posted."""
    with db_transaction.atomic():
        locks.fund_lock(proposal.fund)
        return transition_run(
            queryset=ContributionProposal.objects.all(),
            pk=proposal.pk,
            transition="reject",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at"),
            by=actor,
            at=timezone.now(),
        )
