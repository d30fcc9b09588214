"""Claims on guarantees: filed for unpaid months, reviewed, approved by a third person, sent to
the bank in a SEPA batch by a fourth, paid when the fund's statement shows the debit.

Four eyes without override: whoever submitted or reviewed a claim can never approve it, and
whoever submitted, reviewed or approved it can never send its payout, whatever their role or
superuser flag. The transition's permission (`claim_may_approve`) decides
it, so the page never offers the step; the services ask the same function again under lock.
Locks, always: fund → lease → claim → guarantee → arrears case (fund.services.locks).
"""

import secrets
from datetime import date

from django.db import IntegrityError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import row_lock, transition_run
from common.money import eur, money_format
from common.roles import is_programme_fund_admin
from fund.models import (
    AccountCode,
    Claim,
    ClaimMonth,
    Fund,
    Guarantee,
    PayoutBatch,
    Transaction,
)
from fund.models.claims import claim_may_approve, claim_may_pay
from fund.notifications import (
    CLAIM_APPROVED,
    CLAIM_PAID,
    CLAIM_REJECTED,
    CLAIM_REVIEWED,
    DOCUMENTS_REQUESTED,
    claim_notify_fund_admins,
    claim_notify_landlord,
)
from fund.selectors.guarantees import (
    claimable_dues,
    guarantee_pending_claims_total,
    guarantee_remaining_cover,
)
from fund.services import locks
from fund.services.capacity import exposure_release
from fund.services.claim_documents import claim_documents_check, claim_documents_store
from fund.services.guarantees import guarantee_exhaust_if_spent
from fund.services.ledger import transaction_post
from fund.services.letters import (
    claim_decision_letter_issue,
    claim_payout_order_supersede,
)
from fund.services.recovery import recovery_plan_create
from tenancies.models import ArrearsCase, Lease, Payment
from tenancies.selectors.rent import dues_with_balance
from tenancies.services.arrears import arrears_case_mark_claimed
from tenancies.services.payments import FUND_REFERENCE_PREFIX, payment_record


def _claims():
    return Claim.objects.all()


def _guarantees_with_lease():
    return Guarantee.objects.select_related("lease__landlord", "lease__household", "fund")


def holds_fund_role(claim: Claim, actor) -> bool:
    """A fund administrator of the claim's programme: refused by four eyes, not by role."""
    return is_programme_fund_admin(claim, actor)


def _may_claim_for(*, user, lease: Lease) -> bool:
    is_operator = user.memberships.filter(programme_id=lease.programme_id, role="operator").exists()
    return is_operator or lease.landlord.users.filter(pk=user.pk).exists()


def claim_submit(
    *,
    actor,
    guarantee: Guarantee,
    due_ids,
    note: str = "",
    documents=(),
    today: date | None = None,
) -> Claim:
    """File a claim for months of the guaranteed lease that are due, past the agreement's claim
    delay and unpaid on the rent ledger, for what is still outstanding and within the cover,
    with its documents as (kind, upload) pairs."""
    due_ids = sorted({int(pk) for pk in due_ids})
    if not due_ids:
        raise DomainError(_("Choose at least one unpaid month."), field="dues")
    checked_documents = claim_documents_check(documents)
    with db_transaction.atomic():
        locks.fund_lock(guarantee.fund)
        guarantee = row_lock(_guarantees_with_lease(), guarantee.pk)
        lease = guarantee.lease
        if not _may_claim_for(user=actor, lease=lease):
            raise DomainError(_("Only the landlord or an operator may claim on this guarantee."))
        if guarantee.status != Guarantee.Status.ACTIVE:
            raise DomainError(_("Only an active guarantee can be claimed on."))
        open_dues = {due.pk: due for due in claimable_dues(lease=lease, today=today)}
        missing = [pk for pk in due_ids if pk not in open_dues]
        if missing:
            raise DomainError(
                _(
                    "Some of the chosen months cannot be claimed: not yet past the claim delay, "
                    "paid already or claimed in another claim."
                ),
                field="dues",
            )
        chosen = [open_dues[pk] for pk in due_ids]
        amount = eur(sum((due.outstanding for due in chosen), eur("0").amount))
        available = guarantee_remaining_cover(guarantee) - guarantee_pending_claims_total(guarantee)
        if amount > available:
            raise DomainError(
                _("The claim (%(amount)s) is more than the cover left (%(available)s).")
                % {"amount": money_format(amount), "available": money_format(available)},
                field="dues",
            )
        claim = Claim(guarantee=guarantee, amount=amount, note=note, submitted_by=actor)
        claim.full_clean(exclude=["status"], validate_constraints=False)
        claim.save()
        try:
            with db_transaction.atomic():
                ClaimMonth.objects.bulk_create(
                    [
                        ClaimMonth(claim=claim, due=due, amount=eur(due.outstanding))
                        for due in chosen
                    ]
                )
        except IntegrityError as error:
            raise DomainError(
                _("Some of the chosen months are claimed in another claim."), field="dues"
            ) from error
        audit_record(
            actor=actor,
            programme=guarantee.fund.programme,
            target=claim,
            verb="created",
            note=note,
            context=lease.household,
            data={
                "amount": str(amount.amount),
                "months": [due.month.isoformat() for due in chosen],
            },
        )
        claim_documents_store(actor=actor, claim=claim, checked=checked_documents)
        claim_notify_fund_admins(claim)
        return claim


