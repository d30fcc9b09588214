"""Letters the fund issues on a claim: the decision (approved with its amounts, or rejected
with its reason) addressed to the landlord, and the payout order (ordine di pagamento) for the
fund's accounts when the payout is sent to the bank.

A letter is a snapshot (DESIGN.md, invariant 7): its facts, its PDF in storage and the PDF's
SHA-256 are written once, in the transaction of the step that issues it, and never change. A
decision or payout that is overtaken (an approval followed by a rejection, a payout recalled
from the bank and sent again) gets a new version; the old one is kept, marked superseded.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import AuditedModel, ProgrammeQuerySet

REFERENCE_PREFIX = "FG"


def letter_reference(year: int, number: int) -> str:
    """FG-2026-0001: the fund's register number of a letter, as printed."""
    return f"{REFERENCE_PREFIX}-{year}-{number:04d}"


class ClaimLetterQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"

    def current(self):
        return self.filter(superseded_at__isnull=True)

    def decisions(self):
        return self.filter(kind=ClaimLetter.Kind.DECISION)

    def payout_orders(self):
        return self.filter(kind=ClaimLetter.Kind.PAYOUT_ORDER)


class ClaimLetter(AuditedModel):
    """One issued letter on a claim: its register number, facts, PDF file and fingerprint."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision letter")
        PAYOUT_ORDER = "payout_order", _("Payout order")

    class Outcome(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("claim decision", "Approved")
        REJECTED = "rejected", pgettext_lazy("claim decision", "Rejected")
        NONE = "", _("No decision")

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="+", verbose_name=_("fund")
    )
    claim = models.ForeignKey(
        "fund.Claim", on_delete=models.PROTECT, related_name="letters", verbose_name=_("claim")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    version = models.PositiveSmallIntegerField(_("version"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    facts = models.JSONField(_("facts"), editable=False)
    file = models.FileField(_("PDF"), upload_to="fund/letters/%Y/", max_length=255)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, editable=False)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = ClaimLetterQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "kind", "-version"]
        verbose_name = _("claim letter")
        verbose_name_plural = _("claim letters")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "year", "number"], name="claimletter_number_unique"
            ),
            models.UniqueConstraint(
                fields=["claim", "kind", "version"], name="claimletter_version_unique"
            ),
            models.UniqueConstraint(
                fields=["claim", "kind"],
                condition=models.Q(superseded_at__isnull=True),
                name="claimletter_one_current_per_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="decision", outcome__in=["approved", "rejected"])
                    | models.Q(kind="payout_order", outcome="")
                ),
                name="claimletter_outcome_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    def programme_for_audit(self):
        return self.fund.programme

    def audit_context(self):
        return self.claim

    def filename(self) -> str:
        stem = "lettera-di-decisione" if self.kind == self.Kind.DECISION else "ordine-di-pagamento"
        return f"{stem}-{self.reference}-v{self.version}.pdf"

    def get_absolute_url(self):
        return reverse("fund:claim_letter", args=[self.claim_id, self.pk])

    def landlord_url(self):
        return reverse("fund:my_claim_letter", args=[self.claim_id, self.pk])
