"""A claim's payout on the lease: recorded only by the fund when it pays, with a reference
nobody can guess or take first; a fund payment from anywhere else is found by the checks."""

import re

import pytest
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.money import eur
from fund.models import Claim
from fund.services.claims import claim_reject
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from tenancies.models import Payment
from tenancies.services.payments import payment_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(member):
    return member("fund_admin", username="amm2"), member("fund_admin", username="amm3")


@pytest.fixture
def claim(fund, programme, operator, fund_admin, admins):
    funded(fund)
    lease = guaranteed_lease(programme=programme, operator=operator)
    guarantee = active_guarantee(fund=fund, lease=lease, operator=operator, admin=fund_admin)
    return approved_claim(
        guarantee=guarantee, submitter=operator, reviewer=fund_admin, approver=admins[0]
    )


def household_payment(claim, operator, **overrides):
    data = {
        "actor": operator,
        "lease": claim.guarantee.lease,
        "amount": eur("10"),
        "paid_on": localdate(),
        "method": Payment.Method.BANK_TRANSFER,
        "payer": Payment.Payer.HOUSEHOLD,
    }
    data.update(overrides)
    return payment_record(**data)


def test_an_operator_cannot_take_the_payouts_reference_first(claim, operator, admins):
    # The old reference was FONDO-RICHIESTA-<claim number>: booked first, it blocked the payout.
    with pytest.raises(DomainError):
        household_payment(claim, operator, bank_reference=f"FONDO-RICHIESTA-{claim.pk}")

    paid = claim_pay(actor=admins[1], claim=claim)

    assert paid.status == Claim.Status.PAID
    assert paid.payment.bank_reference == paid.payout_reference


def test_the_payout_reference_is_random_stored_and_unique(claim, fund, operator, admins):
    paid = claim_pay(actor=admins[1], claim=claim)
    paid.refresh_from_db()

    assert re.fullmatch(r"FONDO-[0-9A-F]{16}", paid.payout_reference)
    assert paid.payment.bank_reference == paid.payout_reference
    assert paid.payment.method == Payment.Method.FUND_PAYOUT
    assert paid.payment.payer == Payment.Payer.FUND


def test_paying_twice_keeps_the_first_reference(claim, admins):
    first = claim_pay(actor=admins[1], claim=claim)
    again = claim_pay(actor=admins[1], claim=claim)

    assert again.payout_reference == first.payout_reference
    assert Payment.objects.filter(payer=Payment.Payer.FUND).count() == 1


def test_an_operator_cannot_record_a_fund_payout(claim, operator):
    with pytest.raises(DomainError):
        household_payment(
            claim,
            operator,
            amount=claim.amount,
            method=Payment.Method.FUND_PAYOUT,
            payer=Payment.Payer.FUND,
        )
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"amount": eur("1")},
        {"bank_reference": "FONDO-0000000000000000"},
        {"payer": Payment.Payer.HOUSEHOLD},
    ],
)
def test_a_fund_payment_must_match_the_claim_it_pays(claim, operator, change):
    claim.payout_reference = "FONDO-0123456789ABCDEF"
    data = {
        "amount": claim.amount,
        "method": Payment.Method.FUND_PAYOUT,
        "payer": Payment.Payer.FUND,
        "bank_reference": claim.payout_reference,
        "fund_claim": claim,
    }
    data.update(change)

    with pytest.raises(DomainError):
        household_payment(claim, operator, **data)
    assert not Payment.objects.exists()


def test_a_claim_not_approved_cannot_carry_a_fund_payment(claim, operator, fund_admin):
    claim = claim_reject(actor=fund_admin, claim=claim, note="Documenti mancanti")
    claim.payout_reference = "FONDO-0123456789ABCDEF"

    with pytest.raises(DomainError):
        household_payment(
            claim,
            operator,
            amount=claim.amount,
            method=Payment.Method.FUND_PAYOUT,
            payer=Payment.Payer.FUND,
            bank_reference=claim.payout_reference,
            fund_claim=claim,
        )


def test_integrity_finds_a_fund_payment_no_claim_made(claim, operator, admins):
    claim_pay(actor=admins[1], claim=claim)
    assert integrity_run(["fund_payments_come_from_claims"]) == []

    # Seeded past the service: a household payment turned into a "fund payout".
    fake = household_payment(claim, operator)
    Payment.objects.filter(pk=fake.pk).update(
        method=Payment.Method.FUND_PAYOUT, payer=Payment.Payer.FUND
    )

    assert [v.obj for v in integrity_run(["fund_payments_come_from_claims"])] == [fake]


def test_integrity_finds_a_payout_that_does_not_match_its_claim(claim, admins):
    paid = claim_pay(actor=admins[1], claim=claim)
    Payment.objects.filter(pk=paid.payment_id).update(bank_reference="FONDO-RICHIESTA-1")

    found = integrity_run(["fund_payments_come_from_claims"])
    assert [v.obj.pk for v in found] == [paid.payment_id]
