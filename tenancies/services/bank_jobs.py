"""Long bank statements read in the task queue, with a progress bar, instead of while the page
waits. The work is `statement_upload`'s, unchanged: the file lands whole or not at all."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common import progress
from common.exceptions import DomainError
from common.uploads import STATEMENT_TYPES, upload_check, upload_discard, upload_store
from tenancies.bank.statement_files import MAX_BYTES, StatementFileError
from tenancies.models import StatementUploadJob
from tenancies.services.bank import statement_upload

log = logging.getLogger(__name__)

PROGRESS = "statements"  # the folder of the statement jobs' progress files


def _lines(upload) -> int:
    upload.seek(0)
    lines = sum(chunk.count(b"\n") for chunk in upload.chunks())
    upload.seek(0)
    return lines


def statement_upload_is_large(upload) -> bool:
    """Whether a statement file is read in the task queue rather than while the page waits:
    more lines than BANK_STATEMENT_INLINE_LINES, or more bytes than BANK_STATEMENT_INLINE_BYTES
    (an XLSX is compressed: its size says more than its newlines)."""
    if upload.size > settings.BANK_STATEMENT_INLINE_BYTES:
        return True
    return _lines(upload) > settings.BANK_STATEMENT_INLINE_LINES


def statement_job_create(*, actor, programme, account: str, upload) -> StatementUploadJob:
    """Store a statement file (type read from its content, private random name) and queue its
    reading; nothing is matched or booked until the task runs `statement_upload`."""
    from tenancies.bank.tasks import statement_upload_task

    file_type = upload_check(upload, types=STATEMENT_TYPES, max_bytes=MAX_BYTES)
    with transaction.atomic():
        job = StatementUploadJob(
            programme=programme,
            account=account[:100],
            file_name=str(upload.name)[:200],
            lines_estimate=max(_lines(upload), 1),
            created_by=actor,
        )
        upload_store(job.file, upload, file_type=file_type)
        job.full_clean()
        job.save()
        transaction.on_commit(lambda: statement_upload_task.enqueue(job_id=job.pk))
    return job


def statement_job_execute(*, job_id: int) -> StatementUploadJob:
    """Read a queued statement file through `statement_upload` (whole or not at all), then
    record the statement or why the file was refused, and delete the file. Safe to repeat: a
    job another worker took, or finished, is left alone."""
    claimed = StatementUploadJob.objects.filter(
        pk=job_id, status=StatementUploadJob.Status.QUEUED
    ).update(status=StatementUploadJob.Status.RUNNING, started_at=timezone.now())
    job = StatementUploadJob.objects.select_related("programme", "created_by").get(pk=job_id)
    if not claimed:
        return job
    tracker = progress.Tracker(PROGRESS, job.pk, total=job.lines_estimate)
    with translation.override("it"):
        try:
            with job.file.open("rb") as stream:
                content = stream.read()
            statement, counts = statement_upload(
                actor=job.created_by,
                programme=job.programme,
                account=job.account,
                file_name=job.file_name,
                content=content,
                progress=lambda done, estimate: tracker.update(done=done, total=estimate),
            )
        except DomainError as error:
            cause = error.__cause__
            errors = len(cause.errors) if isinstance(cause, StatementFileError) else 0
            fields = {
                "status": StatementUploadJob.Status.FAILED,
                "error": error.message,
                "counts": {"errors": errors},
            }
        except Exception:  # the page says it failed, instead of spinning for ever
            log.exception("Statement upload %s failed", job_id)
            fields = {
                "status": StatementUploadJob.Status.FAILED,
                "error": _("The file could not be read to the end: nothing was stored."),
            }
        else:
            fields = {
                "status": StatementUploadJob.Status.DONE,
                "statement": statement,
                "counts": counts,
            }
    storage, name = job.file.storage, job.file.name
    StatementUploadJob.objects.filter(pk=job.pk).update(
        **fields, file="", finished_at=timezone.now()
    )
    upload_discard(storage, name)  # it holds names and IBANs: not kept once read
    progress.progress_clear(PROGRESS, job.pk)
    job.refresh_from_db()
    return job
