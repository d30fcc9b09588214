"""A landlord's report that a month's rent is unpaid: the early signal operators act on,
before any claim on the guarantee."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel, ProgrammeQuerySet


class UnpaidRentReportQuerySet(ProgrammeQuerySet):
    programme_path = "lease__programme"


class UnpaidRentReport(AuditedModel):
    """One month of one lease a landlord says was not paid, and the arrears case it fed."""

    lease = models.ForeignKey(
        "tenancies.Lease",
        on_delete=models.PROTECT,
        related_name="unpaid_reports",
        verbose_name=_("lease"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    arrears_case = models.ForeignKey(
        "tenancies.ArrearsCase",
        on_delete=models.PROTECT,
        related_name="unpaid_reports",
        verbose_name=_("arrears case"),
    )

    objects = UnpaidRentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("unpaid rent report")
        verbose_name_plural = _("unpaid rent reports")
        constraints = [
            models.UniqueConstraint(fields=["lease", "month"], name="unpaid_report_once_a_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="unpaid_report_month_first_day"
            ),
        ]

    def __str__(self):
        return _("Unpaid rent %(month)s") % {"month": f"{self.month:%m/%Y}"}

    def programme_for_audit(self):
        return self.lease.programme

    def audit_context(self):
        return self.lease.household
