"""Monte Carlo stress test of the fund: a pure function, no database, seeded randomness.

Model, per run and per month over the horizon: every guarantee (cover = its amount) has a
claim with the monthly probability; a claim pays `claim share × amount`, never more than the
cover left; the household then repays `recovery rate` of it in equal instalments over the
following RECOVERY_MONTHS months (those inside the horizon). The fund runs dry in a run when
its cash, paying every claim in full, goes below zero at some month end.

Randomness: one `random.Random` per run, seeded from (seed, run), and each guarantee draws its
numbers in turn. A portfolio of n guarantees is therefore the first n guarantees of a larger
one, run by run, so adding guarantees can only add claims: the run-dry probability never falls
as leverage rises, and the leverage search is consistent. Times to a claim are drawn from the
geometric distribution (one draw per claim instead of one per month), so thousands of runs
take well under a second.
"""

import math
import random
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

RECOVERY_MONTHS = 12
LEVERAGE_GRID = [Decimal(x) / 4 for x in range(2, 25)]  # 0.50, 0.75, … 6.00
# Guarantee-months simulated, at most (largest portfolio × runs × months). The default
# assumptions take about 2 million and well under a second; the old limits allowed 360 million
# typed in, and far more through the leverage grid (cash × 6 / a small average guarantee):
# one request held a worker for over ten minutes.
WORK_BUDGET = 20_000_000


def stress_work(*, cash, guarantees, average_guarantee, runs, horizon_months) -> int:
    """How many guarantee-months `simulate` would draw: the largest portfolio it builds (the
    typed-in one, or the leverage grid's largest) × runs × months."""
    largest_grid = 0
    if average_guarantee and average_guarantee > 0:
        largest_grid = int(
            (Decimal(cash) * LEVERAGE_GRID[-1] / Decimal(average_guarantee)).to_integral_value(
                rounding=ROUND_FLOOR
            )
        )
    return max(guarantees, largest_grid) * runs * horizon_months


@dataclass(frozen=True)
class Assumptions:
    cash: Decimal
    guarantees: int
    average_guarantee: Decimal
    monthly_claim_probability: float
    claim_share: float
    recovery_rate: float
    horizon_months: int = 24
    runs: int = 1000
    seed: int = 1
    max_ruin_probability: float = 0.05

    def __post_init__(self):
        if not 12 <= self.horizon_months <= 36:
            raise ValueError("The horizon is 12 to 36 months.")
        if self.runs < 1 or self.guarantees < 0 or self.cash < 0 or self.average_guarantee <= 0:
            raise ValueError("Runs, guarantees, cash and amount must be positive.")
        for share in (
            self.monthly_claim_probability,
            self.claim_share,
            self.recovery_rate,
            self.max_ruin_probability,
        ):
            if not 0 <= share <= 1:
                raise ValueError("Probabilities and shares are between 0 and 1.")
        work = stress_work(
            cash=self.cash,
            guarantees=self.guarantees,
            average_guarantee=self.average_guarantee,
            runs=self.runs,
            horizon_months=self.horizon_months,
        )
        if work > WORK_BUDGET:
            raise ValueError(f"{work} guarantee-months to simulate; the limit is {WORK_BUDGET}.")


@dataclass
class LeveragePoint:
    leverage: Decimal
    guarantees: int
    ruin_probability: float

    @property
    def ruin_percent(self) -> str:
        return _percent(self.ruin_probability)


def _percent(probability: float) -> str:
    return f"{probability * 100:.1f}".replace(".", ",") + " %"


@dataclass
class StressResult:
    assumptions: Assumptions
    leverage: Decimal | None  # of the typed-in portfolio: exposure / cash
    ruin_probability: float
    expected_payouts: Decimal
    expected_recoveries: Decimal
    payout_percentiles: dict[int, Decimal]
    lowest_cash_percentiles: dict[int, Decimal]
    ruin_by_month: list[float]
    grid: list[LeveragePoint] = field(default_factory=list)
    safe_leverage: Decimal | None = None

    @property
    def ruin_percent(self) -> str:
        return _percent(self.ruin_probability)


def _guarantee_flows(rng, a: Assumptions, amount: float) -> list[tuple[int, float, float]]:
    """(month, payout, recovery per month after it) of one guarantee's claims."""
    p = a.monthly_claim_probability
    flows = []
    if p <= 0 or a.claim_share <= 0:
        rng.random()  # keep every guarantee's draws aligned whatever the parameters
        return flows
    remaining = amount
    month = 0
    log_q = math.log1p(-p) if p < 1 else None
    while remaining > 0.005:
        u = rng.random()
        gap = 0 if log_q is None else int(math.log(1.0 - u) / log_q)
        month += gap
        if month >= a.horizon_months:
            break
        paid = min(a.claim_share * amount, remaining)
        remaining -= paid
        flows.append((month, paid, paid * a.recovery_rate / RECOVERY_MONTHS))
        month += 1
    return flows


def _percentile(sorted_values: list[float], pct: int) -> Decimal:
    if not sorted_values:
        return Decimal("0.00")
    index = min(len(sorted_values) - 1, max(0, math.ceil(pct / 100 * len(sorted_values)) - 1))
    return Decimal(repr(round(sorted_values[index], 2))).quantize(Decimal("0.01"))


def _cents(value: float) -> Decimal:
    return Decimal(repr(round(value, 2))).quantize(Decimal("0.01"))


