"""Grace periods (termine di grazia) a household was granted, counted against the law's limit."""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common import dates
from common.models import AuditedModel
from tenancies.models.eviction.case import EvictionCase


class GraceUse(AuditedModel):
    """A use of the sanatoria (L. 392/1978 art. 55 co. 4), in this programme or before it: a
    termine di grazia granted, or the arrears paid in full at the first hearing. The count in
    the last four years decides whether the judge may allow another."""

    class Kind(models.TextChoices):
        GRACE = "grace", _("Grace period granted")
        PAID_AT_HEARING = "paid_at_hearing", _("Paid in full at the hearing")

    household = models.ForeignKey(
        "tenancies.Household", on_delete=models.PROTECT, related_name="grace_uses"
    )
    case = models.ForeignKey(
        EvictionCase, on_delete=models.PROTECT, related_name="grace_uses", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GRACE)
    plausible_dates = {"granted_on": dates.COURT}
    granted_on = models.DateField(_("granted on"))
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        ordering = ["-granted_on", "-id"]
        verbose_name = _("grace period granted")
        verbose_name_plural = _("grace periods granted")

    def __str__(self):
        return f"{date_format(self.granted_on, 'SHORT_DATE_FORMAT')}"

    def programme_for_audit(self):
        return self.household.programme

    def audit_context(self):
        return self.household
