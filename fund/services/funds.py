"""Creating and configuring funds, and booking the contributions that fill them."""

from datetime import date as date_type
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from djmoney.money import Money

from common.audit import audit_record
from common.exceptions import DomainError
from common.fsm import transition_run
from common.money import eur, money_format
from common.roles import Role, holds_role
from fund.models import Account, AccountCode, Contribution, Fund, LeverageChange, Transaction
from fund.models.contribution_proposals import contribution_four_eyes_threshold
from fund.models.funds import LEVERAGE_MAX, LEVERAGE_MIN
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
    leverage = _check_leverage(leverage)
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


def _check_leverage(leverage) -> Decimal:
    """A finite leverage within LEVERAGE_MIN..LEVERAGE_MAX, in hundredths, or a DomainError."""
    try:
        value = Decimal(leverage)
    except (TypeError, ValueError, ArithmeticError):
        value = None
    if value is None or not value.is_finite() or not LEVERAGE_MIN <= value <= LEVERAGE_MAX:
        raise DomainError(
            _("The leverage must be between %(min)s and %(max)s.")
            % {"min": number_format(LEVERAGE_MIN, 2), "max": number_format(LEVERAGE_MAX, 2)},
            field="leverage",
        )
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("The leverage has at most two decimals."), field="leverage")
    return value


def _check_leverage_covers_exposure(*, fund: Fund, leverage: Decimal) -> None:
    figures = fund_figures(fund=fund)
    if figures.exposure.amount > figures.cash.amount * leverage:
        raise DomainError(
            _(
                "With this leverage the guarantees already issued (%(exposure)s) would "
                "exceed the fund's capacity."
            )
            % {"exposure": money_format(figures.exposure)},
            field="leverage",
        )


def fund_update(
    *,
    actor,
    fund: Fund,
    name: str,
    cover_months: int,
    cover_cap: Money,
    leverage: Decimal | None = None,
    reason: str = "",
) -> Fund:
    """Change the fund's name and cover defaults. A different `leverage` is not applied: it
    becomes a proposal (`leverage_change_propose`) that a second fund administrator approves."""
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        before = {
            "name": locked.name,
            "cover_months": locked.cover_months,
            "cover_cap": str(locked.cover_cap.amount),
        }
        locked.name = name
        locked.cover_months = cover_months
        locked.cover_cap = cover_cap
        locked.full_clean()
        after = {
            "name": locked.name,
            "cover_months": locked.cover_months,
            "cover_cap": str(locked.cover_cap.amount),
        }
        if leverage is not None and _check_leverage(leverage) != locked.leverage:
            leverage_change_propose(actor=actor, fund=locked, leverage=leverage, reason=reason)
        if after == before:
            return locked
        locked.save(update_fields=["name", "cover_months", "cover_cap"])
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=locked,
            verb="settings_changed",
            data={"before": before, "after": after},
        )
        return locked


def leverage_change_propose(
    *, actor, fund: Fund, leverage: Decimal, reason: str = ""
) -> LeverageChange:
    """Propose a new leverage (bounded, still covering today's exposure); it applies only
    when another fund administrator approves it (`leverage_change_approve`)."""
    leverage = _check_leverage(leverage)
    with db_transaction.atomic():
        locked = locks.fund_lock(fund)
        if not holds_fund_admin(actor=actor, fund=locked):
            raise DomainError(_("Only a fund administrator can propose a change of leverage."))
        if locked.leverage_changes.filter(status=LeverageChange.Status.PROPOSED).exists():
            raise DomainError(
                _("A change of leverage is already awaiting a second administrator."),
                field="leverage",
            )
        if leverage == locked.leverage:
            raise DomainError(_("That is the leverage already in force."), field="leverage")
        _check_leverage_covers_exposure(fund=locked, leverage=leverage)
        change = LeverageChange(
            fund=locked,
            leverage_before=locked.leverage,
            leverage=leverage,
            reason=(reason or "").strip(),
            proposed_by=actor,
        )
        change.full_clean(exclude=["status"])
        change.save()
        audit_record(
            actor=actor,
            programme=locked.programme,
            target=change,
            verb="leverage_change_proposed",
            context=locked,
            data={"before": str(locked.leverage), "after": str(leverage)},
        )
        return change


def leverage_change_approve(*, actor, change: LeverageChange, note: str = "") -> LeverageChange:
    """A second fund administrator approves: the leverage applies now, if today's exposure
    still fits under it (checked again under the fund's lock)."""
    with db_transaction.atomic():
        fund = locks.fund_lock(change.fund)
        current = LeverageChange.objects.select_for_update().get(pk=change.pk)
        if current.status == LeverageChange.Status.PROPOSED:
            _check_leverage_covers_exposure(fund=fund, leverage=current.leverage)
        approved = transition_run(
            queryset=LeverageChange.objects.all(),
            pk=change.pk,
            transition="approve",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at"),
            by=actor,
            at=timezone.now(),
        )
        before = str(fund.leverage)
        fund.leverage = approved.leverage
        fund.full_clean()
        fund.save(update_fields=["leverage"])
        audit_record(
            actor=actor,
            programme=fund.programme,
            target=fund,
            verb="settings_changed",
            note=note,
            data={
                "before": {"leverage": before},
                "after": {"leverage": str(fund.leverage)},
                "proposed_by": approved.proposed_by_id,
            },
        )
        return approved


def leverage_change_reject(*, actor, change: LeverageChange, note: str = "") -> LeverageChange:
    """Turn a proposed leverage down (its proposer may withdraw it this way too)."""
    with db_transaction.atomic():
        locks.fund_lock(change.fund)
        return transition_run(
            queryset=LeverageChange.objects.all(),
            pk=change.pk,
            transition="reject",
            actor=actor,
            note=note,
            update_fields=("decided_by", "decided_at"),
            by=actor,
            at=timezone.now(),
        )


def holds_fund_admin(*, actor, fund: Fund) -> bool:
    return holds_role(actor, fund.programme_id, Role.FUND_ADMIN)


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
    """Record a funder's contribution and post it: bank (debit) ← capital (credit). Above the
    four-eyes threshold it is refused: `contribution_propose` records it for a second fund
    administrator, whose approval posts it."""
    if not isinstance(amount, Money) or amount.amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    threshold = contribution_four_eyes_threshold()
    if amount > threshold:
        raise DomainError(
            _(
                "Above %(limit)s a contribution is booked only when a second fund "
                "administrator approves it."
            )
            % {"limit": money_format(threshold)},
            field="amount",
        )
    with db_transaction.atomic():
        return contribution_post(
            actor=actor,
            fund=fund,
            funder=funder,
            kind=kind,
            amount=amount,
            date=date,
            note=note,
        )


def contribution_post(
    *,
    actor,
    fund: Fund,
    funder: str,
    kind: str,
    amount: Money,
    date: date_type,
    note: str = "",
    data: dict | None = None,
) -> Contribution:
    """Post a contribution already allowed (within the threshold, or approved by a second
    administrator): the caller holds the transaction."""
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
        data={
            "amount": str(amount.amount),
            "kind": kind,
            "transaction": tx.pk,
            **(data or {}),
        },
    )
    return contribution
