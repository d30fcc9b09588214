"""Segregation of duties on money: a contribution above the threshold is posted only once a
second fund administrator approves it, and a payout goes only to an approved IBAN."""

from decimal import Decimal

import pytest
import tablib
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localdate

from common.exceptions import DomainError
from common.integrity import integrity_run
from common.money import eur
from fund.models import Claim, Contribution, ContributionProposal, Transaction
from fund.models.contribution_proposals import contribution_four_eyes_threshold
from fund.resources import ContributionResource
from fund.selectors.ledger import fund_figures
from fund.services.contributions import (
    contribution_proposal_approve,
    contribution_proposal_reject,
    contribution_propose,
)
from fund.services.funds import contribution_book, contribution_post
from fund.tests.guarantee_factories import (
    active_guarantee,
    approved_claim,
    funded,
    guaranteed_lease,
)
from fund.tests.payouts import claim_pay
from housing.services import payee_change_approve, payee_change_propose

pytestmark = pytest.mark.django_db

NEW_IBAN = "IT07X0542811101000000654321"
LARGE = eur("80000.00")


def propose(fund, actor, amount=LARGE):
    return contribution_propose(
        actor=actor,
        fund=fund,
        funder="Fondazione Cariplo",
        kind=Contribution.Kind.FOUNDATION,
        amount=amount,
        date=localdate(),
    )


def test_the_threshold_is_fifty_thousand_euros_and_bounded():
    assert contribution_four_eyes_threshold() == eur("50000.00")
    for wrong in ("10", "5000000", "nan", "abc"):
        with (
            override_settings(FUND_CONTRIBUTION_FOUR_EYES_ABOVE=wrong),
            pytest.raises(ImproperlyConfigured),
        ):
            contribution_four_eyes_threshold()


def test_a_large_contribution_is_not_booked_by_one_person(fund, fund_admin):
    with translation.override("it"), pytest.raises(DomainError) as error:
        contribution_book(
            actor=fund_admin,
            fund=fund,
            funder="Fondazione Cariplo",
            kind=Contribution.Kind.FOUNDATION,
            amount=LARGE,
            date=localdate(),
        )
    assert "secondo amministratore" in error.value.message
    assert not Transaction.objects.exists()


def test_a_large_contribution_is_posted_only_when_a_second_administrator_approves(
    fund, fund_admin, second_admin
):
    proposal = propose(fund, fund_admin)
    assert proposal.status == ContributionProposal.Status.PROPOSED
    assert fund_figures(fund=fund).cash == eur("0.00")
    assert not Contribution.objects.exists()

    with pytest.raises(DomainError):
        contribution_proposal_approve(actor=fund_admin, proposal=proposal)
    assert not Contribution.objects.exists()

    approved = contribution_proposal_approve(actor=second_admin, proposal=proposal, note="ok")
    assert approved.status == ContributionProposal.Status.APPROVED
    assert approved.decided_by == second_admin
    assert approved.contribution.amount == LARGE
    assert fund_figures(fund=fund).cash == LARGE
    # Approving twice posts nothing more.
    with pytest.raises(DomainError):
        contribution_proposal_approve(actor=second_admin, proposal=proposal)
    assert Contribution.objects.count() == 1


def test_a_rejected_contribution_posts_nothing(fund, fund_admin, second_admin):
    proposal = propose(fund, fund_admin)
    contribution_proposal_reject(actor=second_admin, proposal=proposal, note="doppio")
    assert ContributionProposal.objects.get().status == ContributionProposal.Status.REJECTED
    assert not Contribution.objects.exists()


def test_the_page_records_a_large_contribution_as_pending(client_of, fund, fund_admin):
    response = client_of(fund_admin).post(
        reverse("fund:contribution_create"),
        {
            "funder": "Fondazione Cariplo",
            "kind": "foundation",
            "amount": "80000,00",
            "date": localdate().isoformat(),
            "note": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert ContributionProposal.objects.filter(status="proposed").count() == 1
    assert not Contribution.objects.exists()
    assert "secondo amministratore" in response.content.decode()


def test_an_import_cannot_post_a_large_contribution(fund, fund_admin):
    dataset = tablib.Dataset(
        ("genera-azioni", "2026-01-10", "Fondazione", "foundation", "80000.00", "EUR", ""),
        headers=["programme", "date", "funder", "kind", "amount", "currency", "note"],
    )
    result = ContributionResource(actor=fund_admin).import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert not Contribution.objects.exists()


def test_integrity_finds_a_large_contribution_posted_without_approval(
    fund, fund_admin, second_admin
):
    contribution_proposal_approve(actor=second_admin, proposal=propose(fund, fund_admin))
    contribution_book(
        actor=fund_admin,
        fund=fund,
        funder="Comune",
        kind=Contribution.Kind.MUNICIPALITY,
        amount=eur("50000.00"),
        date=localdate(),
    )
    assert integrity_run(["contribution_large_has_second_approval"]) == []
    # Seeded: posted past the services' threshold check.
    with transaction.atomic():
        bypass = contribution_post(
            actor=fund_admin,
            fund=fund,
            funder="Altro",
            kind=Contribution.Kind.DONATION,
            amount=eur("50000.01"),
            date=localdate(),
        )
    found = [v.obj for v in integrity_run(["contribution_large_has_second_approval"])]
    assert found == [bypass]


# --- payouts go to the approved IBAN only -------------------------------------------------


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


def test_a_payout_goes_to_the_approved_iban_not_a_pending_one(claim, operator, admins):
    landlord = claim.guarantee.lease.landlord
    approved_iban = landlord.iban
    assert approved_iban
    payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    paid = claim_pay(actor=admins[1], claim=claim)
    assert paid.payee_iban == approved_iban
    assert integrity_run(["claim_paid_to_approved_iban"]) == []


def test_a_payout_after_approval_goes_to_the_new_iban(claim, operator, admins):
    landlord = claim.guarantee.lease.landlord
    change = payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    payee_change_approve(actor=admins[0], change=change)
    assert claim_pay(actor=admins[1], claim=claim).payee_iban == NEW_IBAN
    assert integrity_run(["claim_paid_to_approved_iban"]) == []


def test_integrity_finds_a_payout_to_an_iban_nobody_approved(claim, operator, admins):
    landlord = claim.guarantee.lease.landlord
    payee_change_propose(actor=operator, landlord=landlord, iban=NEW_IBAN)
    paid = claim_pay(actor=admins[1], claim=claim)
    Claim.objects.filter(pk=paid.pk).update(payee_iban=NEW_IBAN)
    assert [v.obj for v in integrity_run(["claim_paid_to_approved_iban"])] == [paid]


def test_settings_default_is_a_decimal_string():
    assert Decimal(str(contribution_four_eyes_threshold().amount)) == Decimal("50000.00")
