"""Writes about landlords."""

from django.db import transaction

from common.models import Programme
from housing.models import Landlord, PayeeChange
from housing.services._base import apply_changes, audit_write, clean_or_refuse
from housing.services.payees import payee_change_propose
from housing.validators import normalise_iban, normalise_tax_code

LANDLORD_FIELDS = {
    "kind",
    "name",
    "contact_person",
    "tax_code",
    "iban",
    "address",
    "municipality",
    "email",
    "phone",
}


def _normalise(fields: dict) -> dict:
    fields = dict(fields)
    if "tax_code" in fields:
        fields["tax_code"] = normalise_tax_code(fields["tax_code"])
    if "iban" in fields:
        fields["iban"] = normalise_iban(fields["iban"])
    return fields


def landlord_create(*, actor, programme: Programme, users=(), **fields) -> Landlord:
    """Register a landlord after checking its tax code and IBAN; nothing is saved if invalid."""
    fields = _normalise(fields)
    apply_changes(Landlord(), fields, LANDLORD_FIELDS)  # refuses unknown fields early
    with transaction.atomic():
        landlord = Landlord(programme=programme, **fields)
        clean_or_refuse(landlord)
        landlord.save()
        if users:
            landlord.users.set(users)
        audit_write(actor=actor, obj=landlord, verb="created")
        return landlord


def landlord_update(*, actor, landlord: Landlord, users=None, **fields) -> Landlord:
    """Change a landlord's details; records which fields changed. A different IBAN is not
    applied: it becomes a proposal (`payee_change_propose`) a fund administrator approves."""
    fields = _normalise(fields)
    with transaction.atomic():
        landlord = Landlord.objects.select_for_update().get(pk=landlord.pk)
        iban = fields.pop("iban", None)
        if iban is not None and iban != landlord.iban and not _proposed(landlord, iban):
            payee_change_propose(actor=actor, landlord=landlord, iban=iban)
        changes = apply_changes(landlord, fields, LANDLORD_FIELDS)
        users_changed = False
        if users is not None:
            users_changed = set(landlord.users.all()) != set(users)
        if not changes and not users_changed:
            return landlord
        clean_or_refuse(landlord)
        if changes:
            landlord.save(update_fields=list(changes))
        if users_changed:
            landlord.users.set(users)
            changes["users"] = sorted(u.get_username() for u in users)
        audit_write(actor=actor, obj=landlord, verb="updated", data={"changes": changes})
        return landlord


def _proposed(landlord: Landlord, iban: str) -> bool:
    # The form shows the approved IBAN: saving it again with a proposal open is no new change.
    return landlord.payee_changes.filter(status=PayeeChange.Status.PROPOSED, iban=iban).exists()


def landlord_link_user(*, actor, landlord: Landlord, user) -> Landlord:
    """Let `user` act for `landlord` in the landlord pages."""
    with transaction.atomic():
        landlord = Landlord.objects.select_for_update().get(pk=landlord.pk)
        if landlord.users.filter(pk=user.pk).exists():
            return landlord
        landlord.users.add(user)
        audit_write(
            actor=actor, obj=landlord, verb="login_linked", data={"user": user.get_username()}
        )
        return landlord
