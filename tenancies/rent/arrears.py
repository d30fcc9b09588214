"""When is rent late enough to act on, and how old is what is owed."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

# L. 392/1978 art. 5: rent unpaid 20 days after its due date, or unpaid charges above two
# months' rent, are grounds for termination. Programmes may act earlier; this is the default.
DEFAULT_GRACE_DAYS = 20
DEFAULT_CHARGES_MONTHS = 2

AGE_BUCKETS = ((1, 30), (31, 60), (61, 90), (91, None))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date_for(month: date, due_day: int) -> date:
    """The due date of a month's rent: `due_day` of that month, clamped to its last day."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(due_day, last))


def is_past_threshold(*, due_date: date, today: date, grace_days: int) -> bool:
    """Late enough to open an arrears case: more than `grace_days` days after the due date.

    Day 20 after the due date is still within the 20 days the law allows; day 21 is not.
    """
    return today > due_date + timedelta(days=grace_days)


def age_bucket(*, due_date: date, today: date) -> tuple[int, int | None] | None:
    """The ageing bucket of a due that is unpaid `today` (None if not yet overdue)."""
    days = (today - due_date).days
    if days < 1:
        return None
    for low, high in AGE_BUCKETS:
        if high is None or days <= high:
            return (low, high)
    return None


@dataclass(frozen=True)
class UnpaidDue:
    due_date: date
    outstanding: Decimal


def buckets(unpaid: list[UnpaidDue], *, today: date) -> dict[tuple, Decimal]:
    """Outstanding amounts per ageing bucket (every bucket present, zero when empty)."""
    result = {bucket: Decimal("0.00") for bucket in AGE_BUCKETS}
    for due in unpaid:
        bucket = age_bucket(due_date=due.due_date, today=today)
        if bucket is not None:
            result[bucket] += due.outstanding
    return result
