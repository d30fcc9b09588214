"""Stress tests run as background tasks: queued here, run by `fund.tasks.stress_run_task`."""

from dataclasses import asdict
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.roles import Role, holds_role
from fund.models import Fund, StressRun
from fund.stress import Assumptions, result_to_data, simulate


def _assumptions_data(a: Assumptions) -> dict:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(a).items()}


def stress_assumptions(run: StressRun) -> Assumptions:
    data = dict(run.assumptions)
    for key in ("cash", "average_guarantee"):
        data[key] = Decimal(data[key])
    return Assumptions(**data)


def stress_run_start(*, actor, fund: Fund, assumptions: Assumptions) -> StressRun:
    """Queue a stress test for a fund administrator (assumptions already within the work
    budget: `Assumptions` refuses more). Returns at once; a task worker runs it."""
    from fund.tasks import stress_run_task

    if not holds_role(actor, fund.programme_id, Role.FUND_ADMIN):
        raise DomainError(_("Only a fund administrator can run the stress test."))
    run = StressRun(fund=fund, assumptions=_assumptions_data(assumptions), requested_by=actor)
    run.full_clean()
    run.save()
    audit_record(
        actor=actor, programme=fund.programme, target=run, verb="stress_test_queued", context=fund
    )
    # After commit: a worker must find the row it is told to run.
    db_transaction.on_commit(lambda: stress_run_task.enqueue(run_id=run.pk))
    return run


def stress_run_execute(*, run_id: int) -> StressRun:
    """Run a queued stress test, saving its progress as it goes and its result at the end.
    Safe to repeat: a finished or running run is left alone."""
    updated = StressRun.objects.filter(pk=run_id, status=StressRun.Status.QUEUED).update(
        status=StressRun.Status.RUNNING
    )
    run = StressRun.objects.get(pk=run_id)
    if not updated:
        return run

    def progress(percent: int) -> None:
        StressRun.objects.filter(pk=run_id).update(progress=percent)

    try:
        result = simulate(stress_assumptions(run), progress=progress)
    except Exception as error:  # the page says it failed, instead of spinning for ever
        StressRun.objects.filter(pk=run_id).update(
            status=StressRun.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        raise
    StressRun.objects.filter(pk=run_id).update(
        status=StressRun.Status.DONE,
        progress=100,
        result=result_to_data(result),
        finished_at=timezone.now(),
    )
    return StressRun.objects.get(pk=run_id)
