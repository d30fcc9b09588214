from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenancies.rent.allocation import OpenDue, allocate_oldest_first
from tenancies.rent.arrears import (
    UnpaidDue,
    add_months,
    age_bucket,
    buckets,
    due_date_for,
    is_past_threshold,
)
from tenancies.rent.risk import MonthRecord, risk_signal

cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
positive_cents = st.integers(min_value=1, max_value=200_000).map(lambda c: Decimal(c) / 100)


@given(amount=cents, outstanding=st.lists(positive_cents, max_size=15))
def test_allocation_adds_up_to_the_cent_and_pays_oldest_first(amount, outstanding):
    dues = [OpenDue(i, o) for i, o in enumerate(outstanding)]

    allocations, credit = allocate_oldest_first(amount, dues)

    assert sum((a for _, a in allocations), Decimal(0)) + credit == amount
    assert credit >= 0
    paid = dict(allocations)
    for due in dues:
        assert paid.get(due.due_id, 0) <= due.outstanding
    # A due is touched only when every older one is settled in full.
    settled_until = 0
    for due in dues:
        if paid.get(due.due_id, 0) == due.outstanding:
            settled_until += 1
        else:
            break
    assert all(i <= settled_until for i in paid)
    if credit > 0:
        assert all(paid.get(d.due_id) == d.outstanding for d in dues)


def test_negative_payment_is_refused():
    with pytest.raises(ValueError):
        allocate_oldest_first(Decimal("-1"), [])


@pytest.mark.parametrize(("days_after_due", "past"), [(19, False), (20, False), (21, True)])
def test_threshold_is_crossed_after_the_twentieth_day(days_after_due, past):
    due = date(2026, 10, 5)
    today = date.fromordinal(due.toordinal() + days_after_due)
    assert is_past_threshold(due_date=due, today=today, grace_days=20) is past


def test_due_date_is_clamped_to_the_month():
    assert due_date_for(date(2026, 2, 1), 31) == date(2026, 2, 28)
    assert due_date_for(date(2026, 3, 1), 5) == date(2026, 3, 5)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, None), (1, (1, 30)), (30, (1, 30)), (31, (31, 60)), (90, (61, 90)), (91, (91, None))],
)
def test_age_buckets(days, bucket):
    due = date(2026, 1, 1)
    assert age_bucket(due_date=due, today=date.fromordinal(due.toordinal() + days)) == bucket


def test_buckets_sum_outstanding_by_age():
    today = date(2026, 11, 23)
    result = buckets(
        [
            UnpaidDue(date(2026, 11, 5), Decimal("500.00")),
            UnpaidDue(date(2026, 10, 5), Decimal("500.00")),
            UnpaidDue(date(2026, 6, 5), Decimal("120.50")),
        ],
        today=today,
    )
    assert result[(1, 30)] == Decimal("500.00")
    assert result[(31, 60)] == Decimal("500.00")
    assert result[(91, None)] == Decimal("120.50")


def test_risk_signal_explains_every_point():
    today = date(2026, 11, 23)
    history = [
        MonthRecord(date(2026, m, 5), late, partial)
        for m, late, partial in [
            (5, 0, False),
            (6, 1, False),
            (7, 2, False),
            (8, 10, True),
            (9, 15, False),
            (10, 18, True),
            (11, None, False),
        ]
    ]
    signal = risk_signal(history=history, today=today, broken_plans=1, recent_life_events=1)

    assert signal.score == 100  # capped
    assert signal.level == "high"
    assert len(signal.reasons) == 5


def test_punctual_tenant_has_no_risk():
    history = [MonthRecord(date(2026, m, 5), 0) for m in range(1, 11)]
    signal = risk_signal(history=history, today=date(2026, 11, 1))
    assert (signal.score, signal.reasons, signal.level) == (0, [], "low")
