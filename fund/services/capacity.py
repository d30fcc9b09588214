"""Reserving and releasing guarantee exposure against the fund's capacity (memorandum)."""

from django.db import transaction as db_transaction
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.exceptions import DomainError
from common.money import money_format
from fund.models import AccountCode, Fund, Transaction
from fund.selectors.ledger import exposure_for_reference, fund_figures
from fund.services import locks
from fund.services.ledger import transaction_post


def _check_amount(amount: Money) -> None:
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")


def exposure_reserve(
    *, fund: Fund, amount: Money, actor, reference=None, description: str
) -> Transaction:
    """Reserve `amount` of capacity (guarantees issued ← contra), or refuse if it doesn't fit.

    Locks the fund first, so concurrent reservations are checked one after the other.
    """
    _check_amount(amount)
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        capacity = fund_figures(fund=locked).capacity
        if amount > capacity:
            raise DomainError(
                _("Not enough capacity: %(amount)s requested, %(capacity)s available.")
                % {"amount": money_format(amount), "capacity": money_format(capacity)},
                field="amount",
            )
        return transaction_post(
            fund=locked,
            lines=[
                (AccountCode.GUARANTEES_ISSUED, amount),
                (AccountCode.GUARANTEES_CONTRA, -amount),
            ],
            actor=actor,
            description=description,
            kind=Transaction.Kind.EXPOSURE_RESERVE,
            reference=reference,
        )


def exposure_release(
    *, fund: Fund, amount: Money, actor, reference=None, description: str
) -> Transaction:
    """Release `amount` of exposure; never more than is reserved (for `reference`, if given)."""
    _check_amount(amount)
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        if reference is not None:
            reserved = exposure_for_reference(fund=locked, reference=reference)
        else:
            reserved = fund_figures(fund=locked).exposure
        if amount > reserved:
            raise DomainError(
                _("Only %(reserved)s of exposure is reserved; %(amount)s cannot be released.")
                % {"reserved": money_format(reserved), "amount": money_format(amount)},
                field="amount",
            )
        return transaction_post(
            fund=locked,
            lines=[
                (AccountCode.GUARANTEES_CONTRA, amount),
                (AccountCode.GUARANTEES_ISSUED, -amount),
            ],
            actor=actor,
            description=description,
            kind=Transaction.Kind.EXPOSURE_RELEASE,
            reference=reference,
        )
