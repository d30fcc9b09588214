"""Files too long to read while the page waits (bank statements): stored privately, read by a
task, followed in the browser with a progress bar (common.progress, static/js/progress.js).

Each kind of file has its own job model (`FileJob`, with the owner and the result it makes)
and its own work; the queueing, the run, the status the bar polls and the file's deletion
once read are here, once.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import progress
from common.exceptions import DomainError
from common.integrity import Violation, integrity_check
from common.uploads import upload_check, upload_discard, upload_store

log = logging.getLogger(__name__)


class FileJob(models.Model):
    """A stored file waiting for, or done with, its task. The file is deleted once read (it
    holds names and IBANs); the job keeps what came of it: the result, or why it was refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Waiting to be read")
        RUNNING = "running", gettext_lazy("Reading and matching")
        DONE = "done", gettext_lazy("Read")
        FAILED = "failed", gettext_lazy("Refused, nothing stored")

    RUNNING = (Status.QUEUED, Status.RUNNING)

    file_name = models.CharField(gettext_lazy("file name"), max_length=200)
    lines = models.PositiveIntegerField(
        gettext_lazy("lines"), default=0, help_text=gettext_lazy("Estimated until read.")
    )
    status = models.CharField(
        gettext_lazy("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(gettext_lazy("why the file was refused"), blank=True)
    counts = models.JSONField(gettext_lazy("lines by outcome"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    created_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING


def file_lines(upload) -> int:
    upload.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in upload.chunks())
    upload.seek(0)
    return lines


def statement_file_is_large(upload) -> bool:
    """Whether a bank statement is read in the task queue rather than while the page waits:
    more lines than BANK_STATEMENT_INLINE_LINES, or more bytes than BANK_STATEMENT_INLINE_BYTES
    (an XLSX is compressed: its size says more than its newlines)."""
    if upload.size > settings.BANK_STATEMENT_INLINE_BYTES:
        return True
    return file_lines(upload) > settings.BANK_STATEMENT_INLINE_LINES


def file_job_create(job: FileJob, *, upload, types, max_bytes: int, task) -> FileJob:
    """Check `upload` (type read from its content, size), store it under a private random name
    in the unsaved `job`, save the job and queue `task(job_id=…)` once committed."""
    file_type = upload_check(upload, types=types, max_bytes=max_bytes)
    with transaction.atomic():
        job.file_name = str(upload.name)[:200]
        job.lines = max(file_lines(upload), 1)
        upload_store(job.file, upload, file_type=file_type)
        job.full_clean()
        job.save()
        transaction.on_commit(lambda: task.enqueue(job_id=job.pk))
    return job


def file_job_run(
    model: type[FileJob], job_id: int, *, folder: str, work: Callable, related=()
) -> FileJob:
    """Claim a queued job, run `work(job, content, progress)` → (statement, counts), record the
    statement or the refusal (DomainError, in Italian), delete the file. Safe to repeat: a job
    another worker took, or finished, is left alone."""
    claimed = model.objects.filter(pk=job_id, status=FileJob.Status.QUEUED).update(
        status=FileJob.Status.RUNNING, started_at=timezone.now()
    )
    job = model.objects.select_related("created_by", *related).get(pk=job_id)
    if not claimed:
        return job
    tracker = progress.Tracker(folder, job.pk, total=job.lines)

    def step(done, estimate):
        tracker.update(done=done, total=estimate)

    with translation.override("it"):
        try:
            with job.file.open("rb") as stream:
                content = stream.read()
            statement, counts = work(job, content, step)
        except DomainError as error:
            row_errors = getattr(error.__cause__, "errors", None)
            fields = {
                "status": FileJob.Status.FAILED,
                "error": error.message,
                "counts": {"errors": len(row_errors) if isinstance(row_errors, list) else 0},
            }
        except Exception:  # the page says it failed, instead of spinning for ever
            log.exception("%s %s failed", model.__name__, job_id)
            fields = {
                "status": FileJob.Status.FAILED,
                "error": _("The file could not be read to the end: nothing was stored."),
            }
        else:
            fields = {"status": FileJob.Status.DONE, "statement": statement, "counts": counts}
    storage, name = job.file.storage, job.file.name
    model.objects.filter(pk=job.pk).update(
        **fields, lines=tracker.done, file="", finished_at=timezone.now()
    )
    upload_discard(storage, name)  # it holds names and IBANs: not kept once read
    progress.progress_clear(folder, job.pk)
    job.refresh_from_db()
    return job


def file_job_status(job: FileJob, *, folder: str, redirect: str) -> dict:
    """What the progress bar shows: percentage, lines per second, errors so far; and, once
    done, where the page goes (`redirect`)."""
    live = progress.progress_read(folder, job.pk) if job.running else None
    if live:
        done, total, errors, elapsed = (
            live["done"],
            live["total"],
            live["errors"],
            live["elapsed"],
        )
    else:
        done = 0 if job.running else job.lines
        total = job.lines
        errors = (job.counts or {}).get("errors", 0)
        elapsed = (
            (job.finished_at - job.started_at).total_seconds()
            if job.finished_at and job.started_at
            else 0
        )
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "redirect": redirect if job.status == FileJob.Status.DONE else "",
        **progress.progress_figures(
            running=job.running,
            done=done,
            total=total,
            errors=errors,
            elapsed=elapsed,
            unit="lines",
        ),
    }


@integrity_check(
    "file_job_finished_keeps_no_file",
    gettext_lazy(
        "A statement file read in the background is deleted once read (it holds names and IBANs)."
    ),
)
def file_job_finished_keeps_no_file():
    from django.apps import apps

    for model in apps.get_models():
        if not issubclass(model, FileJob):
            continue
        leftovers = model.objects.exclude(status__in=FileJob.RUNNING).exclude(file="")
        for job in leftovers.order_by("pk"):
            yield Violation(
                job,
                _("%(job)s is finished but its file is still stored.") % {"job": job},
            )
