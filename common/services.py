"""Writes about programmes and their staff. Each service audits inside its transaction."""

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.models import Membership, Programme
from common.roles import Role


def programme_create(*, actor, name: str, slug: str, municipalities=(), **fields) -> Programme:
    """Create a programme, with its audit event."""
    with transaction.atomic():
        programme = Programme(name=name, slug=slug, municipalities=list(municipalities), **fields)
        programme.full_clean()
        programme.save()
        audit_record(actor=actor, programme=programme, target=programme, verb="created")
        return programme


def membership_grant(*, actor, programme: Programme, user, role: str) -> Membership:
    """Give `user` the `role` in `programme` (replacing any other role they held there)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update().filter(user=user, programme=programme).first()
        )
        if membership is not None and membership.role == role:
            return membership
        before = membership.role if membership else ""
        if membership is None:
            membership = Membership(user=user, programme=programme, role=role)
            membership.full_clean()
            membership.save()
        else:
            membership.role = role
            membership.full_clean()
            membership.save(update_fields=["role"])
        audit_record(
            actor=actor,
            programme=programme,
            target=membership,
            verb="role_granted",
            from_state=before,
            to_state=role,
            data={"user": user.get_username(), "field": "role"},
        )
        return membership


def membership_revoke(*, actor, membership: Membership, note: str = "") -> None:
    """Remove a user's role in a programme; the audit event keeps the trace."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        audit_record(
            actor=actor,
            programme=membership.programme,
            target=membership.programme,
            verb="role_revoked",
            from_state=membership.role,
            note=note,
            data={"user": membership.user.get_username(), "field": "role"},
        )
        membership.delete()
