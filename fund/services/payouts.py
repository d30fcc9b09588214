"""Payouts out through the bank: the fund's own account, SEPA batches of approved payouts.

A batch is made under the fund's lock: each claim moves approved → sent (four eyes: never its
submitter, reviewer or approver) with a fresh end-to-end id, and the pain.001.001.03 file that
sepaxml writes (and validates against its XSD) is kept on the batch as handed to the bank.
Cancelling a batch recalls its payouts that the statement has not confirmed.
"""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError as SepaValidationError

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur
from common.roles import is_programme_fund_admin
from fund.models import Claim, Fund, PayoutBatch
from fund.services import locks
from fund.services.claims import claim_recall, claim_send
from fund.services.letters import claim_payout_order_issue
from housing.validators import normalise_iban

MAX_PER_BATCH = 500


def fund_bank_account_set(*, actor, fund: Fund, account_holder: str, iban: str, bic: str) -> Fund:
    """The fund's own bank account, the debtor of every SEPA file; IBAN and BIC checked."""
    if not is_programme_fund_admin(fund, actor):
        raise DomainError(_("Only a fund administrator of the programme may do this."))
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        before = {"account_holder": locked.account_holder, "iban": locked.iban, "bic": locked.bic}
        locked.account_holder = (account_holder or "").strip()[:70]
        locked.iban = normalise_iban(iban)
        locked.bic = "".join((bic or "").split()).upper()
        after = {"account_holder": locked.account_holder, "iban": locked.iban, "bic": locked.bic}
        if before == after:
            return locked
        try:
            locked.full_clean(validate_constraints=False)
        except ValidationError as error:
            raise DomainError("; ".join(error.messages)) from error
        locked.save(update_fields=["account_holder", "iban", "bic"])
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=locked,
            verb="bank_account_changed",
            data={"before": before, "after": after},
        )
        return locked


def _sepa_text(value: str) -> str:
    """SEPA's Latin character set: letters, digits and / - ? : ( ) . , ' + and space."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    return "".join(c if c in allowed else " " for c in value).strip()


def pain001_render(*, fund: Fund, claims, execution_date: date) -> tuple[str, str]:
    """The SEPA credit transfer file (pain.001.001.03) paying `claims` from the fund's account,
    validated against the schema; returns (message id, XML)."""
    config = {
        "name": _sepa_text(fund.account_holder or fund.name)[:70],
        "IBAN": fund.iban,
        "batch": True,
        "currency": "EUR",
    }
    if fund.bic:  # optional within SEPA (IBAN-only since 2016): an empty one is invalid
        config["BIC"] = fund.bic
    sepa = SepaTransfer(config, schema="pain.001.001.03", clean=True)
    for claim in claims:
        landlord = claim.guarantee.lease.landlord
        sepa.add_payment(
            {
                "name": _sepa_text(str(landlord))[:70] or "-",
                "IBAN": claim.payee_iban,
                "amount": int(claim.amount.amount * 100),
                "execution_date": execution_date,
                "description": _sepa_text(
                    _("Guarantee fund, claim %(number)s") % {"number": claim.pk}
                )[:140],
                "endtoend_id": claim.payout_reference,
            }
        )
    try:
        xml = sepa.export(validate=True, pretty_print=True)
    except SepaValidationError as error:
        raise DomainError(_("The SEPA file does not validate: check the IBANs and BIC.")) from error
    return sepa.msg_id[:35], xml.decode()


def payout_batch_create(
    *, actor, fund: Fund, claims, execution_date: date | None = None
) -> PayoutBatch:
    """Send the chosen approved payouts to the bank as one SEPA file, each with its payout
    order: all of them or none."""
    claim_ids = sorted({int(getattr(c, "pk", c)) for c in claims})
    if not claim_ids:
        raise DomainError(_("Choose at least one approved payout."), field="claims")
    if len(claim_ids) > MAX_PER_BATCH:
        raise DomainError(_("At most 500 payouts in one file."), field="claims")
    execution_date = execution_date or timezone.localdate()
    if execution_date < timezone.localdate():
        raise DomainError(_("The execution date cannot be in the past."), field="execution_date")
    with db_transaction.atomic():
        fund = locks.fund_lock(fund)
        if not fund.iban or not fund.account_holder:
            raise DomainError(
                _("Enter the fund's bank account (holder, IBAN, BIC) before sending payouts.")
            )
        amounts = list(
            Claim.objects.filter(pk__in=claim_ids, guarantee__fund=fund).values_list(
                "amount", flat=True
            )
        )
        if len(amounts) != len(claim_ids):
            raise DomainError(_("Some of the chosen payouts are not of this fund."), field="claims")
        batch = PayoutBatch(
            fund=fund,
            message_id=f"pending-{secrets.token_hex(8)}",
            execution_date=execution_date,
            total=eur(sum(amounts, eur(0).amount)),
            count=len(amounts),
            xml="",
            created_by=actor,
        )
        batch.save()
        for pk in claim_ids:
            claim_send(actor=actor, claim=Claim(pk=pk), batch=batch, execution_date=execution_date)
        sent = list(
            Claim.objects.filter(pk__in=claim_ids)
            .select_related("guarantee__lease__landlord")
            .order_by("pk")
        )
        message_id, xml = pain001_render(fund=fund, claims=sent, execution_date=execution_date)
        batch.message_id = message_id
        batch.xml = xml
        batch.count = len(sent)
        batch.total = eur(sum((c.amount.amount for c in sent), eur(0).amount))
        batch.full_clean(exclude=["status"], validate_constraints=False)
        batch.save(update_fields=["message_id", "xml", "count", "total"])
        # One payout order per claim, in the same transaction: the file and its orders agree.
        for claim in sent:
            claim_payout_order_issue(actor=actor, claim=claim)
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=batch,
            verb="created",
            data={
                "claims": claim_ids,
                "total": str(batch.total.amount),
                "execution_date": execution_date.isoformat(),
            },
        )
        return batch


def payout_batch_cancel(*, actor, batch: PayoutBatch, note: str) -> PayoutBatch:
    """The file will not be executed (never uploaded, refused by the bank): every payout of it
    not yet confirmed goes back to approved."""
    reason = (note or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the cancellation."), field="note")
    with db_transaction.atomic():
        locks.fund_lock(batch.fund)
        paid = Claim.objects.filter(payout_batch=batch, status=Claim.Status.PAID).exists()
        if paid:
            raise DomainError(
                _("The statement already shows payouts of this file: recall the others one by one.")
            )
        cancelled = transition_run(
            queryset=PayoutBatch.objects.select_related("fund"),
            pk=batch.pk,
            transition="cancel",
            actor=actor,
            note=reason,
            by=actor,
            update_fields=("cancelled_by",),
        )
        for claim in Claim.objects.filter(payout_batch=batch, status=Claim.Status.SENT).order_by(
            "pk"
        ):
            claim_recall(actor=actor, claim=claim, note=reason)
        return cancelled


def payout_batch_complete_if_done(*, actor, batch: PayoutBatch) -> None:
    """Once the statement has confirmed every payout of the batch, the batch is completed."""
    if batch.status != PayoutBatch.Status.SENT:
        return
    if batch.claims.exclude(status=Claim.Status.PAID).exists():
        return
    transition_run(
        queryset=PayoutBatch.objects.select_related("fund"),
        pk=batch.pk,
        transition="complete",
        actor=actor,
        check_permission=False,
    )
