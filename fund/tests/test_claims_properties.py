"""Random claim workflows keep the invariants: cover, exposure, one payment per month, cash."""

import pytest
from django.utils.timezone import localdate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.exceptions import DomainError
from common.money import eur
from fund.models import AccountCode, Claim, ClaimMonth
from fund.selectors.guarantees import claimable_dues, guarantee_remaining_cover
from fund.selectors.ledger import account_balances, exposure_for_reference
from fund.services.claims import (
    claim_approve,
    claim_reject,
    claim_review,
    claim_submit,
)
from fund.tests.guarantee_factories import active_guarantee, funded, guaranteed_lease
from fund.tests.payouts import claim_pay
from tenancies.models import Payment

pytestmark = pytest.mark.django_db


claim_ops = st.lists(
    st.one_of(
        st.tuples(st.just("submit"), st.integers(0, 1), st.integers(1, 4)),
        st.tuples(st.sampled_from(["review", "approve", "pay", "reject"]), st.integers(0, 9)),
        st.tuples(st.just("household_pays"), st.integers(0, 1), st.integers(1, 900)),
    ),
    max_size=18,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=claim_ops)
def test_random_claim_workflows_keep_the_invariants(programme, member, ops):
    from django.db import transaction as db_transaction

    from fund.tests.factories import make_fund
    from tenancies.services.payments import payment_record

    with db_transaction.atomic():
        operator = member("operator", username="prop-op")
        reviewer = member("fund_admin", username="prop-rev")
        approver = member("fund_admin", username="prop-app")
        fund = funded(make_fund(programme=programme), amount="6500.00")
        guarantees = [
            active_guarantee(
                fund=fund,
                lease=guaranteed_lease(programme=programme, operator=operator),
                operator=operator,
                admin=reviewer,
            )
            for _ in range(2)
        ]
        for op in ops:
            claims = list(Claim.objects.order_by("pk"))
            try:
                if op[0] == "submit":
                    guarantee = guarantees[op[1]]
                    dues = claimable_dues(lease=guarantee.lease)[: op[2]]
                    claim_submit(actor=operator, guarantee=guarantee, due_ids=[d.pk for d in dues])
                elif op[0] == "household_pays":
                    payment_record(
                        actor=operator,
                        lease=guarantees[op[1]].lease,
                        amount=eur(op[2]),
                        paid_on=localdate(),
                        method=Payment.Method.BANK_TRANSFER,
                        payer=Payment.Payer.HOUSEHOLD,
                    )
                elif claims:
                    claim = claims[op[1] % len(claims)]
                    if op[0] == "review":
                        claim_review(actor=reviewer, claim=claim)
                    elif op[0] == "approve":
                        claim_approve(actor=approver, claim=claim)
                    elif op[0] == "pay":
                        claim_pay(actor=approver, claim=claim)
                    else:
                        claim_reject(actor=reviewer, claim=claim, note="prova")
            except DomainError:
                pass
            for guarantee in guarantees:
                remaining = guarantee_remaining_cover(guarantee)
                assert remaining.amount >= 0
                assert exposure_for_reference(fund=fund, reference=guarantee) == remaining
            paid_months = ClaimMonth.objects.filter(claim__status=Claim.Status.PAID)
            assert paid_months.count() == paid_months.values("due").distinct().count()
            assert account_balances(fund=fund)[AccountCode.BANK].amount >= 0
        for tx in fund.transactions.prefetch_related("entries"):
            assert sum(e.amount.amount for e in tx.entries.all()) == 0
        db_transaction.set_rollback(True)
