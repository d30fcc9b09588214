"""API keys of landlord users: created (the secret shown once), revoked, stamped when used."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.roles import Role, holds_role
from fund.models.api_tokens import API_TOKEN_SCHEME, ApiToken, api_token_hash

# A key in use is stamped at most once a minute: the list says when it was last used without
# a write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Enough for one key per system and a spare while rotating; a runaway script does not pile up.
MAX_USABLE_TOKENS = 10


def api_token_create(*, actor, programme, name: str) -> tuple[ApiToken, str]:
    """A new key for `actor` in `programme`, who must be a landlord there. Returns the row and
    the key itself, which is never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            _("Give the key a name, e.g. the software that will use it."), field="name"
        )
    if not holds_role(actor, programme.pk, Role.LANDLORD):
        raise DomainError(_("Only landlords may create API keys."))
    with transaction.atomic():
        usable = ApiToken.objects.usable().filter(user=actor, programme=programme)
        if usable.count() >= MAX_USABLE_TOKENS:
            raise DomainError(
                _("You already have %(count)s keys in use: revoke one first.")
                % {"count": MAX_USABLE_TOKENS},
                field="name",
            )
        prefix = secrets.token_hex(4)
        plain = f"{API_TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken(
            user=actor,
            programme=programme,
            name=name,
            prefix=prefix,
            key_hash=api_token_hash(plain),
        )
        token.full_clean()
        token.save()
        audit_record(
            actor=actor,
            programme=programme,
            target=token,
            verb="api_token_created",
            data={"name": name, "prefix": prefix},
        )
    return token, plain


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Stop the key at once; revoking twice changes nothing. Only its owner revokes it."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk:
            raise DomainError(_("You may only revoke your own keys."))
        if token.is_revoked:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            programme=token.programme,
            target=token,
            verb="api_token_revoked",
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record that the key was just used (at most once per LAST_USED_RESOLUTION)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
