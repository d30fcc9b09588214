"""Issue 12: only contributions and manual postings are reversed in the ledger; a claim's payout,
a guarantee's exposure reserved or released and a recovery plan's postings are undone through
their own workflow. One rule (`reversal_refusal`) decides the button and the service."""

import pytest
from django.urls import reverse

from common.exceptions import DomainError
from common.money import eur
from fund.models import AccountCode, Claim, Transaction
from fund.selectors.ledger import fund_figures, reversal_refusal
from fund.services.ledger import transaction_post, transaction_reverse
from fund.tests.factories import make_contribution
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from fund.tests.recovery_factories import make_plan

pytestmark = pytest.mark.django_db

Kind = Transaction.Kind


@pytest.fixture
def paid_claim(fund, programme, operator, fund_admin, second_admin):
    funded(fund, amount="20000.00", actor=fund_admin)
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=second_admin
    )
    return claim_pay(actor=second_admin, claim=claim)


def _snapshot(fund):
    figures = fund_figures(fund=fund)
    return (Transaction.objects.count(), figures.cash, figures.exposure, figures.capacity)


@pytest.mark.parametrize("kind", [Kind.PAYOUT, Kind.EXPOSURE_RESERVE, Kind.EXPOSURE_RELEASE])
def test_workflow_postings_are_refused_and_nothing_changes(
    paid_claim, fund, fund_admin, client_of, kind
):
    posting = Transaction.objects.filter(fund=fund, kind=kind).earliest("id")
    before = _snapshot(fund)

    assert reversal_refusal(posting) is not None
    with pytest.raises(DomainError):
        transaction_reverse(actor=fund_admin, transaction=posting, reason="errore")
    assert _snapshot(fund) == before
    assert Claim.objects.get(pk=paid_claim.pk).status == Claim.Status.PAID

    client = client_of(fund_admin)
    url = reverse("fund:transaction_reverse", args=[posting.pk])
    page = client.get(reverse("fund:transaction", args=[posting.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 302
    response = client.post(url, {"reason": "errore"}, follow=True).content.decode()
    assert "appartiene" in response or "flusso di lavoro" in response
    assert _snapshot(fund) == before


@pytest.mark.parametrize("kind", [Kind.PAYOUT, Kind.RECEIVABLE, Kind.EXPOSURE_RESERVE])
def test_refused_by_kind_even_without_a_reference(fund, kind):
    make_contribution(fund=fund, amount="500.00")
    if kind == Kind.EXPOSURE_RESERVE:
        lines = [
            (AccountCode.GUARANTEES_ISSUED, eur("100")),
            (AccountCode.GUARANTEES_CONTRA, eur("-100")),
        ]
    elif kind == Kind.RECEIVABLE:
        lines = [(AccountCode.RECEIVABLE, eur("100")), (AccountCode.PAYOUTS, eur("-100"))]
    else:
        lines = [(AccountCode.PAYOUTS, eur("100")), (AccountCode.BANK, eur("-100"))]
    posting = transaction_post(fund=fund, lines=lines, actor=None, description="x", kind=kind)
    with pytest.raises(DomainError, match="flusso di lavoro"):
        transaction_reverse(actor=None, transaction=posting, reason="errore")
    assert not Transaction.objects.filter(kind=Kind.REVERSAL).exists()


def test_a_manual_posting_a_workflow_object_points_at_is_refused(fund, household, fund_admin):
    make_contribution(fund=fund, amount="300.00")
    manual = transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, eur("300")), (AccountCode.BANK, eur("-300"))],
        actor=fund_admin,
        description="Pagamento",
        kind=Kind.MANUAL,
    )
    plan = make_plan(
        fund=fund, household=household, actor=fund_admin, amount="300.00", payout=manual
    )
    with pytest.raises(DomainError, match="appartiene"):
        transaction_reverse(actor=fund_admin, transaction=manual, reason="errore")
    assert str(plan) in reversal_refusal(manual)


def test_contribution_and_manual_reversals_still_work(fund, fund_admin, client_of):
    contribution = make_contribution(fund=fund, amount="400.00")
    manual = transaction_post(
        fund=fund,
        lines=[(AccountCode.PAYOUTS, eur("150")), (AccountCode.BANK, eur("-150"))],
        actor=fund_admin,
        description="Bonifico registrato a mano",
        kind=Kind.MANUAL,
    )
    client = client_of(fund_admin)
    for posting in (manual, contribution.transaction):  # cash never below zero
        url = reverse("fund:transaction_reverse", args=[posting.pk])
        assert url in client.get(reverse("fund:transaction", args=[posting.pk])).content.decode()
        assert client.post(url, {"reason": "Registrato per errore"}).status_code == 302
        assert Transaction.objects.filter(reversal_of=posting).exists()
    assert fund_figures(fund=fund).cash == eur("0.00")
