"""Long rent-account statements read in the task queue, with a progress bar, instead of
while the page waits (common.jobs). The work is `statement_upload`'s, unchanged: the file
lands whole or not at all."""

from common.jobs import file_job_create, file_job_run
from common.uploads import STATEMENT_TYPES
from tenancies.bank.statement_files import MAX_BYTES
from tenancies.models import StatementUploadJob
from tenancies.services.bank import statement_upload

PROGRESS = "statements"  # the folder of the statement jobs' progress files


def statement_job_create(*, actor, programme, account: str, upload) -> StatementUploadJob:
    """Store a statement file (type read from its content, private random name) and queue its
    reading; nothing is matched or booked until the task runs `statement_upload`."""
    from tenancies.bank.tasks import statement_upload_task

    job = StatementUploadJob(programme=programme, account=account[:100], created_by=actor)
    return file_job_create(
        job, upload=upload, types=STATEMENT_TYPES, max_bytes=MAX_BYTES, task=statement_upload_task
    )


def _work(job, content, progress):
    return statement_upload(
        actor=job.created_by,
        programme=job.programme,
        account=job.account,
        file_name=job.file_name,
        content=content,
        progress=progress,
    )


def statement_job_execute(*, job_id: int) -> StatementUploadJob:
    """Read a queued statement file through `statement_upload` (whole or not at all), then
    record the statement or why the file was refused, and delete the file. Safe to repeat."""
    return file_job_run(
        StatementUploadJob, job_id, folder=PROGRESS, work=_work, related=("programme",)
    )
