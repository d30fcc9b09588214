"""Letters on claims (fund.models.letters): the decision letter when a claim is approved or
rejected, the payout order when its payout is sent to the bank.

Each is issued inside the transaction of the step it records, under the fund's lock (which
also numbers the fund's register, FG-<year>-<number>): its facts are frozen, the PDF rendered
from them, written to storage and fingerprinted. If anything fails, the step fails with it:
there is never an approval without its letter, nor a letter for a step that did not happen.
One payout order per claim, not per SEPA batch: an accountant files each payment with the
claim it settles, and a payout recalled from a batch voids its own order, not its neighbours'.
"""

import hashlib
import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction as db_transaction
from django.db.models import Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.roles import Role
from common.uploads import upload_discard
from fund.models import Claim, ClaimLetter, ClaimMonth
from fund.models.letters import letter_reference
from fund.pdf import claim_letter_pdf_render
from fund.selectors.guarantees import guarantee_remaining_cover
from housing.validators import iban_masked

logger = logging.getLogger(__name__)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _months(claim: Claim) -> list[dict]:
    return [
        {"month": month.due.month.isoformat(), "amount": str(month.amount.amount)}
        for month in ClaimMonth.objects.filter(claim=claim).select_related("due")
    ]


def _common_facts(claim: Claim) -> dict:
    guarantee = claim.guarantee
    programme = guarantee.fund.programme
    dwelling = guarantee.lease.dwelling
    return {
        "programme": programme.name,
        "lead_organisation": programme.lead_organisation,
        "fund": guarantee.fund.name,
        "claim_number": claim.pk,
        "submitted_on": timezone.localdate(claim.submitted_at).isoformat(),
        "guarantee_number": guarantee.pk,
        "dwelling": ", ".join(
            part for part in (dwelling.address, dwelling.unit, dwelling.municipality) if part
        ),
        "months": _months(claim),
    }


def decision_letter_facts(claim: Claim) -> dict:
    """What the decision letter declares, as JSON: the claim, the outcome, the amounts (or the
    administrator's reason) and who decided, by role: the landlord is told the fund's decision,
    not which of its administrators took it (fund.selectors.portal shows no names either)."""
    guarantee = claim.guarantee
    lease = guarantee.lease
    approved = claim.status != Claim.Status.REJECTED  # sent and paid claims were approved
    facts = {
        "kind": ClaimLetter.Kind.DECISION.value,
        "outcome": Claim.Status.APPROVED.value if approved else Claim.Status.REJECTED.value,
        **_common_facts(claim),
        "claimed_amount": str(claim.amount.amount),
        "guarantee_amount": str(guarantee.amount.amount),
        "landlord": lease.landlord.name,
        "landlord_tax_code": lease.landlord.tax_code,
        "tenant": lease.household.name,
    }
    with translation.override("it"):
        facts["decided_by_role"] = str(Role.FUND_ADMIN.label)
    if approved:
        committed = guarantee.claims.filter(
            status__in=[Claim.Status.APPROVED, Claim.Status.SENT]
        ).aggregate(total=Sum("amount"))["total"]
        remaining = guarantee_remaining_cover(guarantee).amount - (committed or 0)
        facts["approved_amount"] = str(claim.amount.amount)
        facts["remaining_cover_after"] = str(remaining)
    else:
        facts["reason"] = claim.rejection_reason
    return facts


def payout_order_facts(claim: Claim) -> dict:
    """What the payout order says, as JSON: payee, masked IBANs, amount, the claim and
    guarantee it settles, the SEPA batch and end-to-end id, and the two administrators (four
    eyes) who approved the claim and ordered its payout, by name: an internal document."""
    batch = claim.payout_batch
    fund = claim.guarantee.fund
    landlord = claim.guarantee.lease.landlord
    decision = claim.letters.decisions().current().first()
    return {
        "kind": ClaimLetter.Kind.PAYOUT_ORDER.value,
        "outcome": "",
        **_common_facts(claim),
        "amount": str(claim.amount.amount),
        "payee": landlord.name,
        "payee_tax_code": landlord.tax_code,
        "payee_iban": iban_masked(claim.payee_iban),
        "end_to_end_id": claim.payout_reference,
        "batch": batch.message_id,
        "execution_date": batch.execution_date.isoformat(),
        "fund_account_holder": fund.account_holder,
        "fund_iban": iban_masked(fund.iban),
        "decision_reference": decision.reference if decision else "",
        "approved_by": _person(claim.approved_by),
        "ordered_by": _person(claim.sent_by),
    }


