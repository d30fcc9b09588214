from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdAccess(models.Model):
    """Someone looked at a household's records: who, what, when, from where.

    One INSERT per view (ASVS V7/V8: access to sensitive data is logged). Rows are never
    edited; they outlive pseudonymisation, which keeps the household row and its key.
    """

    class What(models.TextChoices):
        DETAIL = "detail", _("Household page")
        DOCUMENT = "document", _("Document")
        PACT_PDF = "pact_pdf", _("Support pact PDF")
        EXPORT = "export", _("Data export")
        TIMELINE = "timeline", _("Timeline")

    household = models.ForeignKey(
        "tenancies.Household",
        on_delete=models.CASCADE,
        related_name="accesses",
        verbose_name=_("household"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
    )
    what = models.CharField(_("what"), max_length=20, choices=What.choices)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access to household records")
        verbose_name_plural = _("accesses to household records")
        indexes = [models.Index(fields=["household", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    what__in=["detail", "document", "pact_pdf", "export", "timeline"]
                ),
                name="household_access_what_valid",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what} {self.household_id}"
