"""The import's background tasks (django-tasks; run immediately in tests)."""

from django_tasks import task


@task()
def import_preview_task(run_id: int) -> None:
    """Read an uploaded spreadsheet and try every row (tenancies.sheets.services)."""
    from tenancies.sheets.services import import_preview_execute

    import_preview_execute(run_id=run_id)


@task()
def import_apply_task(run_id: int) -> None:
    """Import a confirmed spreadsheet, whole or not at all."""
    from tenancies.sheets.services import import_apply_execute

    import_apply_execute(run_id=run_id)
