"""The fund's background tasks (django-tasks; the database backend in production, run
immediately in tests)."""

from django_tasks import task


@task()
def stress_run_task(run_id: int) -> None:
    """Run one queued stress test (fund.services.stress)."""
    from fund.services.stress import stress_run_execute

    stress_run_execute(run_id=run_id)


@task()
def certificate_render_task(certificate_id: int) -> None:
    """Render an issued guarantee certificate's PDF from its saved facts (once)."""
    from fund.models import GuaranteeCertificate
    from fund.services.certificates import certificate_pdf_ensure

    certificate = GuaranteeCertificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        certificate_pdf_ensure(certificate=certificate)


@task()
def fund_statement_upload_task(job_id: int) -> None:
    """Read a long statement of the fund's account (fund.services.fund_bank_jobs)."""
    from fund.services.fund_bank_jobs import fund_statement_job_execute

    fund_statement_job_execute(job_id=job_id)
