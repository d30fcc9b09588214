"""A stress test run in the background: its assumptions, progress and stored result."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import AuditedModel, ProgrammeQuerySet


class StressRunQuerySet(ProgrammeQuerySet):
    programme_path = "fund__programme"


class StressRun(AuditedModel):
    """One Monte Carlo of the fund, queued by a fund administrator and run by a task worker.

    `status` is a job's progress, not a business workflow: the task moves it, nobody decides it.
    """

    audit_verbs = {"stress_test_queued": _("stress test queued")}

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    fund = models.ForeignKey(
        "fund.Fund", on_delete=models.PROTECT, related_name="stress_runs", verbose_name=_("fund")
    )
    assumptions = models.JSONField(_("assumptions"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = StressRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stress test run")
        verbose_name_plural = _("stress test runs")

    def __str__(self):
        return str(_("Stress test #%(number)s") % {"number": self.pk})

    def programme_for_audit(self):
        return self.fund.programme

    def get_absolute_url(self):
        return reverse("fund:stress_run", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
