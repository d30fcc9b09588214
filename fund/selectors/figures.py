"""The fund's figures by kind of transaction, gross, and their reconciliation with the ledger.

Balances answer "what is there now"; these figures answer "how much came in and went out, and
why". Each one is a *flow*: the entries of one account on the transactions of one kind, in a
period, in their natural sign. They are gross: a payout counts in full when it is paid, and
stays counted when the household is later asked to repay it (the receivable), repays it (a
recovery) or is let off (a write-off) — those are figures of their own. The payouts *account*
cannot give this: a recovery plan moves the payout to the receivable, so its balance is net.

Each figure has its own selector, whose docstring is its definition. The dashboard reads them
all in one grouped query (`fund_dashboard_figures`); `fund_figures_reconcile` sets every figure
the dashboard shows beside the ledger sum it must equal, for the integrity checks.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money

from common.money import eur, round_cents
from fund.models import AccountCode, Entry, Fund, Transaction
from fund.selectors.ledger import (
    FundFigures,
    account_balances,
    capacity_of,
    fund_figures,
    fund_history,
)

Kind = Transaction.Kind


@dataclass(frozen=True)
class Flow:
    """Which entries make a figure: `account`'s entries on transactions of `kind` (for a
    reversal figure, reversals of transactions of `reversal_of`), times `sign`."""

    key: str
    label: Promise
    kind: str
    account: str
    sign: int
    reversal_of: str = ""

    def entries(self) -> Q:
        q = Q(transaction__kind=self.kind, account__code=self.account)
        if self.reversal_of:
            q &= Q(transaction__reversal_of__kind=self.reversal_of)
        return q

    def matches(self, *, kind: str, reversal_of: str | None, account: str) -> bool:
        return (kind, reversal_of or "", account) == (self.kind, self.reversal_of, self.account)


CONTRIBUTIONS = Flow("contributions", _("Contributions"), Kind.CONTRIBUTION, AccountCode.BANK, 1)
CONTRIBUTIONS_REVERSED = Flow(
    "contributions_reversed",
    _("Contributions reversed"),
    Kind.REVERSAL,
    AccountCode.BANK,
    -1,
    reversal_of=Kind.CONTRIBUTION,
)
PAYOUTS = Flow("payouts", _("Payouts to landlords"), Kind.PAYOUT, AccountCode.BANK, -1)
PAYOUTS_REVERSED = Flow(
    "payouts_reversed",
    _("Payouts reversed"),
    Kind.REVERSAL,
    AccountCode.BANK,
    1,
    reversal_of=Kind.PAYOUT,
)
RECOVERIES = Flow("recoveries", _("Recoveries (repayments)"), Kind.RECOVERY, AccountCode.BANK, 1)
WRITE_OFFS = Flow(
    "write_offs", _("Write-offs (waivers)"), Kind.WRITE_OFF, AccountCode.WRITE_OFFS, 1
)

# In the order the dashboard lists them.
FLOWS = (CONTRIBUTIONS, CONTRIBUTIONS_REVERSED, PAYOUTS, PAYOUTS_REVERSED, RECOVERIES, WRITE_OFFS)


def _flow_sum(*, fund: Fund, flow: Flow, start: date | None, end: date | None) -> Money:
    entries = Entry.objects.filter(flow.entries(), account__fund=fund)
    if start is not None:
        entries = entries.filter(transaction__date__gte=start)
    if end is not None:
        entries = entries.filter(transaction__date__lte=end)
    total = entries.aggregate(total=Sum("amount"))["total"]
    return eur(round_cents(total or 0) * flow.sign)


def fund_contributions(*, fund: Fund, start: date | None = None, end: date | None = None) -> Money:
    """Money funders paid in: the bank debits of CONTRIBUTION transactions dated in
    [start, end] (open ends: all). Gross: a contribution later reversed still counts here;
    its reversal counts in `fund_contributions_reversed`."""
    return _flow_sum(fund=fund, flow=CONTRIBUTIONS, start=start, end=end)


def fund_contributions_reversed(
    *, fund: Fund, start: date | None = None, end: date | None = None
) -> Money:
    """Contributions taken back as mistakes: the bank credits of REVERSAL transactions that
    reverse a CONTRIBUTION, dated (by the reversal's date) in [start, end]."""
    return _flow_sum(fund=fund, flow=CONTRIBUTIONS_REVERSED, start=start, end=end)


def fund_payouts(*, fund: Fund, start: date | None = None, end: date | None = None) -> Money:
    """Money the fund paid to landlords: the bank credits of PAYOUT transactions dated in
    [start, end]. Gross: turning a payout into a household's receivable, its repayment and
    its write-off do not reduce it (they are RECEIVABLE, RECOVERY and WRITE_OFF
    transactions); only a reversal of the payout itself does, in `fund_payouts_reversed`."""
    return _flow_sum(fund=fund, flow=PAYOUTS, start=start, end=end)


def fund_payouts_reversed(
    *, fund: Fund, start: date | None = None, end: date | None = None
) -> Money:
    """Payouts undone as mistakes: the bank debits of REVERSAL transactions that reverse a
    PAYOUT, dated (by the reversal's date) in [start, end]."""
    return _flow_sum(fund=fund, flow=PAYOUTS_REVERSED, start=start, end=end)


def fund_recoveries(*, fund: Fund, start: date | None = None, end: date | None = None) -> Money:
    """Money households repaid on their recovery plans: the bank debits of RECOVERY
    transactions dated in [start, end]."""
    return _flow_sum(fund=fund, flow=RECOVERIES, start=start, end=end)


def fund_write_offs(*, fund: Fund, start: date | None = None, end: date | None = None) -> Money:
    """Debts the fund waived: the write-offs account's debits on WRITE_OFF transactions
    (approved waivers) dated in [start, end]."""
    return _flow_sum(fund=fund, flow=WRITE_OFFS, start=start, end=end)


FLOW_SELECTORS = {
    CONTRIBUTIONS.key: fund_contributions,
    CONTRIBUTIONS_REVERSED.key: fund_contributions_reversed,
    PAYOUTS.key: fund_payouts,
    PAYOUTS_REVERSED.key: fund_payouts_reversed,
    RECOVERIES.key: fund_recoveries,
    WRITE_OFFS.key: fund_write_offs,
}


@dataclass(frozen=True)
class FlowFigure:
    flow: Flow
    this_year: Money
    total: Money

    @property
    def key(self) -> str:
        return self.flow.key

    @property
    def label(self) -> Promise:
        return self.flow.label


@dataclass(frozen=True)
class DashboardFigures:
    today: date
    balances: FundFigures
    flows: list[FlowFigure]
    history: list[dict]

    @property
    def year(self) -> int:
        return self.today.year

    def flow(self, key: str) -> FlowFigure:
        return next(f for f in self.flows if f.key == key)


def fund_flows(*, fund: Fund, today: date | None = None) -> list[FlowFigure]:
    """Every flow figure, this calendar year and in total up to `today`, in one query."""
    today = today or timezone.localdate()
    year_start = date(today.year, 1, 1)
    rows = (
        Entry.objects.filter(account__fund=fund, transaction__date__lte=today)
        .filter(reduce(or_, (flow.entries() for flow in FLOWS)))
        .values("transaction__kind", "transaction__reversal_of__kind", "account__code")
        .annotate(
            total=Sum("amount"),
            this_year=Sum("amount", filter=Q(transaction__date__gte=year_start)),
        )
        .order_by()
    )
    sums = {flow.key: (Decimal(0), Decimal(0)) for flow in FLOWS}
    for row in rows:
        for flow in FLOWS:
            if flow.matches(
                kind=row["transaction__kind"],
                reversal_of=row["transaction__reversal_of__kind"],
                account=row["account__code"],
            ):
                year, total = sums[flow.key]
                sums[flow.key] = (
                    year + round_cents(row["this_year"] or 0),
                    total + round_cents(row["total"] or 0),
                )
    return [
        FlowFigure(
            flow=flow,
            this_year=eur(sums[flow.key][0] * flow.sign),
            total=eur(sums[flow.key][1] * flow.sign),
        )
        for flow in FLOWS
    ]


def fund_dashboard_figures(*, fund: Fund, today: date | None = None) -> DashboardFigures:
    """Everything the fund dashboard shows as a figure: today's balances, the flows by kind
    (this year and in total) and the month-end history of the chart."""
    today = today or timezone.localdate()
    return DashboardFigures(
        today=today,
        balances=fund_figures(fund=fund, at=today),
        flows=fund_flows(fund=fund, today=today),
        history=fund_history(fund=fund, until=today, months=12),
    )


@dataclass(frozen=True)
class FigureCheck:
    """One figure a page shows (`shown`) and the ledger sum it must equal (`ledger`)."""

    name: str
    shown: Money
    ledger: Money

    @property
    def ok(self) -> bool:
        return self.shown == self.ledger


def _ledger_sum(*, fund: Fund, code: str, at: date, sign: int = 1) -> Money:
    total = Entry.objects.filter(
        account__fund=fund, account__code=code, transaction__date__lte=at
    ).aggregate(total=Sum("amount"))["total"]
    return eur(round_cents(total or 0) * sign)


def fund_figures_reconcile(*, fund: Fund, today: date | None = None) -> list[FigureCheck]:
    """Every figure of the fund dashboard beside the ledger sum it must equal: balances
    against their account's entries, flows against their own selector, each history point
    against the balances on its date. A check passes when `shown == ledger`."""
    today = today or timezone.localdate()
    shown = fund_dashboard_figures(fund=fund, today=today)
    cash = _ledger_sum(fund=fund, code=AccountCode.BANK, at=today)
    exposure = _ledger_sum(fund=fund, code=AccountCode.GUARANTEES_ISSUED, at=today)
    checks = [
        FigureCheck("cash", shown.balances.cash, cash),
        FigureCheck(
            "capital",
            shown.balances.capital,
            _ledger_sum(fund=fund, code=AccountCode.CAPITAL, at=today, sign=-1),
        ),
        FigureCheck("exposure", shown.balances.exposure, exposure),
        FigureCheck(
            "capacity",
            shown.balances.capacity,
            capacity_of(cash=cash, exposure=exposure, leverage=fund.leverage),
        ),
    ]
    year_start = date(today.year, 1, 1)
    for figure in shown.flows:
        selector = FLOW_SELECTORS[figure.key]
        checks += [
            FigureCheck(
                f"{figure.key}.this_year",
                figure.this_year,
                selector(fund=fund, start=year_start, end=today),
            ),
            FigureCheck(f"{figure.key}.total", figure.total, selector(fund=fund, end=today)),
        ]
    for point in shown.history:
        balances = account_balances(fund=fund, at=point["date"])
        cash, exposure = balances[AccountCode.BANK], balances[AccountCode.GUARANTEES_ISSUED]
        day = point["date"].isoformat()
        checks += [
            FigureCheck(f"history.{day}.cash", point["cash"], cash),
            FigureCheck(f"history.{day}.exposure", point["exposure"], exposure),
            FigureCheck(
                f"history.{day}.capacity",
                point["capacity"],
                capacity_of(cash=cash, exposure=exposure, leverage=fund.leverage),
            ),
        ]
    return checks
