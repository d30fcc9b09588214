"""Creating and configuring funds, and booking the contributions that fill them."""

from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.audit import audit_record
from common.exceptions import DomainError
from common.money import eur, money_format
from fund.models import Account, AccountCode, Contribution, Fund, Transaction
from fund.selectors.ledger import fund_figures
from fund.services import locks
from fund.services.ledger import transaction_post


def fund_create(
    *,
    actor,
    programme,
    name: str,
    leverage: Decimal = Decimal("1.00"),
    cover_months: int = 3,
    cover_cap: Money | None = None,
) -> Fund:
    """Create the programme's fund with its full chart of accounts."""
    with db_transaction.atomic():
        if Fund.objects.filter(programme=programme).exists():
            raise DomainError(_("This programme already has a fund."))
        fund = Fund(
            programme=programme,
            name=name,
            leverage=leverage,
            cover_months=cover_months,
            cover_cap=cover_cap if cover_cap is not None else eur("3000"),
        )
        fund.full_clean()
        fund.save()
        for code, (kind, _credit) in Account.CHART.items():
            account = Account(fund=fund, code=code, kind=kind)
            account.full_clean()
            account.save()
        audit_record(actor=actor, programme=programme, target=fund, verb="created")
        return fund


def fund_update(
    *, actor, fund: Fund, name: str, leverage: Decimal, cover_months: int, cover_cap: Money
) -> Fund:
    """Change the fund's settings; a lower leverage must still cover today's exposure."""
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        before = {
            "name": locked.name,
            "leverage": str(locked.leverage),
            "cover_months": locked.cover_months,
            "cover_cap": str(locked.cover_cap.amount),
        }
        locked.name = name
        locked.leverage = leverage
        locked.cover_months = cover_months
        locked.cover_cap = cover_cap
        locked.full_clean()
        figures = fund_figures(fund=locked)
        if figures.exposure.amount > figures.cash.amount * Decimal(leverage):
            raise DomainError(
                _(
                    "With this leverage the guarantees already issued (%(exposure)s) would "
                    "exceed the fund's capacity."
                )
                % {"exposure": money_format(figures.exposure)},
                field="leverage",
            )
        after = {
            "name": locked.name,
            "leverage": str(locked.leverage),
            "cover_months": locked.cover_months,
            "cover_cap": str(locked.cover_cap.amount),
        }
        if after == before:
            return locked
        locked.save(update_fields=["name", "leverage", "cover_months", "cover_cap"])
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=locked,
            verb="settings_changed",
            data={"before": before, "after": after},
        )
        return locked


def contribution_book(
    *,
    actor,
    fund: Fund,
    funder: str,
    kind: str,
    amount: Money,
    date: date_type,
    note: str = "",
) -> Contribution:
    """Record a funder's contribution and post it: bank (debit) ← capital (credit)."""
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    with db_transaction.atomic():
        contribution = Contribution(
            fund=fund,
            funder=(funder or "").strip(),
            kind=kind,
            amount=amount,
            date=date,
            note=note,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        contribution.full_clean(exclude=["transaction"])
        tx = transaction_post(
            fund=fund,
            lines=[(AccountCode.BANK, amount), (AccountCode.CAPITAL, -amount)],
            actor=actor,
            description=_("Contribution from %(funder)s") % {"funder": contribution.funder},
            kind=Transaction.Kind.CONTRIBUTION,
            date=date,
        )
        contribution.transaction = tx
        contribution.save()
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=contribution,
            verb="contribution_booked",
            context=fund,
            data={"amount": str(amount.amount), "kind": kind, "transaction": tx.pk},
        )
        return contribution
