"""The fund's own bank statement in, matched to the ledger; reconciliation periods closed.

Debits are matched to payouts sent in a SEPA batch (end-to-end id, amount and IBAN all
agreeing), which confirms them: only then is a payout posted in the ledger. Credits are
matched to the contribution or recovery the ledger already has for them when exactly one
fits. The same bank movement is stored once (`identity`), so uploading a statement twice, or
two overlapping ones, changes nothing the second time. The file lands whole or not at all.
"""

import hashlib
import itertools
import re
from datetime import timedelta

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format
from common.roles import is_programme_fund_admin
from fund.models import (
    AccountCode,
    Claim,
    Entry,
    Fund,
    FundStatement,
    FundStatementLine,
    ReconciliationPeriod,
    Transaction,
)
from fund.selectors.reconciliation import (
    reconciliation_differences,
    reconciliation_rows,
    reconciliation_totals,
)
from fund.services import locks
from fund.services.claims import claim_payout_confirm
from fund.services.payouts import payout_batch_complete_if_done
from tenancies.bank.statement_files import StatementFileError, statement_lines
from tenancies.services.payments import FUND_REFERENCE_PREFIX

BATCH = 1000
CREDIT_WINDOW = timedelta(days=7)
_REFERENCE = re.compile(re.escape(FUND_REFERENCE_PREFIX) + r"[0-9A-F]{16}", re.IGNORECASE)


def _fund_admin_only(fund: Fund, actor) -> None:
    if not is_programme_fund_admin(fund, actor):
        raise DomainError(_("Only a fund administrator of the programme may do this."))


def _line_new(parsed, statement) -> FundStatementLine:
    return FundStatementLine(
        fund_id=statement.fund_id,
        statement=statement,
        row=parsed.row,
        identity=parsed.identity,
        booked_on=parsed.booked_on,
        value_on=parsed.value_on,
        amount=eur(parsed.amount),
        description=parsed.description,
        counterparty=parsed.counterparty,
        counterparty_iban=parsed.counterparty_iban[:40],
        bank_reference=parsed.bank_reference[:80],
        end_to_end_id=parsed.end_to_end_id[:80],
    )


def _payout_match(*, actor, line: FundStatementLine, sent: dict) -> None:
    """Confirm the sent payout this debit is, if end-to-end id, amount and IBAN agree."""
    text = " ".join([line.end_to_end_id, line.bank_reference, line.description])
    references = {ref.upper() for ref in _REFERENCE.findall(text)}
    claims = [sent[ref] for ref in references if ref in sent]
    if len(claims) != 1:
        if references:
            line.match_reason = _("Reference of no payout waiting for the bank")
        return
    claim = claims[0]
    if -line.amount.amount != claim.amount.amount:
        line.match_reason = _("Payout %(ref)s is of %(amount)s, not this amount") % {
            "ref": claim.payout_reference,
            "amount": money_format(claim.amount),
        }
        return
    if line.counterparty_iban and line.counterparty_iban != claim.payee_iban:
        line.match_reason = _("Payout %(ref)s went to another IBAN") % {
            "ref": claim.payout_reference
        }
        return
    try:
        with db_transaction.atomic():
            paid = claim_payout_confirm(actor=actor, claim=claim, on=line.booked_on)
    except DomainError as error:
        line.match_reason = error.message[:300]
        return
    del sent[claim.payout_reference]
    line.claim = paid
    line.transaction_id = paid.payout_transaction_id
    line.status = FundStatementLine.Status.MATCHED
    line.match_reason = _("Payout of claim #%(number)s: end-to-end id, amount and IBAN") % {
        "number": paid.pk
    }


def _credit_candidates(fund: Fund, line: FundStatementLine) -> list[int]:
    start, end = line.booked_on - CREDIT_WINDOW, line.booked_on + CREDIT_WINDOW
    return list(
        Entry.objects.filter(
            account__fund=fund,
            account__code=AccountCode.BANK,
            amount=line.amount,
            transaction__kind__in=[Transaction.Kind.CONTRIBUTION, Transaction.Kind.RECOVERY],
            transaction__date__range=(start, end),
            transaction__statement_line__isnull=True,
        ).values_list("transaction_id", flat=True)[:2]
    )


def _credit_match(*, fund: Fund, line: FundStatementLine, taken: set) -> None:
    candidates = [pk for pk in _credit_candidates(fund, line) if pk not in taken]
    if len(candidates) == 1:
        taken.add(candidates[0])
        line.transaction_id = candidates[0]
        line.status = FundStatementLine.Status.MATCHED
        line.match_reason = _("The only contribution or recovery of this amount within a week")
    elif candidates:
        line.match_reason = _("More than one ledger movement fits: match it by hand")


