"""Recording payments and settling dues with them: the oldest month first, or the rent first
when the tenant says so (art. 1193 c.c.)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.duties import task_sync
from common.exceptions import DomainError
from common.money import eur
from tenancies.models import Allocation, ArrearsCase, Lease, Payment, RentDue
from tenancies.rent.allocation import OpenParts, allocate_imputed
from tenancies.selectors.rent import (
    dues_with_settlement,
    last_paid_on,
    lease_open_dues,
    payment_unallocated,
)
from tenancies.services.arrears_history import arrears_month_ends_forget
from tenancies.services.risk import lease_risk_forget

ZERO = Decimal("0.00")

# Bank references the guarantee fund gives its payouts (fund.services.claims); nobody else may
# record one, so an operator can neither fake a fund payout nor take a payout's reference first.
FUND_REFERENCE_PREFIX = "FONDO-"


def _duplicate_reference(bank_reference: str) -> DomainError:
    return DomainError(
        _("A payment with bank reference “%(ref)s” is already recorded.") % {"ref": bank_reference},
        field="bank_reference",
    )


def _check_fund_payment(
    *, lease: Lease, amount, method: str, payer: str, bank_reference: str, fund_claim
) -> None:
    """A fund payout only from the claim it pays, once the bank executed it (the fund's
    claim_payout_confirm passes `fund_claim`); everything else stays out of the fund's
    methods, payer and reference namespace."""
    by_fund = method == Payment.Method.FUND_PAYOUT or payer == Payment.Payer.FUND
    if fund_claim is None:
        if by_fund:
            raise DomainError(
                _(
                    "Guarantee fund payments are recorded by the fund itself when it pays a "
                    "claim, never by hand."
                ),
                field="method" if method == Payment.Method.FUND_PAYOUT else "payer",
            )
        if bank_reference.upper().startswith(FUND_REFERENCE_PREFIX):
            raise DomainError(
                _("Bank references starting with “%(prefix)s” are reserved to the guarantee fund.")
                % {"prefix": FUND_REFERENCE_PREFIX},
                field="bank_reference",
            )
        return
    if not (
        method == Payment.Method.FUND_PAYOUT
        and payer == Payment.Payer.FUND
        and fund_claim.status == "sent"
        and fund_claim.guarantee.lease_id == lease.pk
        and fund_claim.amount == amount
        and fund_claim.payout_reference
        and bank_reference == fund_claim.payout_reference
    ):
        raise DomainError(_("This fund payment does not match the claim payout sent to the bank."))


def payment_record(
    *,
    actor,
    lease: Lease,
    amount,
    paid_on: date,
    method: str,
    payer: str,
    bank_reference: str = "",
    note: str = "",
    imputation: str = Payment.Imputation.OLDEST_FIRST,
    idempotency_key: str = "",
    fund_claim=None,
) -> Payment:
    """Record money received for a lease and settle its open dues; the rest is credit.

    The law's order unless the tenant declared otherwise (`imputation`, art. 1193 c.c.): the
    oldest month first (its rent, then its charges); with RENT_FIRST the rent of every open
    month before any charges.

    A bank reference already used in the programme is refused, so the same transfer is never
    counted twice; the same `idempotency_key` (the form's one-time token) returns the payment
    it booked, marked `replayed`, instead of booking again. A guarantee fund payout is recorded
    only by the fund paying `fund_claim`. Cures the lease's arrears case when nothing overdue is
    left.
    """
    amount = eur(amount)
    if amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    bank_reference = bank_reference.strip()
    idempotency_key = idempotency_key.strip()
    with transaction.atomic():
        lease = Lease.objects.select_for_update().get(pk=lease.pk)
        if idempotency_key:
            # Under the lease lock: a second submit of the same form waits for the first.
            earlier = Payment.objects.filter(
                programme_id=lease.programme_id, idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                if earlier.lease_id != lease.pk:
                    raise DomainError(
                        _("This form was already used for another lease: open the form again.")
                    )
                earlier.replayed = True
                return earlier
        _check_fund_payment(
            lease=lease,
            amount=amount,
            method=method,
            payer=payer,
            bank_reference=bank_reference,
            fund_claim=fund_claim,
        )
        if lease.status == Lease.Status.DRAFT:
            raise DomainError(_("A draft lease cannot receive payments: activate it first."))
        if (
            bank_reference
            and Payment.objects.filter(
                programme_id=lease.programme_id, bank_reference=bank_reference
            ).exists()
        ):
            raise _duplicate_reference(bank_reference)
        payment = Payment(
            programme_id=lease.programme_id,
            lease=lease,
            amount=amount,
            paid_on=paid_on,
            method=method,
            payer=payer,
            bank_reference=bank_reference,
            note=note,
            imputation=imputation,
            idempotency_key=idempotency_key,
            recorded_by=actor,
        )
        payment.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError as error:  # a concurrent request took the reference or the token
            if (
                bank_reference
                and Payment.objects.filter(
                    programme_id=lease.programme_id, bank_reference=bank_reference
                ).exists()
            ):
                raise _duplicate_reference(bank_reference) from error
            raise DomainError(
                _("This form was already used for another lease: open the form again.")
            ) from error
        payment.replayed = False
        _allocate(payment=payment, amount=amount.amount, lease=lease)
        audit_record(
            actor=actor,
            programme=lease.programme,
            target=payment,
            verb="created",
            context=lease.household,
            data={
                "amount": str(amount.amount),
                "payer": payer,
                "method": method,
                "imputation": imputation,
            },
        )
        from tenancies.services.arrears import arrears_cure_if_settled

        arrears_cure_if_settled(lease=lease, on=paid_on)
        return payment


def rent_dues_settle(*, dues) -> int:
    """Mark the dues of the `dues` queryset that their allocations now pay in full as settled,
    on the day of the money that completed them; returns how many."""
    return (
        dues_with_settlement(dues.filter(settled_on__isnull=True))
        .filter(settles_on__isnull=False)
        .update(settled_on=last_paid_on())
    )


def _allocate(*, payment: Payment, amount: Decimal, lease: Lease) -> Decimal:
    dues = lease_open_dues(lease=lease)
    open_dues = [
        OpenParts(due.pk, max(due.rent_outstanding, ZERO), max(due.charges_outstanding, ZERO))
        for due in dues
    ]
    allocations, credit = allocate_imputed(
        amount, open_dues, rent_first=payment.imputation == Payment.Imputation.RENT_FIRST
    )
    Allocation.objects.bulk_create(
        Allocation(payment=payment, due_id=due_id, part=part, amount=eur(paid))
        for due_id, part, paid in allocations
    )
    if credit <= 0 and not payment.allocated_in_full:
        payment.allocated_in_full = True
        Payment.objects.filter(pk=payment.pk).update(allocated_in_full=True)
    if allocations:
        # Money paid on a day counts at every month-end from that day on, for the dues that
        # fell due before it: a backdated payment changes past points of the desk's chart.
        paid_dues = {due_id for due_id, _part, _paid in allocations}
        rent_dues_settle(dues=RentDue.objects.filter(pk__in=paid_dues))
        first_due = min(due.due_date for due in dues if due.pk in paid_dues)
        arrears_month_ends_forget(
            programme_id=lease.programme_id,
            since=max(payment.paid_on, first_due + timedelta(days=1)),
        )
        # Money that meets a plan's instalment moves its task to the next one.
        for case in ArrearsCase.objects.filter(
            lease=lease, status=ArrearsCase.Status.PLAN_AGREED
        ).select_related("lease__household"):
            task_sync(record=case)
    lease_risk_forget(lease_id=lease.pk)
    return credit


def lease_apply_credit(*, lease: Lease) -> None:
    """Settle newly created dues with money already received and not yet allocated (credit),
    oldest payment first. Called after dues are created; caller holds the lease lock."""
    for payment in lease.payments.filter(allocated_in_full=False).order_by("paid_on", "id"):
        left = payment_unallocated(payment=payment)
        if left > 0:
            _allocate(payment=payment, amount=left, lease=lease)
