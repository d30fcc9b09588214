"""The Monte Carlo stress test: deterministic with a seed, and sane as assumptions move."""

import time
from dataclasses import replace
from decimal import Decimal

import pytest

from fund.stress import Assumptions, simulate

BASE = Assumptions(
    cash=Decimal("200000"),
    guarantees=80,
    average_guarantee=Decimal("3000"),
    monthly_claim_probability=0.03,
    claim_share=0.5,
    recovery_rate=0.4,
    horizon_months=24,
    runs=400,
    seed=7,
)


def test_same_seed_same_result_other_seed_other_result():
    first, second = simulate(BASE), simulate(BASE)
    assert first == second
    other = simulate(replace(BASE, seed=8, cash=Decimal("20000")))
    assert other.payout_percentiles != first.payout_percentiles


def test_no_claims_no_payouts_no_ruin():
    result = simulate(replace(BASE, monthly_claim_probability=0.0))
    assert result.expected_payouts == Decimal("0.00") and result.ruin_probability == 0


def test_certain_full_claims_pay_every_cover():
    result = simulate(replace(BASE, monthly_claim_probability=1.0, claim_share=1.0))
    assert result.expected_payouts == Decimal("240000.00")  # 80 × 3000, each exactly once
    assert result.ruin_probability == 1.0  # 240,000 > 200,000 of cash


def test_more_risk_never_helps():
    low = simulate(replace(BASE, cash=Decimal("60000")))
    riskier = simulate(replace(BASE, cash=Decimal("60000"), monthly_claim_probability=0.06))
    poorer = simulate(replace(BASE, cash=Decimal("40000")))
    assert riskier.expected_payouts > low.expected_payouts
    assert riskier.ruin_probability >= low.ruin_probability
    assert poorer.ruin_probability >= low.ruin_probability
    assert low.ruin_probability > 0


def test_ruin_grows_with_leverage_and_safe_leverage_respects_the_limit():
    result = simulate(replace(BASE, cash=Decimal("60000")))
    probabilities = [p.ruin_probability for p in result.grid]
    assert probabilities == sorted(probabilities)
    assert [p.guarantees for p in result.grid] == sorted(p.guarantees for p in result.grid)
    assert result.safe_leverage is not None
    for point in result.grid:
        if point.leverage <= result.safe_leverage:
            assert point.ruin_probability <= BASE.max_ruin_probability
    above = [p for p in result.grid if p.leverage > result.safe_leverage]
    assert above and above[0].ruin_probability > BASE.max_ruin_probability


def test_recoveries_follow_the_rate():
    none = simulate(replace(BASE, recovery_rate=0.0))
    full = simulate(replace(BASE, recovery_rate=1.0))
    assert none.expected_recoveries == Decimal("0.00")
    assert Decimal("0") < full.expected_recoveries < full.expected_payouts


def test_cumulative_ruin_by_month_ends_at_the_ruin_probability():
    result = simulate(replace(BASE, cash=Decimal("50000")))
    assert len(result.ruin_by_month) == 24
    assert result.ruin_by_month == sorted(result.ruin_by_month)
    assert result.ruin_by_month[-1] == pytest.approx(result.ruin_probability)


@pytest.mark.parametrize(
    "bad",
    [
        {"horizon_months": 6},
        {"horizon_months": 48},
        {"runs": 0},
        {"monthly_claim_probability": 1.5},
        {"average_guarantee": Decimal("0")},
    ],
)
def test_assumptions_are_checked(bad):
    with pytest.raises(ValueError):
        replace(BASE, **bad)


def test_it_is_fast_enough_for_a_page():
    # ~0.6 s alone on a laptop-class CPU; the bound leaves room for a busy CI machine.
    start = time.perf_counter()
    simulate(replace(BASE, runs=500, horizon_months=36))
    assert time.perf_counter() - start < 10
