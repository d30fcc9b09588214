"""Indicators of the guarantee fund, from its ledger and its claims."""

from datetime import date
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from fund.models import AccountCode, Claim, Guarantee
from fund.selectors.figures import (
    fund_payouts,
    fund_payouts_reversed,
    fund_recoveries,
    fund_write_offs,
)
from fund.selectors.ledger import account_balances
from reporting.indicators.base import (
    DAYS,
    EURO,
    FUND,
    PERCENT,
    RATIO,
    Period,
    _median_days,
    _money,
    _ratio,
    indicator,
)


@indicator(
    "amount_guaranteed",
    _("Amount guaranteed"),
    unit=EURO,
    group=FUND,
    definition=_("Sum of the guarantees approved in the period (cancelled requests excluded)."),
)
def amount_guaranteed(p: Period) -> Decimal:
    """Sum of `amount` of guarantees approved in the period, not cancelled."""
    total = (
        Guarantee.objects.in_programme(p.programme)
        .filter(p.instants("approved_at"))
        .exclude(status=Guarantee.Status.CANCELLED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return _money(total)


def _balances(p: Period) -> dict:
    if p.fund is None:
        return {}
    return {code: money.amount for code, money in account_balances(fund=p.fund, at=p.end).items()}


@indicator(
    "exposure",
    _("Exposure at the end of the period"),
    unit=EURO,
    group=FUND,
    definition=_(
        "What the fund has promised: the guarantees approved or in force on the last "
        "day of the period, from the ledger."
    ),
)
def exposure(p: Period) -> Decimal:
    """Balance of the guarantees-issued account at `end`."""
    return _balances(p).get(AccountCode.GUARANTEES_ISSUED, Decimal("0.00"))


def _net_payouts(p: Period, start: date | None) -> Decimal:
    if p.fund is None:
        return Decimal("0.00")
    paid = fund_payouts(fund=p.fund, start=start, end=p.end).amount
    return paid - fund_payouts_reversed(fund=p.fund, start=start, end=p.end).amount


@indicator(
    "amount_paid_out",
    _("Paid out to landlords"),
    unit=EURO,
    group=FUND,
    definition=_("Payouts of claims in the period, net of payouts reversed as mistakes."),
)
def amount_paid_out(p: Period) -> Decimal:
    """Ledger payouts in the period minus their reversals (fund.selectors.figures)."""
    return _net_payouts(p, p.start)


@indicator(
    "amount_recovered",
    _("Recovered from households"),
    unit=EURO,
    group=FUND,
    definition=_("What households repaid on their recovery plans in the period."),
)
def amount_recovered(p: Period) -> Decimal:
    """Ledger recoveries in the period."""
    if p.fund is None:
        return Decimal("0.00")
    return fund_recoveries(fund=p.fund, start=p.start, end=p.end).amount


@indicator(
    "amount_written_off",
    _("Written off"),
    unit=EURO,
    group=FUND,
    definition=_("Debts the fund waived in the period (approved waivers)."),
)
def amount_written_off(p: Period) -> Decimal:
    """Ledger write-offs in the period."""
    if p.fund is None:
        return Decimal("0.00")
    return fund_write_offs(fund=p.fund, start=p.start, end=p.end).amount


@indicator(
    "recovery_rate",
    _("Recovery rate"),
    unit=PERCENT,
    group=FUND,
    definition=_(
        "Everything households repaid up to the end of the period, as a share of "
        "everything the fund paid out (net) up to then."
    ),
)
def recovery_rate(p: Period) -> Decimal | None:
    """Recoveries ÷ net payouts, both cumulative to `end`, in percent; None before any payout."""
    if p.fund is None:
        return None
    recovered = fund_recoveries(fund=p.fund, end=p.end).amount
    return _ratio(recovered, _net_payouts(p, None), percent=True)


@indicator(
    "median_days_claim_to_payout",
    _("Median days from claim to payout"),
    unit=DAYS,
    group=FUND,
    definition=_(
        "Of the claims paid in the period, the median number of days from the "
        "landlord's claim to the payment (computed over at least 5 claims)."
    ),
)
def median_days_claim_to_payout(p: Period) -> Decimal | None:
    """Median of `paid_on − submitted_at` (as a local date) over claims PAID in the period."""
    paid = Claim.objects.in_programme(p.programme).filter(
        p.dates("paid_on"), status=Claim.Status.PAID
    )
    return _median_days(paid, F("paid_on") - TruncDate("submitted_at"))


@indicator(
    "leverage_used",
    _("Leverage used"),
    unit=RATIO,
    group=FUND,
    definition=_(
        "Exposure ÷ cash on the last day of the period: how many euros of guarantees "
        "each euro in the bank backs (the fund's setting is the most it may reach)."
    ),
)
def leverage_used(p: Period) -> Decimal | None:
    """Guarantees-issued balance ÷ bank balance at `end`; None with no cash."""
    balances = _balances(p)
    if not balances:
        return None
    return _ratio(
        balances[AccountCode.GUARANTEES_ISSUED], balances[AccountCode.BANK], percent=False
    )
