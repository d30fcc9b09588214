"""Guarantee certificates (lettere di garanzia): what the fund declared to a landlord, as issued.

A certificate is a snapshot (DESIGN.md, invariant 7): its facts and its PDF are written once
and never change; a correction is a new version that voids the previous one. Whether the
guarantee is still in force is never part of the snapshot: the verification page reads it live.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel, ProgrammeQuerySet

# No 0/O, 1/I/L: a code read aloud over the phone or typed from paper is never ambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 31**16 ≈ 2**79: not guessable, even without the rate limit
CODE_GROUP = 4


def certificate_code_new() -> str:
    """A fresh verification code, as stored: upper case, no separators."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_code_normalise(raw: str) -> str:
    """What a person typed, as stored: separators and spaces dropped, upper case."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:64]


def certificate_code_is_wellformed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def certificate_code_grouped(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: how the code is printed and shown."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def certificate_verification_url(code: str) -> str:
    """The public page a bank or a court officer opens from the QR code, absolute."""
    path = reverse("verify:certificate", args=[certificate_code_grouped(code)])
    return settings.SITE_URL.rstrip("/") + path


class GuaranteeCertificateQuerySet(ProgrammeQuerySet):
    programme_path = "guarantee__fund__programme"

    def current(self):
        return self.filter(voided_at__isnull=True)


class GuaranteeCertificate(AuditedModel):
    """One issued version of a guarantee's certificate: its facts, code and PDF, frozen."""

    guarantee = models.ForeignKey(
        "fund.Guarantee",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("guarantee"),
    )
    version = models.PositiveSmallIntegerField(_("version"))
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    facts = models.JSONField(_("facts"), editable=False)
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("issued by"),
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("voided by"),
    )

    objects = GuaranteeCertificateQuerySet.as_manager()

    class Meta:
        ordering = ["guarantee", "-version"]
        verbose_name = _("guarantee certificate")
        verbose_name_plural = _("guarantee certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee", "version"], name="certificate_version_unique"
            ),
            models.UniqueConstraint(
                fields=["guarantee"],
                condition=models.Q(voided_at__isnull=True),
                name="certificate_one_current_per_guarantee",
            ),
        ]

    def __str__(self):
        return _("Certificate %(code)s (version %(version)s)") % {
            "code": self.code_grouped,
            "version": self.version,
        }

    @property
    def code_grouped(self) -> str:
        return certificate_code_grouped(self.code)

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def programme_for_audit(self):
        return self.guarantee.fund.programme

    def audit_context(self):
        return self.guarantee

    def get_absolute_url(self):
        return reverse("verify:certificate", args=[self.code_grouped])

    def verification_url(self) -> str:
        return certificate_verification_url(self.code)
