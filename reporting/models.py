"""What a programme promised its funders: one target per indicator and period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common import dates
from common.models import AuditedModel, ProgrammeQuerySet


class TargetQuerySet(ProgrammeQuerySet):
    pass


class Target(AuditedModel):
    """A figure a funder expects of the programme (e.g. 80 families on the guarantee fund by
    the end of the project), with the document that says so. `indicator` is a code of
    `reporting.indicators.INDICATORS`."""

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("programme"),
    )
    indicator = models.CharField(_("indicator"), max_length=60)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    source = models.TextField(
        _("source document"),
        blank=True,
        help_text=_("Where the target comes from: the funded project, the agreement, its page."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    plausible_dates = {"period_start": dates.PERIOD, "period_end": dates.PERIOD}

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period_start", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="target_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="target_value_not_negative"
            ),
            models.UniqueConstraint(
                fields=["programme", "indicator", "period_start", "period_end"],
                name="target_one_per_indicator_and_period",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reporting:target_edit", kwargs={"pk": self.pk})
