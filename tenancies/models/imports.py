"""Spreadsheet imports (tenancies.sheets): one run per uploaded file, its preview and result.

`status` is a job's progress, not a business workflow: the import's tasks move it, nobody
decides it (as `fund.StressRun`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.models import AuditedModel, ProgrammeQuerySet


class ImportKind(models.TextChoices):
    LANDLORDS = "landlords", _("Landlords")
    DWELLINGS = "dwellings", _("Dwellings")
    HOUSEHOLDS = "households", _("Households and members")
    LEASES = "leases", _("Leases")


class Outcome(models.TextChoices):
    CREATED = "created", pgettext_lazy("import row", "Created")
    UPDATED = "updated", pgettext_lazy("import row", "Updated")
    UNCHANGED = "unchanged", pgettext_lazy("import row", "Unchanged")
    ERROR = "error", pgettext_lazy("import row", "Error")


class ImportRun(AuditedModel):
    """An uploaded spreadsheet: read and tried without saving (the preview), then, once an
    operator confirms, imported whole or not at all."""

    audit_verbs = {
        "import_uploaded": _("spreadsheet uploaded for import"),
        "import_confirmed": _("spreadsheet imported"),
    }

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        PREVIEWING = "previewing", _("Reading")
        PREVIEWED = "previewed", _("Preview ready")
        CONFIRMED = "confirmed", _("Confirmed, waiting to be imported")
        APPLYING = "applying", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")
        EXPIRED = "expired", _("Expired")

    RUNNING = (Status.QUEUED, Status.PREVIEWING, Status.CONFIRMED, Status.APPLYING)

    programme = models.ForeignKey(
        "common.Programme",
        on_delete=models.PROTECT,
        related_name="import_runs",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("what it imports"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("rows by outcome"), default=dict, blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    error = models.TextField(_("why the file was refused"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return str(
            _("Import #%(number)s (%(kind)s)")
            % {"number": self.pk, "kind": self.get_kind_display()}
        )

    def get_absolute_url(self):
        return reverse("tenancies:import_detail", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def error_count(self) -> int:
        return int((self.counts or {}).get(Outcome.ERROR, 0))


class ImportRow(models.Model):
    """What one row of the file does (or did): the preview the operator confirms."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    key = models.CharField(_("key"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["run", "number"]
        indexes = [models.Index(fields=["run", "outcome", "number"], name="import_row_idx")]

    def __str__(self):
        return f"{self.run_id}:{self.number}"
