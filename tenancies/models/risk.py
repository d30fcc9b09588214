"""The early-warning score of each active lease, kept for the day it was computed.

Scoring reads a year of dues and payments per lease: at 10,000 households the arrears desk
spent seconds scoring every lease of the programme on each view to show the first thirty.
A row holds one lease's score for one day (the score moves with the calendar: an unpaid month
gets later every day); the desk scores only the leases with no row for today, and the writes
that change a lease's history (payments, the monthly run) delete its row in their transaction,
so a stored score is never older than the facts it was read from. `check_integrity` recomputes
today's rows and compares.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancies.rent.risk import RiskSignal


class LeaseRisk(models.Model):
    lease = models.OneToOneField(
        "tenancies.Lease",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk",
        verbose_name=_("lease"),
    )
    programme = models.ForeignKey(
        "common.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    computed_on = models.DateField(_("computed on"))
    score = models.PositiveSmallIntegerField(_("score"))
    parts = models.JSONField(_("reasons"), default=list)

    class Meta:
        verbose_name = _("early-warning score")
        verbose_name_plural = _("early-warning scores")
        # The desk: a programme's scores of the day, highest first.
        indexes = [
            models.Index(fields=["programme", "computed_on", "-score"], name="lease_risk_desk")
        ]

    def __str__(self):
        return f"{self.lease_id}: {self.score}"

    @property
    def signal(self) -> RiskSignal:
        return RiskSignal(score=self.score, parts=[tuple(part) for part in self.parts])
