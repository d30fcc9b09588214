"""The programme's overdue rent at the end of each past month, as the arrears desk's chart
shows it, kept once computed.

At 10,000 households each point summed ~115,000 dues and their allocations on every view of
the desk (0.7 s for the chart). A month-end in the past only changes when a write reaches
back to it: a due falling due before that day, or money paid on or before it for a due that
fell due before it. Those writes (tenancies.services.arrears_history) delete the rows from the
first day they reach, in their own transaction; the desk computes the missing rows again.
`check_integrity` recomputes every row and compares.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from djmoney.models.fields import MoneyField


class ArrearsMonthEnd(models.Model):
    programme = models.ForeignKey(
        "common.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    day = models.DateField(_("day"))
    amount = MoneyField(_("overdue rent"), max_digits=14, decimal_places=2, default_currency="EUR")

    class Meta:
        verbose_name = _("overdue rent at a month's end")
        verbose_name_plural = _("overdue rent at the months' end")
        constraints = [
            models.UniqueConstraint(fields=["programme", "day"], name="arrears_month_end_once")
        ]

    def __str__(self):
        return f"{self.programme_id} {self.day}: {self.amount}"
