import pytest
from django.db import IntegrityError
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.money import eur
from fund.models import AccountCode, Claim, ClaimMonth, Guarantee, Transaction
from fund.selectors.guarantees import guarantee_remaining_cover
from fund.selectors.ledger import account_balances, exposure_for_reference
from fund.services.claims import (
    claim_approve,
    claim_reject,
    claim_review,
    claim_submit,
)
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from tenancies.models import ArrearsCase, Payment
from tenancies.selectors.rent import lease_open_dues
from tenancies.services.arrears import arrears_case_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(member):
    return member("fund_admin", username="amm2"), member("fund_admin", username="amm3")


@pytest.fixture
def guarantee(fund, programme, operator, fund_admin):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    return active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)


def _dues(guarantee, n=2):
    return [d.pk for d in guarantee.lease.dues.order_by("month")[:n]]


def test_submit_claims_outstanding_of_chosen_months(guarantee, operator):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.amount == eur("1100.00")
    assert claim.months.count() == 2


def test_landlord_user_may_submit_other_landlord_may_not(guarantee, member):
    own = member("landlord", username="proprio")
    guarantee.lease.landlord.users.add(own)
    stranger = member("landlord", username="estraneo")
    claim_submit(actor=own, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    with pytest.raises(DomainError):
        claim_submit(actor=stranger, guarantee=guarantee, due_ids=_dues(guarantee)[1:])


def test_submit_refuses_paid_months(guarantee, operator):
    from tenancies.services.payments import payment_record

    payment_record(
        actor=operator,
        lease=guarantee.lease,
        amount=eur("550"),
        paid_on=localdate(),
        method=Payment.Method.BANK_TRANSFER,
        payer=Payment.Payer.HOUSEHOLD,
    )
    first = guarantee.lease.dues.order_by("month").first()
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=guarantee, due_ids=[first.pk])
    assert not Claim.objects.exists()


def test_submit_refuses_more_than_remaining_cover(guarantee, operator):
    # cover 3000, months of 550: six months = 3300
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 6))
    claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 5))
    later = list(guarantee.lease.dues.order_by("month"))[5:6]
    with pytest.raises(DomainError):  # pending claims count against the cover too
        claim_submit(actor=operator, guarantee=guarantee, due_ids=[d.pk for d in later])


def test_submit_refuses_inactive_guarantee(fund, programme, operator):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    from fund.services.guarantees import guarantee_request

    requested = guarantee_request(actor=operator, fund=fund, lease=lease)
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=requested, due_ids=_dues(requested))


def test_month_in_one_live_claim_only(guarantee, operator, fund_admin):
    dues = _dues(guarantee, 1)
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=dues)
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=guarantee, due_ids=dues)
    claim_reject(actor=fund_admin, claim=claim, note="Documenti mancanti")
    again = claim_submit(actor=operator, guarantee=guarantee, due_ids=dues)
    assert again.months.get().due_id == dues[0]


def test_database_refuses_a_month_in_two_live_claims(guarantee, operator):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee, 1))
    month = claim.months.get()
    with pytest.raises(IntegrityError):
        ClaimMonth.objects.create(claim=claim, due=month.due, amount=eur("1"))


def test_reject_needs_reason(guarantee, operator, fund_admin):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    with pytest.raises(DomainError):
        claim_reject(actor=fund_admin, claim=claim, note="  ")
    rejected = claim_reject(actor=fund_admin, claim=claim, note="Mesi già saldati")
    assert rejected.status == Claim.Status.REJECTED
    assert rejected.decided_by == fund_admin
    assert rejected.letters.get().facts["reason"] == "Mesi già saldati"
    assert not ClaimMonth.objects.filter(live=True).exists()


def test_review_and_reject_only_by_fund_admin(guarantee, operator):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    with pytest.raises(DomainError):
        claim_review(actor=operator, claim=claim)
    with pytest.raises(DomainError):
        claim_reject(actor=operator, claim=claim, note="No")


@pytest.mark.parametrize("superuser", [False, True])
@pytest.mark.parametrize("role", ["fund_admin", "operator", "landlord"])
def test_submitter_can_never_approve(guarantee, member, admins, role, superuser):
    submitter = member(role, username=f"sub-{role}", is_superuser=superuser, is_staff=superuser)
    guarantee.lease.landlord.users.add(submitter)
    claim = claim_submit(actor=submitter, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=admins[0], claim=claim)
    with pytest.raises(DomainError):
        claim_approve(actor=submitter, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNDER_REVIEW
    assert claim.approved_by is None


def test_superuser_submitter_cannot_approve(guarantee, member, admins):
    boss = member("fund_admin", username="superboss", is_superuser=True, is_staff=True)
    guarantee.lease.landlord.users.add(boss)
    claim = claim_submit(actor=boss, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=admins[0], claim=claim)
    with pytest.raises(DomainError):
        claim_approve(actor=boss, claim=claim)


def test_reviewer_cannot_approve_even_as_superuser(guarantee, operator, member):
    boss = member("fund_admin", username="superrev", is_superuser=True, is_staff=True)
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=boss, claim=claim)
    with pytest.raises(DomainError):
        claim_approve(actor=boss, claim=claim)


def test_approve_by_third_person(guarantee, operator, fund_admin, admins):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=fund_admin, claim=claim)
    approved = claim_approve(actor=admins[0], claim=claim)
    assert approved.status == Claim.Status.APPROVED
    assert approved.approved_by == admins[0]
    # …with its decision letter, in the same step: the fund's register number and the amounts
    letter = approved.letters.get()
    assert (letter.kind, letter.outcome, letter.version) == ("decision", "approved", 1)
    assert letter.reference == f"FG-{localdate().year}-0001"
    assert letter.facts["approved_amount"] == "1100.00"
    assert letter.facts["remaining_cover_after"] == str(guarantee.amount.amount - 1100)


def test_operator_cannot_approve(guarantee, operator, fund_admin, member):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    claim_review(actor=fund_admin, claim=claim)
    with pytest.raises(DomainError):
        claim_approve(actor=member("operator", username="op2"), claim=claim)


def test_pay_books_ledger_payment_and_arrears(guarantee, operator, fund_admin, admins):
    lease = guarantee.lease
    case = arrears_case_open(
        actor=operator, lease=lease, on=localdate(), origin=ArrearsCase.Origin.OPERATOR
    )
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0]
    )
    open_before = len(lease_open_dues(lease=lease))
    bank_before = account_balances(fund=guarantee.fund)[AccountCode.BANK]
    paid = claim_pay(actor=admins[1], claim=claim)
    assert paid.status == Claim.Status.PAID
    assert paid.payout_transaction.kind == Transaction.Kind.PAYOUT
    balances = account_balances(fund=guarantee.fund)
    assert balances[AccountCode.BANK] == bank_before - eur("1100.00")
    # The payout became the household's debt: a proposed recovery plan holds it.
    assert balances[AccountCode.PAYOUTS] == eur("0.00")
    assert balances[AccountCode.RECEIVABLE] == eur("1100.00")
    from fund.models import RecoveryPlan

    plan = RecoveryPlan.objects.get()
    assert (plan.amount, plan.status, plan.lease) == (
        eur("1100.00"),
        "proposed",
        claim.guarantee.lease,
    )
    assert exposure_for_reference(fund=guarantee.fund, reference=guarantee) == eur("1900.00")
    assert guarantee_remaining_cover(guarantee) == eur("1900.00")
    payment = paid.payment
    assert payment.payer == Payment.Payer.FUND and payment.method == Payment.Method.FUND_PAYOUT
    assert len(lease_open_dues(lease=lease)) == open_before - 2
    # paying again does nothing
    assert (
        claim_pay(actor=admins[1], claim=claim).payout_transaction_id == paid.payout_transaction_id
    )
    assert Payment.objects.filter(payer="fund").count() == 1
    case.refresh_from_db()
    assert case.status == ArrearsCase.Status.CLAIMED


def test_pay_refused_unless_approved(guarantee, operator, fund_admin):
    claim = claim_submit(actor=operator, guarantee=guarantee, due_ids=_dues(guarantee))
    with pytest.raises(DomainError):
        claim_pay(actor=fund_admin, claim=claim)
    assert not Transaction.objects.filter(kind=Transaction.Kind.PAYOUT).exists()


def test_pay_refused_when_household_paid_meanwhile(guarantee, operator, fund_admin, admins):
    from tenancies.services.payments import payment_record

    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0]
    )
    payment_record(
        actor=operator,
        lease=guarantee.lease,
        amount=eur("100"),
        paid_on=localdate(),
        method=Payment.Method.BANK_TRANSFER,
        payer=Payment.Payer.HOUSEHOLD,
    )
    with pytest.raises(DomainError):
        claim_pay(actor=admins[1], claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED


def test_paying_the_whole_cover_exhausts_the_guarantee(guarantee, operator, fund_admin, admins):
    # months of 550: five = 2750, then the remaining 250 cannot cover a sixth month
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0], months=5
    )
    claim_pay(actor=admins[1], claim=claim)
    guarantee.refresh_from_db()
    assert guarantee.status == Guarantee.Status.ACTIVE
    assert guarantee_remaining_cover(guarantee) == eur("250.00")
    sixth = list(guarantee.lease.dues.order_by("month"))[5]
    with pytest.raises(DomainError):
        claim_submit(actor=operator, guarantee=guarantee, due_ids=[sixth.pk])


def test_exhausted_when_cover_used_up(fund, programme, operator, fund_admin, admins):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator, rent="450")  # 500 a month
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    assert guarantee.amount == eur("2700.00")
    claim = approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0], months=5
    )
    claim_pay(actor=admins[1], claim=claim)
    assert guarantee_remaining_cover(guarantee) == eur("200.00")
    Guarantee.objects.filter(pk=guarantee.pk).update(amount=eur("2500.00"))
    guarantee.refresh_from_db()
    from fund.services.guarantees import guarantee_exhaust_if_spent

    assert guarantee_exhaust_if_spent(actor=fund_admin, guarantee=guarantee).status == "exhausted"
