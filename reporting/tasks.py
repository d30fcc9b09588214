"""Reporting's background task (django-tasks; the database backend in production, run
immediately in tests)."""

from django_tasks import task


@task()
def funder_report_build_task(report_id: int) -> None:
    """Build one queued funder report (reporting.services.funder_report_build)."""
    from reporting.services import funder_report_build

    funder_report_build(report_id=report_id)