def claim_review(*, actor, claim: Claim, note: str = "") -> Claim:
    """A fund administrator takes the claim into review; the landlord hears of it."""
    with db_transaction.atomic():
        reviewed = transition_run(
            queryset=_claims(),
            pk=claim.pk,
            transition="review",
            actor=actor,
            note=note,
            by=actor,
            update_fields=("reviewed_by",),
        )
        claim_notify_landlord(reviewed, CLAIM_REVIEWED)
        return reviewed


def claim_request_documents(*, actor, claim: Claim, note: str) -> Claim:
    """A fund administrator asks the landlord for documents; the note says what is missing.
    Asking counts as reviewing, so the one who asks never approves (four eyes)."""
    request = (note or "").strip()
    if not request:
        raise DomainError(_("Say which documents are missing."), field="note")
    with db_transaction.atomic():
        asked = transition_run(
            queryset=_claims(),
            pk=claim.pk,
            transition="request_documents",
            actor=actor,
            note=request,
            by=actor,
            at=timezone.now(),
            request=request,
            update_fields=("reviewed_by", "documents_request", "documents_requested_at"),
        )
        claim_notify_landlord(asked, DOCUMENTS_REQUESTED, note=request)
        return asked


def claim_provide_documents(*, actor, claim: Claim, note: str = "") -> Claim:
    """The landlord (or an operator) sends the claim back for review once at least one
    document was added since the fund asked for them."""
    return transition_run(
        queryset=_claims(),
        pk=claim.pk,
        transition="provide_documents",
        actor=actor,
        note=note,
    )


def _fund_lock_for(claim: Claim):
    """The claim's fund, locked first (the order everywhere): it numbers the fund's letters."""
    fund_id = _claims().filter(pk=claim.pk).values_list("guarantee__fund_id", flat=True).get()
    return locks.fund_lock(Fund(pk=fund_id))


def claim_approve(*, actor, claim: Claim, note: str = "") -> Claim:
    """Approve a reviewed claim: a third person, neither its submitter nor its reviewer. The
    decision letter is issued in the same transaction, or nothing happens."""
    with db_transaction.atomic():
        _fund_lock_for(claim)
        current = row_lock(_claims(), claim.pk)
        if not claim_may_approve(current, actor) and holds_fund_role(current, actor):
            raise DomainError(_("Four eyes: who submitted or reviewed a claim cannot approve it."))
        approved = transition_run(
            queryset=_claims(),
            pk=current.pk,
            transition="approve",
            actor=actor,
            note=note,
            by=actor,
            update_fields=("approved_by",),
        )
        letter = claim_decision_letter_issue(actor=actor, claim=approved)
        claim_notify_landlord(approved, CLAIM_APPROVED, letter=letter)
        return approved