def fund_statement_upload(*, actor, fund: Fund, file_name: str, content: bytes, progress=None):
    """Read the fund's statement, store its new lines, confirm the payouts it shows and match
    credits; returns (statement, counts). Lines already stored are skipped.
    `progress(done, estimate)` is called after each batch."""
    _fund_admin_only(fund, actor)
    digest = hashlib.sha256(content).hexdigest()
    estimate = max(content.count(b"\n"), 1)  # for the progress display only
    counts = {"new": 0, "matched": 0, "payouts": 0, "skipped": 0}
    try:
        with db_transaction.atomic():
            fund = locks.fund_lock(fund)
            earlier = FundStatement.objects.filter(fund=fund, file_sha256=digest).first()
            if earlier:
                raise DomainError(
                    _("This file was already imported on %(date)s: nothing to add.")
                    % {"date": timezone.localtime(earlier.uploaded_at).strftime("%d/%m/%Y")},
                    field="file",
                )
            statement = FundStatement.objects.create(
                fund=fund, file_name=file_name[:200], file_sha256=digest, uploaded_by=actor
            )
            sent = {
                claim.payout_reference.upper(): claim
                for claim in Claim.objects.filter(
                    guarantee__fund=fund, status=Claim.Status.SENT
                ).exclude(payout_reference="")
            }
            taken: set[int] = set()
            batches = set()
            lines = statement_lines(content)
            while chunk := list(itertools.islice(lines, BATCH)):
                known = set(
                    FundStatementLine.objects.filter(
                        fund=fund, identity__in=[line.identity for line in chunk]
                    ).values_list("identity", flat=True)
                )
                fresh = []
                for parsed in chunk:
                    if parsed.identity in known:
                        counts["skipped"] += 1
                        continue
                    known.add(parsed.identity)
                    line = _line_new(parsed, statement)
                    if line.is_debit:
                        _payout_match(actor=actor, line=line, sent=sent)
                        if line.claim is not None:
                            counts["payouts"] += 1
                            batches.add(line.claim.payout_batch_id)
                    else:
                        _credit_match(fund=fund, line=line, taken=taken)
                    counts["new"] += 1
                    counts["matched"] += line.status == FundStatementLine.Status.MATCHED
                    fresh.append(line)
                FundStatementLine.objects.bulk_create(fresh)
                if progress:
                    progress(counts["new"] + counts["skipped"], estimate)
            if not counts["new"]:
                raise DomainError(
                    _("Every line of this statement is already imported: nothing to add."),
                    field="file",
                )
            for batch in fund.payout_batches.filter(pk__in=batches).order_by("pk"):
                payout_batch_complete_if_done(actor=actor, batch=batch)
            audit_record(
                actor=actor,
                programme=fund.programme,
                target=statement,
                verb="uploaded",
                data=counts,
            )
    except StatementFileError as error:
        raise DomainError(str(error), field="file") from error
    return statement, counts


def fund_statement_line_match(
    *, actor, line: FundStatementLine, transaction: Transaction
) -> FundStatementLine:
    """A fund administrator says which ledger movement of the bank account a line is."""
    _fund_admin_only(line.fund, actor)
    with db_transaction.atomic():
        locks.fund_lock(line.fund)
        line = FundStatementLine.objects.select_for_update().get(pk=line.pk)
        if line.status == FundStatementLine.Status.MATCHED:
            raise DomainError(_("This line is already matched."))
        if transaction.fund_id != line.fund_id:
            raise DomainError(_("Choose a movement of this fund."), field="transaction")
        if FundStatementLine.objects.filter(transaction=transaction).exists():
            raise DomainError(_("That movement is matched to another line."), field="transaction")
        bank = sum(
            (e.amount.amount for e in transaction.entries.filter(account__code=AccountCode.BANK)),
            eur(0).amount,
        )
        if bank != line.amount.amount:
            raise DomainError(
                _("The movement moves %(bank)s on the bank account, the line %(line)s.")
                % {"bank": money_format(eur(bank)), "line": money_format(line.amount)},
                field="transaction",
            )
        line.transaction = transaction
        line.status = FundStatementLine.Status.MATCHED
        line.match_reason = _("Matched by hand by %(user)s") % {
            "user": actor.get_full_name() or actor.get_username()
        }
        line.save(update_fields=["transaction", "status", "match_reason"])
        audit_record(
            actor=actor,
            programme=line.fund.programme,
            target=line.statement,
            verb="line_matched",
            data={"row": line.row, "transaction": transaction.pk},
        )
        return line


def reconciliation_period_open(*, actor, fund: Fund, start, end) -> ReconciliationPeriod:
    """A period of the bank account to reconcile; periods never overlap."""
    _fund_admin_only(fund, actor)
    if start is None or end is None or end < start:
        raise DomainError(_("The period ends before it starts."), field="end")
    if end > timezone.localdate():
        raise DomainError(_("A period to reconcile cannot end in the future."), field="end")
    with db_transaction.atomic():
        fund = locks.fund_lock(fund)
        if fund.reconciliation_periods.filter(start__lte=end, end__gte=start).exists():
            raise DomainError(_("The period overlaps another one."), field="start")
        period = ReconciliationPeriod(fund=fund, start=start, end=end)
        period.full_clean(exclude=["status"], validate_constraints=False)
        period.save()
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=period,
            verb="created",
            data={"start": start.isoformat(), "end": end.isoformat()},
        )
        return period


def reconciliation_period_close(
    *, actor, period: ReconciliationPeriod, note: str = ""
) -> ReconciliationPeriod:
    """Close the period: refused while the ledger and the statement differ on any line."""
    with db_transaction.atomic():
        locks.fund_lock(period.fund)
        period = ReconciliationPeriod.objects.select_for_update().get(pk=period.pk)
        differences = reconciliation_differences(period=period)
        if differences:
            raise DomainError(
                _("%(count)s differences between the ledger and the statement: not closed.")
                % {"count": len(differences)}
            )
        statement_total, ledger_total = reconciliation_totals(reconciliation_rows(period=period))
        return transition_run(
            queryset=ReconciliationPeriod.objects.select_related("fund"),
            pk=period.pk,
            transition="close",
            actor=actor,
            note=note,
            by=actor,
            at=timezone.now(),
            statement_total=eur(statement_total),
            ledger_total=eur(ledger_total),
            update_fields=("closed_by", "closed_at", "statement_total", "ledger_total"),
        )
