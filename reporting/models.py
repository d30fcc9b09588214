"""What a programme promised its funders: one target per indicator and period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class FunderReport(models.Model):
    """A report to the programme's funders for one period: the narrative its fund
    administrators write, the figures frozen when it was built and the PDF made from them.
    A new report for the same period is the next version; earlier versions stay as they were
    (documents issued are snapshots)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", pgettext_lazy("report", "Failed")

    RUNNING = (Status.QUEUED, Status.RUNNING)
    SECTIONS = ("introduction", "activities", "difficulties", "outlook")

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="funder_reports",
        verbose_name=_("programme"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    activities = models.TextField(_("activities in the period"), blank=True)
    difficulties = models.TextField(_("difficulties met"), blank=True)
    outlook = models.TextField(_("outlook"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("why it failed"), blank=True)
    figures = models.JSONField(_("figures it was built from"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="funder-reports/%Y/", blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("report", "requested by"),
    )
    created_at = models.DateTimeField(pgettext_lazy("report", "requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(
        pgettext_lazy("report", "finished at"), null=True, blank=True
    )
    plausible_dates = {"period_start": dates.PERIOD, "period_end": dates.PERIOD}

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-period_start", "-version", "-pk"]
        verbose_name = _("funder report")
        verbose_name_plural = _("funder reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="funder_report_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "version"],
                name="funder_report_one_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reporting:report_detail", kwargs={"pk": self.pk})

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING
