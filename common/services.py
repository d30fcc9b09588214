"""Writes about programmes and their staff. Each service audits inside its transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.models import Membership, Programme
from common.roles import Role

PROGRAMME_FIELDS = {
    "name",
    "slug",
    "lead_organisation",
    "municipalities",
    "description",
    "is_active",
    "retention_years",
}


def programme_create(*, actor, name: str, slug: str, municipalities=(), **fields) -> Programme:
    """Create a programme, with its audit event."""
    with transaction.atomic():
        programme = Programme(name=name, slug=slug, municipalities=list(municipalities), **fields)
        programme.full_clean()
        programme.save()
        audit_record(actor=actor, programme=programme, target=programme, verb="created")
        return programme


def programme_update(*, actor, programme: Programme, **fields) -> Programme:
    """Change a programme's details; records which fields changed (nothing when none did)."""
    unknown = set(fields) - PROGRAMME_FIELDS
    if unknown:
        raise TypeError(f"Fields not editable here: {sorted(unknown)}")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        changes = {}
        for name, value in fields.items():
            old = getattr(programme, name)
            if old != value:
                changes[name] = [str(old), str(value)]
                setattr(programme, name, value)
        if not changes:
            return programme
        programme.full_clean()
        programme.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            programme=programme,
            target=programme,
            verb="updated",
            data={"changes": changes},
        )
        return programme


def membership_grant(*, actor, user, programme: Programme, role: str) -> Membership:
    """Give `user` the `role` in `programme`, replacing any other role they held there.

    Locks the user's row first, so concurrent grants to the same user run one after the other;
    granting the role the user already holds changes nothing and records nothing.
    """
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        membership = (
            Membership.objects.select_for_update().filter(user=user, programme=programme).first()
        )
        if membership is not None and membership.role == role:
            return membership
        if not user.is_active:
            raise DomainError(
                _("%(user)s's account is deactivated: it cannot be given a role.")
                % {"user": user.get_username()},
                field="user",
            )
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


def membership_revoke(*, actor, membership: Membership, reason: str) -> None:
    """Remove a user's role in a programme, saying why; the audit event keeps the trace.

    Revoking a membership that is already gone does nothing (a repeated click is harmless).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the role is revoked."), field="reason")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=membership.user_id).first()
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "programme")
            .filter(pk=membership.pk)
            .first()
        )
        if membership is None:
            return
        # The event points at the programme: the membership row is about to disappear.
        audit_record(
            actor=actor,
            programme=membership.programme,
            target=membership.programme,
            verb="role_revoked",
            from_state=membership.role,
            note=reason,
            data={"user": membership.user.get_username(), "field": "role"},
        )
        membership.delete()