def claim_reject(*, actor, claim: Claim, note: str) -> Claim:
    """Turn the claim down with a reason (the note); its months may be claimed again. The
    decision letter (superseding an approval's) is issued in the same transaction."""
    reason = (note or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection."), field="note")
    with db_transaction.atomic():
        _fund_lock_for(claim)
        rejected = transition_run(
            queryset=_claims(),
            pk=claim.pk,
            transition="reject",
            actor=actor,
            note=reason,
            by=actor,
            reason=reason,
            update_fields=("decided_by", "rejection_reason"),
        )
        ClaimMonth.objects.filter(claim=rejected).update(live=False)
        letter = claim_decision_letter_issue(actor=actor, claim=rejected)
        claim_notify_landlord(rejected, CLAIM_REJECTED, letter=letter)
        return rejected


def _check_months_still_unpaid(claim: Claim) -> None:
    months = list(ClaimMonth.objects.filter(claim=claim))
    outstanding = {
        due.pk: due.outstanding
        for due in dues_with_balance().filter(pk__in=[m.due_id for m in months])
    }
    for month in months:
        if outstanding.get(month.due_id, 0) < month.amount.amount:
            raise DomainError(
                _(
                    "The household has paid part of the claimed months since the claim was "
                    "filed: reject it and file a new claim for what is still unpaid."
                )
            )


def claim_send(*, actor, claim: Claim, batch, execution_date: date) -> Claim:
    """Put an approved claim's payout into a SEPA batch (approved → sent): a fourth person,
    never its submitter, reviewer or approver, to the landlord's approved IBAN only; the
    months must still be unpaid. The ledger is posted when the statement shows the debit.
    The caller (payout_batch_create) issues the payout order once the file has its id."""
    with db_transaction.atomic():
        current = row_lock(_claims(), claim.pk)
        if current.status != Claim.Status.APPROVED:
            raise DomainError(
                _("Claim #%(number)s is not approved: it cannot be sent.") % {"number": claim.pk}
            )
        if not claim_may_pay(current, actor) and holds_fund_role(current, actor):
            raise DomainError(
                _("Four eyes: who submitted, reviewed or approved a claim cannot send its payout.")
            )
        _check_months_still_unpaid(current)
        landlord = current.guarantee.lease.landlord
        # Only the approved IBAN: a proposed change is not the landlord's until a second
        # person approves it (housing.PayeeChange).
        if not landlord.iban:
            raise DomainError(
                _("Claim #%(number)s: the landlord has no approved IBAN to pay.")
                % {"number": current.pk}
            )
        return transition_run(
            queryset=_claims(),
            pk=current.pk,
            transition="send",
            actor=actor,
            by=actor,
            batch=batch,
            reference=payout_reference_new(),
            payee_iban=landlord.iban.replace(" ", "").upper(),
            update_fields=("sent_by", "payout_batch", "payout_reference", "payee_iban"),
            data={"batch": batch.message_id, "execution_date": execution_date.isoformat()},
        )


def claim_recall(*, actor, claim: Claim, note: str) -> Claim:
    """The bank will not execute the transfer (a cancelled batch, a rejected transfer): the
    payout goes back to approved, to be sent again in a new batch with a new end-to-end id."""
    reason = (note or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the recall."), field="note")
    with db_transaction.atomic():
        batch_id = _claims().filter(pk=claim.pk).values_list("payout_batch_id", flat=True).get()
        recalled = transition_run(
            queryset=_claims(),
            pk=claim.pk,
            transition="recall",
            actor=actor,
            note=reason,
            by=actor,
            update_fields=("sent_by", "payout_batch", "payout_reference", "payee_iban"),
        )
        claim_payout_order_supersede(actor=actor, claim=recalled, note=reason)
        # A file whose every payout was recalled will not be executed: it is cancelled too.
        batch = PayoutBatch.objects.filter(pk=batch_id, status=PayoutBatch.Status.SENT).first()
        if batch is not None and not batch.claims.exists():
            transition_run(
                queryset=PayoutBatch.objects.select_related("fund"),
                pk=batch.pk,
                transition="cancel",
                actor=actor,
                note=reason,
                by=actor,
                update_fields=("cancelled_by",),
            )
        return recalled


def payout_reference_new() -> str:
    """A payout's bank reference nobody can guess: the fund's reserved prefix, 64 random bits."""
    return f"{FUND_REFERENCE_PREFIX}{secrets.token_hex(8).upper()}"


def claim_payout_confirm(*, actor, claim: Claim, on: date, note: str = "") -> Claim:
    """The fund's bank statement shows a sent payout left the account on `on`: post it once —
    payout and exposure release in the ledger, a fund payment on the lease so its arrears
    shrink, the arrears case marked claimed, the household's recovery plan proposed.

    Called by the statement matching (fund.services.fund_bank) under the fund's lock."""
    with db_transaction.atomic():
        fund = locks.fund_lock(claim.guarantee.fund)
        # The lease right after the fund (row_lock takes the claim's parent, its lease, first):
        # payment_record locks the lease then the arrears case, and so do we.
        current = row_lock(_claims(), claim.pk)
        if current.status == Claim.Status.PAID:
            return current
        if current.status != Claim.Status.SENT:
            raise DomainError(_("Only a payout sent to the bank can be confirmed."))
        guarantee = Guarantee.objects.select_for_update(of=("self",)).get(pk=current.guarantee_id)
        if current.amount > guarantee_remaining_cover(guarantee):
            raise DomainError(_("The claim is more than the cover left on the guarantee."))
        today = on
        payout = transaction_post(
            fund=fund,
            lines=[(AccountCode.PAYOUTS, current.amount), (AccountCode.BANK, -current.amount)],
            actor=actor,
            description=_("Payout of claim #%(number)s") % {"number": current.pk},
            kind=Transaction.Kind.PAYOUT,
            reference=current,
            date=today,
            enforce_capacity=False,
        )
        exposure_release(
            fund=fund,
            amount=current.amount,
            actor=actor,
            reference=guarantee,
            description=_("Guarantee #%(guarantee)s: cover used by claim #%(claim)s")
            % {"guarantee": guarantee.pk, "claim": current.pk},
        )
        lease = Lease.objects.select_related("landlord").get(pk=guarantee.lease_id)
        case = (
            ArrearsCase.objects.open()
            .filter(lease=lease, status__in=["opened", "contacted", "plan_broken"])
            .first()
        )
        if case is not None:
            arrears_case_mark_claimed(
                actor=actor, case=case, note=_("Claim #%(number)s paid") % {"number": current.pk}
            )
        payment = payment_record(
            actor=actor,
            lease=lease,
            amount=current.amount,
            paid_on=today,
            method=Payment.Method.FUND_PAYOUT,
            payer=Payment.Payer.FUND,
            bank_reference=current.payout_reference,
            note=_("Guarantee fund, claim #%(number)s") % {"number": current.pk},
            fund_claim=current,
        )
        paid = transition_run(
            queryset=_claims(),
            pk=current.pk,
            transition="pay",
            actor=actor,
            note=note,
            by=actor,
            on=today,
            transaction=payout,
            payment=payment,
            update_fields=("paid_by", "paid_on", "payout_transaction", "payment"),
            data={
                "amount": str(current.amount.amount),
                "transaction": payout.pk,
                "payee_iban": current.payee_iban,
                "reference": current.payout_reference,
            },
        )
        # What the fund paid the landlord the household now owes the fund: its recovery plan
        # (proposed; a fund administrator sets the instalments with the household).
        recovery_plan_create(
            actor=actor,
            fund=fund,
            household=lease.household,
            amount=current.amount,
            payout_transaction=payout,
            lease=lease,
        )
        guarantee_exhaust_if_spent(actor=actor, guarantee=guarantee)
        claim_notify_landlord(paid, CLAIM_PAID)
        return paid
