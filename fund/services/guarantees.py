"""Guarantees: requested by an operator, approved against the fund's capacity, then followed
through the lease's life. Exposure moves in the ledger's memorandum accounts.

Whether a step may happen is the transition's business (fund.models.guarantees); these services
re-check under lock what needs it, in the order fund → lease → guarantee (fund.services.locks).
"""

from decimal import Decimal

from django.db import IntegrityError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import row_lock, transition_run
from common.money import eur, round_cents
from fund.models import Fund, Guarantee
from fund.models.guarantees import lease_has_ended
from fund.notifications import (
    GUARANTEE_ACTIVATED,
    GUARANTEE_APPROVED,
    GUARANTEE_RELEASED,
    guarantee_notify_landlord,
)
from fund.selectors.eligibility import lease_guarantee_problems
from fund.selectors.guarantees import guarantee_remaining_cover
from fund.selectors.ledger import exposure_for_reference, fund_figures
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
    """Ask the fund to guarantee `lease`: one open guarantee per lease, for an enrolled household
    on a lease that passes the landlord agreement's check."""
    if lease.programme_id != fund.programme_id:
        raise DomainError(_("This lease belongs to another programme."))
    with db_transaction.atomic():
        lease = locks.lease_lock(lease.pk)
        problems = lease_guarantee_problems(lease)
        if problems:
            raise DomainError(" ".join(str(problem) for problem in problems))
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
    """Approve and reserve the guarantee's exposure: refused when the household is not enrolled,
    the lease fails the agreement's check, or the fund's capacity (under its lock) is short."""
    with db_transaction.atomic():
        fund = locks.fund_lock(guarantee.fund)
        current = row_lock(_guarantees().select_related("lease__landlord"), guarantee.pk)
        if current.status == Guarantee.Status.REQUESTED:
            problems = lease_guarantee_problems(current.lease)
            if problems:
                raise DomainError(" ".join(str(problem) for problem in problems))
            capacity = fund_figures(fund=fund).capacity
            if current.amount > capacity:
                raise DomainError(
                    _("Not enough capacity: %(amount)s requested, %(capacity)s available.")
                    % {"amount": current.amount, "capacity": capacity}
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
        guarantee_notify_landlord(approved, GUARANTEE_APPROVED)
        return approved


def guarantee_activate(*, actor, guarantee: Guarantee, note: str = "") -> Guarantee:
    """The approved guarantee starts covering the lease, which must be active, and its
    certificate is issued in the same transaction (its PDF is rendered after the commit)."""
    from fund.services.certificates import certificate_issue_on_activation

    with db_transaction.atomic():
        active = transition_run(
            queryset=_guarantees().select_related(
                "fund__programme", "lease__landlord", "lease__dwelling", "lease__household"
            ),
            pk=guarantee.pk,
            transition="activate",
            actor=actor,
            note=note,
        )
        certificate_issue_on_activation(actor=actor, guarantee=active)
        guarantee_notify_landlord(active, GUARANTEE_ACTIVATED)
        return active


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
    if not lease_has_ended(guarantee):
        raise DomainError(_("The lease is still running: release the guarantee when it ends."))
    with db_transaction.atomic():
        released = _close(
            actor=actor,
            guarantee=guarantee,
            transition="release",
            note=note,
            why=_("Guarantee #%(number)s released") % {"number": guarantee.pk},
        )
        guarantee_notify_landlord(released, GUARANTEE_RELEASED)
        return released


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