def _issue(*, actor, claim: Claim, facts: dict) -> ClaimLetter:
    """Inside the caller's transaction, the fund locked: supersede the current letter of the
    kind, number the next one in the fund's register, render, store and fingerprint it."""
    kind = facts["kind"]
    now = timezone.now()
    year = timezone.localdate(now).year
    fund = claim.guarantee.fund
    letters = ClaimLetter.objects.filter(claim=claim, kind=kind)
    current = letters.current().first()
    # The version it follows, superseded already if a recall voided it: the new one says so.
    previous = letters.order_by("-version").first()
    version = (letters.aggregate(v=Max("version"))["v"] or 0) + 1
    last = ClaimLetter.objects.filter(fund=fund, year=year).aggregate(n=Max("number"))["n"]
    number = (last or 0) + 1
    reference = letter_reference(year, number)
    facts = {
        **facts,
        "reference": reference,
        "version": version,
        "replaces": previous.reference if previous else "",
        "issued_on": timezone.localdate(now).isoformat(),
    }
    try:
        pdf = claim_letter_pdf_render(facts)
    except Exception as error:
        logger.exception("claim letter %s not rendered", reference)
        raise DomainError(
            _("The letter could not be produced, so nothing was changed: try again later.")
        ) from error
    if current is not None:
        ClaimLetter.objects.filter(pk=current.pk).update(superseded_at=now)
    letter = ClaimLetter(
        fund=fund,
        claim=claim,
        kind=kind,
        outcome=facts["outcome"],
        version=version,
        year=year,
        number=number,
        reference=reference,
        facts=facts,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=now,
        issued_by=actor,
    )
    letter.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    try:
        letter.full_clean(validate_constraints=False)
        with db_transaction.atomic():
            letter.save()
    except Exception:
        upload_discard(letter.file.storage, letter.file.name)
        raise
    audit_record(
        actor=actor,
        programme=fund.programme,
        target=claim,
        verb="payout_order_issued" if kind == ClaimLetter.Kind.PAYOUT_ORDER else "letter_issued",
        context=claim.guarantee.lease.household,
        data={
            "reference": reference,
            "version": version,
            "sha256": letter.sha256,
            "replaces": facts["replaces"],
        },
    )
    return letter


def _claim_for_letter(claim: Claim) -> Claim:
    return Claim.objects.select_related(
        "guarantee__fund__programme",
        "guarantee__lease__landlord",
        "guarantee__lease__household",
        "guarantee__lease__dwelling",
        "approved_by",
        "sent_by",
        "payout_batch",
    ).get(pk=claim.pk)


def claim_decision_letter_issue(*, actor, claim: Claim) -> ClaimLetter:
    """The decision letter of a claim just approved or rejected, in that step's transaction
    (the fund locked); a later decision supersedes an earlier letter, which is kept."""
    claim = _claim_for_letter(claim)
    if claim.status not in (Claim.Status.APPROVED, Claim.Status.REJECTED):
        raise DomainError(_("Only an approved or rejected claim has a decision letter."))
    return _issue(actor=actor, claim=claim, facts=decision_letter_facts(claim))


def claim_payout_order_issue(*, actor, claim: Claim) -> ClaimLetter:
    """The payout order of a claim just sent to the bank, in the batch's transaction."""
    claim = _claim_for_letter(claim)
    if claim.status != Claim.Status.SENT:
        raise DomainError(_("Only a payout sent to the bank has a payout order."))
    return _issue(actor=actor, claim=claim, facts=payout_order_facts(claim))


def claim_payout_order_supersede(*, actor, claim: Claim, note: str) -> None:
    """A payout recalled from the bank: its order no longer applies (kept, marked superseded);
    sending the payout again issues the next version."""
    current = ClaimLetter.objects.payout_orders().current().filter(claim=claim).first()
    if current is None:
        return
    ClaimLetter.objects.filter(pk=current.pk).update(superseded_at=timezone.now())
    audit_record(
        actor=actor,
        programme=current.fund.programme,
        target=claim,
        verb="payout_order_superseded",
        note=note,
        context=claim.guarantee.lease.household,
        data={"reference": current.reference, "version": current.version},
    )


def claim_letter_pdf(letter: ClaimLetter) -> bytes:
    """The letter's PDF as issued, read from storage and checked against its fingerprint:
    a file that changed since is refused, never served as the fund's letter."""
    with letter.file.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != letter.sha256:
        raise DomainError(
            _("The stored letter %(reference)s does not match its fingerprint: ask the fund.")
            % {"reference": letter.reference}
        )
    return content


def claim_letters_issue_missing(*, actor) -> int:
    """The letters a decided claim lacks (an installation that decided claims before letters
    existed, or a restore): a decision letter for an approved, sent, paid or rejected claim, a
    payout order for one sent or paid through a SEPA batch. Each is issued as `_issue` issues
    them (fund locked, numbered in today's register, `actor` named as who issued them), its facts
    as the records stand now and marked issued afterwards, never dated back. Running it again
    issues nothing."""
    from fund.models import Fund

    decided = [Claim.Status.APPROVED, Claim.Status.SENT, Claim.Status.PAID, Claim.Status.REJECTED]
    issued = 0
    for claim in Claim.objects.filter(status__in=decided).order_by("pk").iterator():
        with db_transaction.atomic():
            Fund.objects.select_for_update().get(guarantees__claims=claim)
            claim = _claim_for_letter(claim)
            current = claim.letters.current()
            outcome = "rejected" if claim.status == Claim.Status.REJECTED else "approved"
            if not current.decisions().filter(outcome=outcome).exists():
                facts = decision_letter_facts(claim)
                facts["issued_after_the_decision"] = True
                _issue(actor=actor, claim=claim, facts=facts)
                issued += 1
            ordered = claim.status in (Claim.Status.SENT, Claim.Status.PAID)
            if ordered and claim.payout_batch_id and not current.payout_orders().exists():
                facts = payout_order_facts(claim)
                facts["issued_after_the_decision"] = True
                _issue(actor=actor, claim=claim, facts=facts)
                issued += 1
    return issued