def simulate(a: Assumptions, progress=None) -> StressResult:
    """Run the Monte Carlo; the same assumptions (seed included) give the same result.
    `progress(percent)` is called as runs complete (at most about twenty times)."""
    cash = float(a.cash)
    amount = float(a.average_guarantee)
    grid_sizes = [
        int((a.cash * lev / a.average_guarantee).to_integral_value(rounding=ROUND_FLOOR))
        for lev in LEVERAGE_GRID
    ]
    checkpoints = sorted({a.guarantees, *grid_sizes})
    horizon = a.horizon_months
    ruined_at: dict[int, int] = dict.fromkeys(checkpoints, 0)
    ruin_month_counts = [0] * horizon
    payouts, recoveries, lowest = [], [], []

    step = max(1, a.runs // 20)
    for run in range(a.runs):
        if progress is not None and run and run % step == 0:
            progress(run * 100 // a.runs)
        rng = random.Random(a.seed * 1_000_003 + run)
        paid = [0.0] * horizon  # payouts per month
        recovery_steps = [0.0] * (horizon + 1)  # change of the monthly recovery, per month
        paid_total = recovered_total = 0.0
        added = 0
        for n in checkpoints:
            while added < n:
                counted = added < a.guarantees  # the typed-in portfolio's own figures
                for month, payout, instalment in _guarantee_flows(rng, a, amount):
                    paid[month] += payout
                    first, stop = month + 1, min(horizon, month + 1 + RECOVERY_MONTHS)
                    recovery_steps[first] += instalment
                    recovery_steps[stop] -= instalment
                    if counted:
                        paid_total += payout
                        recovered_total += instalment * max(0, stop - first)
                added += 1
            balance, low, first_dry, recovering = cash, cash, None, 0.0
            for month in range(horizon):
                recovering += recovery_steps[month]
                balance += recovering - paid[month]
                if balance < low:
                    low = balance
                if balance < -0.005 and first_dry is None:
                    first_dry = month
            if first_dry is not None:
                ruined_at[n] += 1
            if n == a.guarantees:
                lowest.append(low)
                if first_dry is not None:
                    ruin_month_counts[first_dry] += 1
        payouts.append(paid_total)
        recoveries.append(recovered_total)

    payouts.sort()
    lowest.sort()
    cumulative, running = [], 0
    for count in ruin_month_counts:
        running += count
        cumulative.append(running / a.runs)
    grid = [
        LeveragePoint(lev, size, ruined_at[size] / a.runs)
        for lev, size in zip(LEVERAGE_GRID, grid_sizes, strict=True)
    ]
    safe = [p.leverage for p in grid if p.ruin_probability <= a.max_ruin_probability]
    return StressResult(
        assumptions=a,
        leverage=(
            (a.guarantees * a.average_guarantee / a.cash).quantize(Decimal("0.01"))
            if a.cash > 0
            else None
        ),
        ruin_probability=ruined_at[a.guarantees] / a.runs,
        expected_payouts=_cents(sum(payouts) / a.runs),
        expected_recoveries=_cents(sum(recoveries) / a.runs),
        payout_percentiles={p: _percentile(payouts, p) for p in (50, 90, 95, 99)},
        lowest_cash_percentiles={p: _percentile(lowest, p) for p in (1, 5, 50)},
        ruin_by_month=cumulative,
        grid=grid,
        safe_leverage=_highest_prefix(grid, a.max_ruin_probability) if safe else None,
    )


def _highest_prefix(grid: list[LeveragePoint], limit: float) -> Decimal | None:
    """The highest leverage whose run-dry probability, and every lower one's, is ≤ `limit`."""
    best = None
    for point in grid:
        if point.ruin_probability > limit:
            break
        best = point.leverage
    return best


def result_to_data(result: StressResult) -> dict:
    """A result as JSON-ready data, to store with its run (decimals as strings)."""
    return {
        "leverage": None if result.leverage is None else str(result.leverage),
        "ruin_probability": result.ruin_probability,
        "expected_payouts": str(result.expected_payouts),
        "expected_recoveries": str(result.expected_recoveries),
        "payout_percentiles": {str(k): str(v) for k, v in result.payout_percentiles.items()},
        "lowest_cash_percentiles": {
            str(k): str(v) for k, v in result.lowest_cash_percentiles.items()
        },
        "ruin_by_month": result.ruin_by_month,
        "grid": [[str(p.leverage), p.guarantees, p.ruin_probability] for p in result.grid],
        "safe_leverage": None if result.safe_leverage is None else str(result.safe_leverage),
    }


def result_from_data(assumptions: Assumptions, data: dict) -> StressResult:
    """The stored result back as a StressResult, for the page."""

    def dec(value):
        return None if value is None else Decimal(value)

    return StressResult(
        assumptions=assumptions,
        leverage=dec(data["leverage"]),
        ruin_probability=data["ruin_probability"],
        expected_payouts=Decimal(data["expected_payouts"]),
        expected_recoveries=Decimal(data["expected_recoveries"]),
        payout_percentiles={int(k): Decimal(v) for k, v in data["payout_percentiles"].items()},
        lowest_cash_percentiles={
            int(k): Decimal(v) for k, v in data["lowest_cash_percentiles"].items()
        },
        ruin_by_month=data["ruin_by_month"],
        grid=[LeveragePoint(Decimal(lev), n, p) for lev, n, p in data["grid"]],
        safe_leverage=dec(data["safe_leverage"]),
    )
