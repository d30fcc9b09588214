"""The bank statements' background task (django-tasks; run immediately in tests)."""

from django_tasks import task


@task()
def statement_upload_task(job_id: int) -> None:
    """Read a long statement file (tenancies.services.bank_jobs)."""
    from tenancies.services.bank_jobs import statement_job_execute

    statement_job_execute(job_id=job_id)
