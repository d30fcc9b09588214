"""The programme's legal-clock settings and the operator's calendar-feed secret."""

import hashlib
import secrets

from django.db import transaction

from common.audit import audit_record
from tenancies import legal_clock
from tenancies.models import CalendarToken, EvictionPolicy


def eviction_policy_for(*, programme_id) -> EvictionPolicy:
    """The programme's legal-clock settings, created with the law's defaults the first time."""
    policy, _created = EvictionPolicy.objects.get_or_create(programme_id=programme_id)
    return policy


def eviction_rules_for(*, programme_id) -> legal_clock.ClockRules:
    return eviction_policy_for(programme_id=programme_id).rules()


def eviction_policy_update(*, actor, policy, data: dict) -> EvictionPolicy:
    """Change the programme's legal-clock numbers, only where the law leaves room (the model's
    `clean`); the change is on the audit trail, old and new value.

    Compares with the row as stored, locked: the `policy` passed in may already carry the new
    values (a ModelForm writes them on its instance while validating), and comparing with it
    found no change and saved nothing while the page said "saved"."""
    with transaction.atomic():
        policy = EvictionPolicy.objects.select_for_update().get(pk=policy.pk)
        changed = {}
        for name, value in data.items():
            before = getattr(policy, name)
            if before != value:
                changed[name] = {"from": str(before), "to": str(value)}
                setattr(policy, name, value)
        if not changed:
            return policy
        policy.full_clean()
        policy.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            programme=policy.programme,
            target=policy,
            verb="updated",
            data=changed,
        )
        return policy


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_token_issue(*, user, programme) -> str:
    """A new secret for the user's calendar feed in the programme; the old address stops
    working. The secret itself is returned once and never stored."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        CalendarToken.objects.filter(user=user, programme=programme).delete()
        CalendarToken.objects.create(
            user=user, programme=programme, token_hash=calendar_token_hash(token)
        )
        audit_record(
            actor=user,
            programme=programme,
            target=user,
            verb="calendar_token_issued",
        )
    return token


def calendar_token_revoke(*, user, programme) -> bool:
    """Stop the user's calendar address in the programme; False if there was none."""
    with transaction.atomic():
        deleted, _detail = CalendarToken.objects.filter(user=user, programme=programme).delete()
        if not deleted:
            return False
        audit_record(actor=user, programme=programme, target=user, verb="calendar_token_revoked")
    return True


def calendar_tokens_revoke_all(*, user, actor=None) -> int:
    """Stop every calendar address of the user, in every programme (after a password change:
    an address copied before it must not outlive it). Returns how many were stopped."""
    with transaction.atomic():
        tokens = list(CalendarToken.objects.filter(user=user).select_related("programme"))
        for token in tokens:
            token.delete()
            audit_record(
                actor=actor,
                programme=token.programme,
                target=user,
                verb="calendar_token_revoked",
                data={"because": "password_changed"},
            )
    return len(tokens)
