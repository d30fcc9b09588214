"""The fund's background tasks (django-tasks; the database backend in production, run
immediately in tests)."""

from django_tasks import task


@task()
def stress_run_task(run_id: int) -> None:
    """Run one queued stress test (fund.services.stress)."""
    from fund.services.stress import stress_run_execute

    stress_run_execute(run_id=run_id)
