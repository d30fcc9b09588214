"""Long statements of the fund's account read in the task queue, with a progress bar,
instead of while the page waits (common.jobs). The work is `fund_statement_upload`'s,
unchanged: the file lands whole or not at all."""

from common.jobs import file_job_create, file_job_run
from common.uploads import STATEMENT_TYPES
from fund.models import Fund, FundStatementUploadJob
from fund.services.fund_bank import _fund_admin_only, fund_statement_upload
from tenancies.bank.statement_files import MAX_BYTES

PROGRESS = "fund-statements"  # the folder of the fund statement jobs' progress files


def fund_statement_job_create(*, actor, fund: Fund, upload) -> FundStatementUploadJob:
    """Store a statement file of the fund's account (type read from its content, private
    random name) and queue its reading; nothing is matched or posted until the task runs
    `fund_statement_upload`. Only a fund administrator of the programme may."""
    from fund.tasks import fund_statement_upload_task

    _fund_admin_only(fund, actor)
    job = FundStatementUploadJob(fund=fund, created_by=actor)
    return file_job_create(
        job,
        upload=upload,
        types=STATEMENT_TYPES,
        max_bytes=MAX_BYTES,
        task=fund_statement_upload_task,
    )


def _work(job, content, progress):
    return fund_statement_upload(
        actor=job.created_by,
        fund=job.fund,
        file_name=job.file_name,
        content=content,
        progress=progress,
    )


def fund_statement_job_execute(*, job_id: int) -> FundStatementUploadJob:
    """Read a queued statement of the fund's account through `fund_statement_upload` (whole
    or not at all), then record the statement or why the file was refused, and delete the
    file. Safe to repeat."""
    return file_job_run(
        FundStatementUploadJob, job_id, folder=PROGRESS, work=_work, related=("fund__programme",)
    )
