"""Keys a landlord's software (an estate agency's management system) uses for the REST API.

Only the SHA-256 of the secret is stored: the key is shown once, when it is created, and a
leaked database gives nobody a working key. A key belongs to one user in one programme and
reaches what that user's landlord pages reach there, nothing more."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Keys read "fgc_<prefix>_<secret>": the prefix names the key in the list without revealing it.
API_TOKEN_SCHEME = "fgc"


def api_token_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """One API key of a landlord user in a programme; revoked keys stay listed, unusable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({API_TOKEN_SCHEME}_{self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def programme_for_audit(self):
        return self.programme
