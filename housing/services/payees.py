"""Four eyes on a landlord's bank details: a new IBAN is proposed, and applied only when a
fund administrator other than the proposer approves it (payout fraud starts with one)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.fsm import transition_run
from housing.models import Landlord, PayeeChange
from housing.models._access import is_staff_of
from housing.services._base import audit_write, clean_or_refuse
from housing.validators import normalise_iban


def payee_change_propose(*, actor, landlord: Landlord, iban: str, reason: str = "") -> PayeeChange:
    """Record a new IBAN for `landlord` as a proposal: payouts keep the approved IBAN until a
    second person, a fund administrator, approves it (`payee_change_approve`)."""
    iban = normalise_iban(iban or "")
    with transaction.atomic():
        landlord = Landlord.objects.select_for_update().get(pk=landlord.pk)
        if not is_staff_of(landlord.programme_id, actor):
            raise DomainError(_("Only the programme's staff can change a landlord's IBAN."))
        if not iban:
            raise DomainError(
                _("An IBAN cannot be removed: propose the new one instead."), field="iban"
            )
        if iban == landlord.iban:
            raise DomainError(_("That is the IBAN already approved."), field="iban")
        if landlord.payee_changes.filter(status=PayeeChange.Status.PROPOSED).exists():
            raise DomainError(
                _("A change of IBAN is already awaiting a fund administrator."), field="iban"
            )
        change = PayeeChange(
            landlord=landlord,
            iban_before=landlord.iban,
            iban=iban,
            reason=(reason or "").strip(),
            proposed_by=actor,
        )
        clean_or_refuse(change, exclude=["status"])
        change.save()
        audit_write(
            actor=actor,
            obj=change,
            verb="payee_change_proposed",
            data={"before": landlord.iban, "after": iban},
        )
        return change


def payee_change_approve(*, actor, change: PayeeChange, note: str = "") -> PayeeChange:
    """A fund administrator other than the proposer approves: the new IBAN is the one payouts
    use from now on."""
    with transaction.atomic():
        # transition_run locks the landlord (the workflow's parent) then the change.
        approved = transition_run(
            queryset=PayeeChange.objects.select_related("landlord"),
            pk=change.pk,
            transition="approve",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at"),
            by=actor,
            at=timezone.now(),
        )
        landlord = Landlord.objects.select_for_update().get(pk=approved.landlord_id)
        before = landlord.iban
        landlord.iban = approved.iban
        clean_or_refuse(landlord)
        landlord.save(update_fields=["iban"])
        audit_write(
            actor=actor,
            obj=landlord,
            verb="iban_changed",
            note=note,
            data={
                "before": before,
                "after": landlord.iban,
                "proposed_by": approved.proposed_by_id,
                "change": approved.pk,
            },
        )
        return approved


def payee_change_reject(*, actor, change: PayeeChange, note: str = "") -> PayeeChange:
    """Turn a proposed IBAN down: the approved one stays."""
    return transition_run(
        queryset=PayeeChange.objects.select_related("landlord"),
        pk=change.pk,
        transition="reject",
        actor=actor,
        note=note,
        update_fields=("decided_by", "decided_at"),
        by=actor,
        at=timezone.now(),
    )
