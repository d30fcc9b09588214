from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet

EXPIRY_WARNING_DAYS = 30


def document_upload_to(instance, filename: str) -> str:
    # The stored name never reuses the uploader's file name (it may hold personal data).
    return (
        f"households/{instance.household_id}/{instance.kind}-{instance.token}.{instance.extension}"
    )


class DocumentQuerySet(ProgrammeQuerySet):
    programme_path = "household__programme"


class HouseholdDocument(AuditedModel):
    """A file about a household (identity, ISEE certificate, lease, court papers)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        ISEE = "isee", _("ISEE certificate")
        LEASE = "lease", _("Lease")
        COURT = "court", _("Court papers")
        OTHER = "other", _("Other")

    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("household"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=5, editable=False)
    content_type = models.CharField(max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    plausible_dates = {"valid_until": dates.DEADLINE}
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household

    def expiry_status(self, today: date | None = None) -> str:
        """ "expired", "expiring" (within 30 days) or "" for a document still in force."""
        if self.valid_until is None:
            return ""
        today = today or localdate()
        if self.valid_until < today:
            return "expired"
        if self.valid_until <= today + timedelta(days=EXPIRY_WARNING_DAYS):
            return "expiring"
        return ""
