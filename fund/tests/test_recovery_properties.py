"""Random sequences of repayments, reschedules and waivers keep the plan's books straight."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.exceptions import DomainError
from common.money import eur
from fund.models import RecoveryPlan, RecoveryWaiver
from fund.selectors.ledger import fund_figures
from fund.selectors.recovery import plan_ledger_amounts, plan_progress
from fund.services.recovery import (
    recovery_payment_record,
    recovery_plan_activate,
    recovery_plan_reschedule,
)
from fund.services.waivers import (
    community_hours_log,
    waiver_approve,
    waiver_propose,
    waiver_reject,
)
from fund.tests.factories import make_fund
from fund.tests.recovery_factories import make_plan

cents = st.integers(min_value=1, max_value=150_000).map(lambda c: Decimal(c) / 100)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("activate"), st.integers(min_value=1, max_value=30)),
        st.tuples(st.just("pay"), cents),
        st.tuples(st.just("reschedule"), st.integers(min_value=1, max_value=30)),
        st.tuples(st.just("hours"), st.integers(min_value=1, max_value=20)),
        st.tuples(st.just("propose"), st.sampled_from(["hardship", "other", "community_pact"])),
        st.tuples(st.just("approve"), st.booleans()),
        st.tuples(st.just("reject"), st.booleans()),
    ),
    max_size=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations, amount=cents)
def test_random_sequences_keep_the_plan_balanced(programme, household, member, ops, amount):
    from tenancies.models import SupportPact

    today = timezone.localdate()
    with db_transaction.atomic():
        admins = [member("fund_admin"), member("fund_admin", is_superuser=True)]
        fund = make_fund(programme=programme)
        plan = make_plan(fund=fund, household=household, actor=admins[0], amount=str(amount))
        pact = SupportPact.objects.create(
            household=household,
            goal="Restare",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=300),
        )
        for op, value in ops:
            open_waiver = plan.waivers.filter(status=RecoveryWaiver.Status.PROPOSED).first()
            try:
                if op == "activate":
                    recovery_plan_activate(
                        actor=admins[0], plan=plan, instalment_count=value, first_due_on=today
                    )
                elif op == "pay":
                    recovery_payment_record(
                        actor=admins[1], plan=plan, amount=eur(value), paid_on=today
                    )
                elif op == "reschedule":
                    recovery_plan_reschedule(
                        actor=admins[0],
                        plan=plan,
                        instalment_count=value,
                        first_due_on=today + timedelta(days=400),
                        note="rimodulazione",
                    )
                elif op == "hours":
                    community_hours_log(
                        actor=admins[0],
                        plan=plan,
                        date=today,
                        hours=Decimal(value),
                        activity="orto",
                        pact=pact,
                    )
                elif op == "propose":
                    waiver_propose(
                        actor=admins[0], plan=plan, kind=value, reason="motivo", pact=pact
                    )
                elif op in ("approve", "reject") and open_waiver is not None:
                    actor = admins[1] if value else open_waiver.proposed_by
                    if op == "approve":
                        waiver_approve(actor=actor, waiver=open_waiver)
                        assert actor.pk != open_waiver.proposed_by_id
                    else:
                        waiver_reject(actor=actor, waiver=open_waiver, note="no")
            except DomainError:
                pass
            plan = RecoveryPlan.objects.get(pk=plan.pk)
            amounts = plan_ledger_amounts([plan])[plan.pk]
            assert amounts["outstanding"].amount >= 0
            assert amounts["repaid"].amount >= 0 and amounts["written_off"].amount >= 0
            total = sum(a.amount for a in amounts.values())
            assert total == plan.amount.amount
            assert fund_figures(fund=fund).receivable.amount >= 0
            if plan.instalments.exists():
                assert sum(i.amount.amount for i in plan.instalments.all()) == plan.amount.amount
            if plan.status == RecoveryPlan.Status.REPAID:
                assert amounts["outstanding"].amount == 0 and amounts["written_off"].amount == 0
            if plan.status == RecoveryPlan.Status.WAIVED:
                assert amounts["outstanding"].amount == 0
            progress = plan_progress(plan=plan)
            assert sum(i.paid.amount for i in progress.instalments) <= amounts["repaid"].amount
        for waiver in plan.waivers.filter(status=RecoveryWaiver.Status.APPROVED):
            assert waiver.decided_by_id != waiver.proposed_by_id
        for tx in fund.transactions.prefetch_related("entries"):
            assert sum(e.amount.amount for e in tx.entries.all()) == 0
            assert tx.entries.count() >= 2
        db_transaction.set_rollback(True)
