"""The way tests reach a paid claim: as in production, a fund administrator who took no part
in the claim sends its payout in a SEPA batch, and the fund's statement confirms it."""

from django.utils import timezone

from common.tests.factories import MembershipFactory, UserFactory
from fund.models import Claim
from fund.services.fund_bank import fund_statement_upload
from fund.services.payouts import fund_bank_account_set, payout_batch_create
from fund.statement_samples import payout_statement_csv

FUND_IBAN = "IT60X0542811101000000123456"
FUND_BIC = "BPMOIT22XXX"


def fund_bank_account_ready(*, fund, actor):
    if not fund.iban:
        fund_bank_account_set(
            actor=actor,
            fund=fund,
            account_holder="Fondo di garanzia",
            iban=FUND_IBAN,
            bic=FUND_BIC,
        )
    fund.refresh_from_db()
    return fund


def payout_sender(claim):
    """A fund administrator of the claim's programme who neither submitted, reviewed nor
    approved it (made on the spot if there is none)."""
    programme = claim.guarantee.fund.programme
    involved = {claim.submitted_by_id, claim.reviewed_by_id, claim.approved_by_id}
    for membership in programme.memberships.filter(role="fund_admin").select_related("user"):
        if membership.user_id not in involved:
            return membership.user
    user = UserFactory(username=f"tesoriere{claim.pk}")
    MembershipFactory(user=user, programme=programme, role="fund_admin")
    return user


def claim_send_to_bank(*, claim, sender=None):
    """The claim's payout in a SEPA batch of its own; returns the sent claim."""
    claim = Claim.objects.select_related("guarantee__fund__programme").get(pk=claim.pk)
    sender = sender or payout_sender(claim)
    fund_bank_account_ready(fund=claim.guarantee.fund, actor=sender)
    payout_batch_create(actor=sender, fund=claim.guarantee.fund, claims=[claim])
    return Claim.objects.get(pk=claim.pk)


def claim_pay(*, actor, claim, on=None):
    """Send the approved claim's payout and confirm it from a statement uploaded by `actor`;
    an already paid claim is returned as it is."""
    current = Claim.objects.get(pk=claim.pk)
    if current.status == Claim.Status.PAID:
        return current
    if current.status != Claim.Status.SENT:
        current = claim_send_to_bank(claim=current)  # refuses a claim not approved
    content = payout_statement_csv(
        claims=[current], booked_on=on or timezone.localdate(), opening=current.payout_reference
    )
    fund_statement_upload(
        actor=actor, fund=current.guarantee.fund, file_name="estratto.csv", content=content
    )
    return Claim.objects.get(pk=claim.pk)
