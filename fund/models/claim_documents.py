"""The papers a claim rests on (payment demand, lease, registered letter), filed by the landlord
with the claim or when the fund asks for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel, ProgrammeQuerySet


class ClaimDocumentQuerySet(ProgrammeQuerySet):
    programme_path = "claim__guarantee__fund__programme"


class ClaimDocument(AuditedModel):
    """One checked file of a claim, stored privately under a random name (common.uploads)."""

    class Kind(models.TextChoices):
        PAYMENT_DEMAND = "payment_demand", _("Payment demand")
        LEASE = "lease", _("Lease")
        RENT_LEDGER = "rent_ledger", _("Statement of unpaid rent")
        OTHER = "other", _("Other")

    claim = models.ForeignKey(
        "fund.Claim", on_delete=models.PROTECT, related_name="documents", verbose_name=_("claim")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="fund/claims/%Y/", max_length=255)
    content_type = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ClaimDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.claim})"

    def programme_for_audit(self):
        return self.claim.guarantee.fund.programme

    def audit_context(self):
        return self.claim.guarantee.lease.household
