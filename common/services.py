"""Writes about programmes and their staff. Each service audits inside its transaction."""

from base64 import b32decode

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


# How a device set up on the set-up page is named in the admin.
TOTP_DEVICE_NAME = "authenticator"


def totp_device_for_setup(*, user):
    """The authenticator `user` is setting up: an unconfirmed TOTP device with a fresh random
    secret, made once, so reloading the set-up page shows the same QR code. Refused once the
    user has a confirmed device: a second one is added by an administrator, never by whoever
    knows the password."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise DomainError(_("Your authenticator app is already set up."))
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
            device.full_clean()
            device.save()
        return device


def totp_device_confirm(*, user, token: str):
    """Confirm the device being set up with a code it shows, so from now on logging in asks
    for its codes; the event is audited in each programme where `user` runs the fund.
    A wrong code is refused and counted by django-otp's throttling."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise DomainError(_("There is no authenticator being set up: start again."))
        # verify_token records a failure (throttling) itself; it must survive the refusal.
        accepted = device.verify_token(token)
        if accepted:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            for membership in Membership.objects.filter(user=user, role=Role.FUND_ADMIN):
                audit_record(
                    actor=user,
                    programme=membership.programme,
                    target=membership,
                    verb="two_factor_enabled",
                    data={"user": user.get_username()},
                )
    if not accepted:
        raise DomainError(_("Wrong code: type the one your app shows now."), field="code")
    return device


def totp_verify(*, user, token: str):
    """The user's confirmed device if `token` is its current code (each code works once),
    else a refusal; django-otp throttles repeated failures."""
    from django_otp import verify_token

    from common.selectors import totp_device_confirmed

    device = totp_device_confirmed(user=user)
    if device is None:
        raise DomainError(_("Your authenticator app is not set up yet."))
    verified = verify_token(user, device.persistent_id, token)
    if verified is None:
        raise DomainError(_("Wrong code: type the one your app shows now."), field="code")
    return verified


def totp_device_provision(*, user, secret_base32: str):
    """Give `user` a confirmed authenticator with a secret known beforehand (the demo's, or
    one an administrator enrolled for them); an existing confirmed device is kept as is."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = b32decode(secret_base32.replace(" ", "")).hex()
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
            device.full_clean()
            device.save()
        return device
