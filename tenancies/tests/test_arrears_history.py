"""The arrears desk's figures come from summary rows kept by the writes: past month-ends of the
chart (tenancies.models.arrears_history), forgotten by a write that reaches back to them, and
each due's `settled_on`, which lets the ageing read only the dues still owed. Both equal the
sums of the dues and allocations, and check_integrity verifies them."""

from datetime import date
from decimal import Decimal

import pytest

from benchmarks.scale_data import build_scale
from common.integrity import integrity_run
from tenancies.models import Allocation, ArrearsMonthEnd, RentDue
from tenancies.rent.arrears import age_bucket
from tenancies.selectors.arrears import arrears_over_time, arrears_summary
from tenancies.tests.lease_factories import LeaseFactory, active_agreement_for
from tenancies.tests.test_leases import activate, pay

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 10)


@pytest.fixture
def unpaid(programme, operator):
    """January and February made due (on the 5th), nothing paid yet."""
    lease = LeaseFactory(household__programme=programme, household__name="In ritardo")
    active_agreement_for(lease.landlord, valid_from=date(2025, 1, 1))
    activate(lease, operator, today=DAY)
    return lease


def ledger_overdue(day: date) -> Decimal:
    """Overdue rent at `day`, summed in Python from every due and allocation."""
    due = sum((d.amount.amount for d in RentDue.objects.filter(due_date__lt=day)), Decimal(0))
    paid = sum(
        (
            a.amount.amount
            for a in Allocation.objects.select_related("due", "payment")
            if a.due.due_date < day and a.payment.paid_on <= day
        ),
        Decimal(0),
    )
    return max(Decimal("0.00"), due - paid)


def chart(programme):
    summary = arrears_summary(programme=programme, today=DAY)
    return arrears_over_time(programme=programme, today=DAY, overdue_now=summary.total_overdue)


def test_every_point_is_the_ledger_of_dues_and_is_stored_once(
    unpaid, programme, operator, django_assert_num_queries
):
    pay(unpaid, operator, "100.00", date(2026, 1, 20))
    points = chart(programme)
    assert [amount for _day, amount in points] == [ledger_overdue(day) for day, _a in points]
    assert dict(points)[date(2026, 1, 31)] == Decimal("450.00")
    assert points[-1] == (DAY, Decimal("1000.00"))
    # Past month-ends only are kept; the next view reads them in one query.
    assert ArrearsMonthEnd.objects.filter(programme=programme).count() == 12
    with django_assert_num_queries(1):
        again = arrears_over_time(programme=programme, today=DAY, overdue_now=Decimal("1000.00"))
    assert again == points
    assert integrity_run(["arrears_month_end_matches_dues"]) == []


def test_a_backdated_payment_forgets_the_month_ends_it_reaches(unpaid, programme, operator):
    assert dict(chart(programme))[date(2026, 1, 31)] == Decimal("550.00")
    pay(unpaid, operator, "550.00", date(2026, 1, 30))  # settles January, a month ago
    assert not ArrearsMonthEnd.objects.filter(day__gte=date(2026, 1, 30)).exists()
    assert ArrearsMonthEnd.objects.filter(day__lt=date(2026, 1, 30)).count() == 11
    points = chart(programme)
    assert dict(points)[date(2026, 1, 31)] == Decimal("0.00")
    assert [amount for _day, amount in points] == [ledger_overdue(day) for day, _a in points]
    assert integrity_run(["arrears_month_end_matches_dues"]) == []


def test_a_payment_of_today_keeps_the_past_month_ends(unpaid, programme, operator):
    chart(programme)
    pay(unpaid, operator, "550.00", DAY)
    assert ArrearsMonthEnd.objects.filter(programme=programme).count() == 12


def test_back_months_of_a_lease_activated_late_forget_the_month_ends(unpaid, programme, operator):
    chart(programme)
    late = LeaseFactory(household__programme=programme, start_date=date(2025, 11, 1))
    active_agreement_for(late.landlord, valid_from=date(2025, 1, 1))
    activate(late, operator, today=DAY)
    assert not ArrearsMonthEnd.objects.filter(day__gt=date(2025, 11, 5)).exists()
    points = chart(programme)
    assert [amount for _day, amount in points] == [ledger_overdue(day) for day, _a in points]


def test_integrity_finds_a_stored_point_that_is_not_the_dues(unpaid, programme):
    chart(programme)
    ArrearsMonthEnd.objects.filter(day=date(2026, 1, 31)).update(amount=Decimal("1.00"))
    (violation,) = integrity_run(["arrears_month_end_matches_dues"])
    assert "550" in violation.message


def ledger_ageing(today: date) -> dict:
    """Outstanding per ageing bucket, from every due and allocation, in Python."""
    result = {}
    for due in RentDue.objects.all():
        bucket = age_bucket(due_date=due.due_date, today=today)
        if bucket is None:
            continue
        paid = sum((a.amount.amount for a in due.allocations.all()), Decimal(0))
        result[bucket] = result.get(bucket, Decimal(0)) + due.amount.amount - paid
    return result


def settled(lease):
    return list(lease.dues.order_by("month").values_list("settled_on", flat=True))


def test_a_due_is_settled_on_the_day_of_the_money_that_completed_it(unpaid, operator):
    pay(unpaid, operator, "300.00", date(2026, 1, 10))
    assert settled(unpaid) == [None, None]  # January in part
    pay(unpaid, operator, "250.00", date(2026, 2, 1))
    assert settled(unpaid) == [date(2026, 2, 1), None]
    # A backdated payment completing February: its day, not the day it was recorded.
    pay(unpaid, operator, "550.00", date(2026, 1, 31))
    assert settled(unpaid) == [date(2026, 2, 1), date(2026, 1, 31)]
    assert integrity_run(["rent_due_settled_matches_allocations"]) == []


def test_the_ageing_reads_the_unsettled_dues_and_equals_the_ledger(unpaid, programme, operator):
    pay(unpaid, operator, "550.00", date(2026, 1, 30))
    pay(unpaid, operator, "120.00", DAY)
    summary = arrears_summary(programme=programme, today=DAY)
    expected = ledger_ageing(DAY)
    assert {b: a for b, a in summary.ageing.items() if a} == {
        b: a for b, a in expected.items() if a
    }
    assert summary.total_overdue == Decimal("430.00")


def test_integrity_finds_a_settled_mark_that_is_not_the_allocations(unpaid, operator):
    pay(unpaid, operator, "550.00", date(2026, 1, 30))
    january, february = unpaid.dues.order_by("month")
    RentDue.objects.filter(pk=february.pk).update(settled_on=DAY)
    RentDue.objects.filter(pk=january.pk).update(settled_on=None)
    violations = integrity_run(["rent_due_settled_matches_allocations"])
    assert len(violations) == 2


def test_the_bulk_seed_marks_the_dues_it_pays():
    build_scale(households=6, years=1, seed=5, log=lambda line: None)
    assert RentDue.objects.filter(settled_on__isnull=False).exists()
    assert integrity_run(["rent_due_settled_matches_allocations"]) == []
