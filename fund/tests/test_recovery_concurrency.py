"""On PostgreSQL, twenty repayments or approvals at once never overpay or write off twice."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from common.exceptions import DomainError
from common.money import eur
from fund.models import RecoveryPlan, Transaction
from fund.selectors.recovery import plan_ledger_amounts
from fund.services.recovery import (
    recovery_payment_record,
    recovery_plan_activate,
)
from fund.services.waivers import (
    waiver_approve,
    waiver_propose,
)
from fund.tests.factories import make_fund
from fund.tests.recovery_factories import make_plan
from fund.tests.test_capacity import _other_sessions, _wait_for_sessions

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _race(action, threads=20):
    barrier = threading.Barrier(threads)
    results = []
    baseline = _other_sessions()

    def worker():
        try:
            barrier.wait(timeout=10)
            action()
            results.append(True)
        except DomainError:
            results.append(False)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    _wait_for_sessions(baseline)
    return sum(results)


def test_concurrent_repayments_never_exceed_the_debt(programme, household, fund_admin):
    fund = make_fund(programme=programme)
    plan = make_plan(fund=fund, household=household, actor=fund_admin, amount="1000.00")
    recovery_plan_activate(
        actor=fund_admin, plan=plan, instalment_count=4, first_due_on=timezone.localdate()
    )
    done = _race(
        lambda: recovery_payment_record(
            actor=fund_admin, plan=plan, amount=eur("100.00"), paid_on=timezone.localdate()
        )
    )
    assert done == 10
    plan = RecoveryPlan.objects.get(pk=plan.pk)
    assert plan.status == RecoveryPlan.Status.REPAID
    assert plan_ledger_amounts([plan])[plan.pk]["outstanding"] == eur("0.00")


def test_concurrent_approvals_write_off_once(programme, household, fund_admin, second_admin):
    fund = make_fund(programme=programme)
    plan = make_plan(fund=fund, household=household, actor=fund_admin, amount="1000.00")
    waiver = waiver_propose(actor=fund_admin, plan=plan, kind="hardship", reason="Malattia")
    assert _race(lambda: waiver_approve(actor=second_admin, waiver=waiver)) == 1
    assert Transaction.objects.filter(kind=Transaction.Kind.WRITE_OFF).count() == 1
