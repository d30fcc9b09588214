"""The one way money moves: `transaction_post`, and its undo, `transaction_reverse`."""

from collections.abc import Iterable
from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.audit import audit_record
from common.exceptions import DomainError
from common.money import money_format, round_cents
from fund.models import Account, AccountCode, Fund, Transaction
from fund.selectors.ledger import (
    account_balances,
    account_daily_movements,
    reversal_refusal,
)
from fund.services import locks

Line = tuple[str | Account, Money]


def _normalise_lines(*, fund: Fund, lines: Iterable[Line], accounts: dict) -> list[tuple]:
    lines = list(lines)
    if len(lines) < 2:
        raise DomainError(_("A ledger transaction needs at least two lines."))
    result = []
    for target, amount in lines:
        if isinstance(target, Account):
            if target.fund_id != fund.pk:
                raise DomainError(_("That account belongs to another fund."))
            code = target.code
        else:
            code = target
        if code not in accounts:
            raise DomainError(_("Unknown account “%(code)s”.") % {"code": code})
        if not isinstance(amount, Money):
            raise DomainError(_("Ledger amounts must be money, with their currency."))
        if str(amount.currency) != fund.currency:
            raise DomainError(
                _("This fund keeps its books in %(currency)s.") % {"currency": fund.currency}
            )
        value = Decimal(amount.amount)
        if value != round_cents(value):
            raise DomainError(_("Amounts are in whole cents."))
        if value == 0:
            raise DomainError(_("A ledger line cannot be zero."))
        result.append((accounts[code], value))
    memo = sum((v for a, v in result if a.is_memorandum), Decimal(0))
    real = sum((v for a, v in result if not a.is_memorandum), Decimal(0))
    if memo != 0 or real != 0:
        raise DomainError(_("The lines do not balance: debits must equal credits."))
    return result


def _check_cash_never_negative(*, fund: Fund, day: date_type, bank_delta: Decimal) -> None:
    """With `bank_delta` booked on `day`, the bank balance stays ≥ 0 on that day and after."""
    balance = account_balances(fund=fund, at=day)[AccountCode.BANK].amount + bank_delta
    lowest = balance
    for _day, movement in account_daily_movements(fund=fund, code=AccountCode.BANK, after=day):
        balance += movement.amount
        lowest = min(lowest, balance)
    if lowest < 0:
        raise DomainError(_("Not enough cash: this would take the fund's bank balance below zero."))


def _check_exposure_never_negative(*, fund: Fund, exposure_delta: Decimal) -> None:
    """Less exposure than none is impossible: e.g. reversing a reservation that was already
    (partly) released."""
    exposure = account_balances(fund=fund)[AccountCode.GUARANTEES_ISSUED].amount
    if exposure + exposure_delta < 0:
        raise DomainError(_("Guarantee exposure cannot go below zero."))


def _check_capacity(*, fund: Fund, bank_delta: Decimal, exposure_delta: Decimal) -> None:
    balances = account_balances(fund=fund)
    cash = balances[AccountCode.BANK].amount + bank_delta
    exposure = balances[AccountCode.GUARANTEES_ISSUED].amount + exposure_delta
    if exposure > cash * fund.leverage:
        raise DomainError(
            _(
                "Guarantee exposure would exceed the fund's capacity "
                "(cash × leverage = %(limit)s, exposure %(exposure)s)."
            )
            % {
                "limit": money_format(cash * fund.leverage),
                "exposure": money_format(exposure),
            }
        )


def transaction_post(
    *,
    fund: Fund,
    lines: Iterable[Line],
    actor,
    description: str,
    kind: str,
    reference=None,
    date: date_type | None = None,
    reversal_of: Transaction | None = None,
    enforce_capacity: bool = True,
) -> Transaction:
    """Post one balanced transaction, or refuse it whole with a DomainError.

    Lines are (account code or Account, signed Money): debit positive, credit negative. Under
    the fund's row lock it refuses unbalanced, zero or foreign lines, a bank balance below zero
    on any day from `date` on, and — when `enforce_capacity` — a posting that lowers cash or
    raises exposure past cash × leverage. (A claim payout already covered by a guarantee turns
    `enforce_capacity` off: the money is owed; it must release the exposure it pays.)
    """
    day = date or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError(_("A ledger transaction cannot be dated in the future."), field="date")
    if not (description or "").strip():
        raise DomainError(_("Describe the transaction."), field="description")
    if kind not in Transaction.Kind.values:
        raise DomainError(_("Unknown kind of transaction."))
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        accounts = {a.code: a for a in locked.accounts.all()}
        normalised = _normalise_lines(fund=locked, lines=lines, accounts=accounts)
        bank_delta = sum((v for a, v in normalised if a.code == AccountCode.BANK), Decimal(0))
        exposure_delta = sum(
            (v for a, v in normalised if a.code == AccountCode.GUARANTEES_ISSUED), Decimal(0)
        )
        if bank_delta < 0:
            _check_cash_never_negative(fund=locked, day=day, bank_delta=bank_delta)
        if exposure_delta < 0:
            _check_exposure_never_negative(fund=locked, exposure_delta=exposure_delta)
        if enforce_capacity and (bank_delta < 0 or exposure_delta > 0):
            _check_capacity(fund=locked, bank_delta=bank_delta, exposure_delta=exposure_delta)
        tx = Transaction(
            fund=locked,
            date=day,
            description=description.strip()[:255],
            kind=kind,
            actor=actor if actor is not None and actor.is_authenticated else None,
            reversal_of=reversal_of,
        )
        if reference is not None:
            tx.reference = reference
        tx.full_clean()
        tx.save()
        for account, value in normalised:
            entry = tx.entries.model(
                transaction=tx, account=account, amount=Money(value, locked.currency)
            )
            entry.save()
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=tx,
            verb="ledger_posted",
            note=tx.description,
            context=reference if reference is not None else locked,
            data={
                "kind": kind,
                "date": day.isoformat(),
                "lines": [[a.code, str(v)] for a, v in normalised],
            },
        )
        return tx


def transaction_reverse(
    *, actor, transaction: Transaction, reason: str, date: date_type | None = None
) -> Transaction:
    """Post the negated lines of `transaction` (once only), with the reason on record; only a
    contribution or a manual posting that no workflow object owns (`reversal_refusal`)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the reversal."), field="reason")
    with db_transaction.atomic():
        locks.fund_lock(transaction.fund)
        original = (
            Transaction.objects.select_for_update().select_related("fund").get(pk=transaction.pk)
        )
        refusal = reversal_refusal(original)
        if refusal is not None:
            raise DomainError(refusal)
        lines = [(e.account, -e.amount) for e in original.entries.select_related("account")]
        return transaction_post(
            fund=original.fund,
            lines=lines,
            actor=actor,
            description=_("Reversal of #%(number)s: %(reason)s")
            % {"number": original.pk, "reason": reason},
            kind=Transaction.Kind.REVERSAL,
            reference=original.reference,
            date=date,
            reversal_of=original,
        )
