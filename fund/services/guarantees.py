"""Guarantees: requested by an operator, approved against the fund's capacity, then followed
through the lease's life. Exposure moves in the ledger's memorandum accounts."""

from decimal import Decimal

from django.db import IntegrityError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, round_cents
from fund.models import Fund, Guarantee
from fund.selectors.guarantees import guarantee_remaining_cover
from fund.selectors.ledger import exposure_for_reference
from fund.services import locks
from fund.services.capacity import exposure_release, exposure_reserve
from housing.selectors import agreement_active_for
from tenancies.models import Lease


def _guarantees():
    return Guarantee.objects.all()


def guarantee_terms(*, fund: Fund, lease: Lease) -> tuple[int, object]:
    """(cover months, amount) the fund would guarantee for `lease` today, or a DomainError."""
    agreement = agreement_active_for(landlord=lease.landlord)
    if agreement is None:
        raise DomainError(
            _("The landlord has no active agreement with the programme: no guarantee is possible.")
        )
    months = agreement.cover_months or fund.cover_months
    amount = eur(round_cents(lease.rent.amount * Decimal(months)))
    cap = agreement.cap_per_lease if agreement.cap_per_lease else fund.cover_cap
    if amount > cap:
        amount = eur(cap.amount)
    if amount.amount <= 0:
        raise DomainError(_("A lease without rent cannot be guaranteed."))
    return months, amount


def guarantee_request(*, actor, fund: Fund, lease: Lease, note: str = "") -> Guarantee:
    """Ask the fund to guarantee `lease`: one open guarantee per lease, agreement required."""
    if lease.programme_id != fund.programme_id:
        raise DomainError(_("This lease belongs to another programme."))
    with db_transaction.atomic():
        lease = Lease.objects.select_for_update().select_related("landlord").get(pk=lease.pk)
        if lease.status not in (Lease.Status.DRAFT, Lease.Status.ACTIVE):
            raise DomainError(_("This lease has ended: it cannot be guaranteed."))
        if Guarantee.objects.filter(lease=lease, status__in=Guarantee.OPEN).exists():
            raise DomainError(_("This lease already has a guarantee."))
        months, amount = guarantee_terms(fund=fund, lease=lease)
        guarantee = Guarantee(
            fund=fund, lease=lease, cover_months=months, amount=amount, requested_by=actor
        )
        guarantee.full_clean(exclude=["status"], validate_constraints=False)
        try:
            with db_transaction.atomic():
                guarantee.save()
        except IntegrityError as error:
            raise DomainError(_("This lease already has a guarantee.")) from error
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=guarantee,
            verb="created",
            note=note,
            context=lease.household,
            data={"amount": str(amount.amount), "cover_months": months},
        )
        return guarantee


def guarantee_approve(*, actor, guarantee: Guarantee, note: str = "") -> Guarantee:
    """Approve and reserve the guarantee's exposure, or refuse if capacity or agreement lack."""
    with db_transaction.atomic():
        fund = locks.fund_lock(guarantee.fund)
        current = _guarantees().select_for_update().get(pk=guarantee.pk)
        if agreement_active_for(landlord=current.lease.landlord) is None:
            raise DomainError(
                _("The landlord's agreement is not active: the guarantee cannot be approved.")
            )
        approved = transition_run(
            queryset=_guarantees(),
            pk=current.pk,
            transition="approve",
            actor=actor,
            note=note,
            by=actor,
            at=timezone.now(),
            update_fields=("approved_by", "approved_at"),
        )
        exposure_reserve(
            fund=fund,
            amount=approved.amount,
            actor=actor,
            reference=approved,
            description=_("Guarantee #%(number)s approved") % {"number": approved.pk},
        )
        return approved


def guarantee_activate(*, actor, guarantee: Guarantee, note: str = "") -> Guarantee:
    """The approved guarantee starts covering the lease, which must be active."""
    return transition_run(
        queryset=_guarantees(), pk=guarantee.pk, transition="activate", actor=actor, note=note
    )


def _release_remaining(*, actor, guarantee: Guarantee, fund: Fund, why: str) -> None:
    remaining = exposure_for_reference(fund=fund, reference=guarantee)
    if remaining.amount > 0:
        exposure_release(
            fund=fund,
            amount=remaining,
            actor=actor,
            reference=guarantee,
            description=why,
        )


def _close(*, actor, guarantee: Guarantee, transition: str, note: str, why: str) -> Guarantee:
    with db_transaction.atomic():
        fund = locks.fund_lock(guarantee.fund)
        closed = transition_run(
            queryset=_guarantees(), pk=guarantee.pk, transition=transition, actor=actor, note=note
        )
        _release_remaining(actor=actor, guarantee=closed, fund=fund, why=why)
        return closed


def guarantee_release(*, actor, guarantee: Guarantee, note: str = "") -> Guarantee:
    """The lease ended: the guarantee stops and its remaining exposure is freed."""
    if guarantee.lease.status in (Lease.Status.DRAFT, Lease.Status.ACTIVE):
        raise DomainError(_("The lease is still running: release the guarantee when it ends."))
    return _close(
        actor=actor,
        guarantee=guarantee,
        transition="release",
        note=note,
        why=_("Guarantee #%(number)s released") % {"number": guarantee.pk},
    )


def guarantee_expire(*, actor, guarantee: Guarantee, note: str = "") -> Guarantee:
    """The guarantee's term ran out: it stops and its remaining exposure is freed."""
    return _close(
        actor=actor,
        guarantee=guarantee,
        transition="expire",
        note=note,
        why=_("Guarantee #%(number)s expired") % {"number": guarantee.pk},
    )


def guarantee_cancel(*, actor, guarantee: Guarantee, note: str) -> Guarantee:
    """Withdraw a guarantee before it starts; an approved one frees its exposure."""
    if not (note or "").strip():
        raise DomainError(_("Give the reason for cancelling."), field="note")
    return _close(
        actor=actor,
        guarantee=guarantee,
        transition="cancel",
        note=note,
        why=_("Guarantee #%(number)s cancelled") % {"number": guarantee.pk},
    )


def guarantee_exhaust_if_spent(*, actor, guarantee: Guarantee) -> Guarantee:
    """Mark an active guarantee exhausted once paid claims used up its whole cover."""
    current = Guarantee.objects.get(pk=guarantee.pk)
    if current.status != Guarantee.Status.ACTIVE or guarantee_remaining_cover(current).amount > 0:
        return current
    return transition_run(
        queryset=_guarantees(),
        pk=current.pk,
        transition="exhaust",
        actor=actor,
        check_permission=False,
        note=_("Cover used up by paid claims."),
    )
