"""What a page or a report asks: every indicator of a programme and period with its target."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reporting.indicators.base import COUNT, SMALL, Indicator, Period, indicators_in_order


@dataclass(frozen=True)
class IndicatorValue:
    indicator: Indicator
    value: object  # None when it cannot be computed, or is suppressed
    target: object  # a reporting.models.Target or None
    suppressed: bool = False  # a count of 1–4 households or cases, not shown
    note: str = ""  # what the reader must know beside the figure (Indicator.note)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def progress(self) -> Decimal | None:
        """The value as a percentage of the target (None without a target or a value)."""
        if self.target is None or self.value is None or not self.target.value:
            return None
        return (Decimal(self.value) / self.target.value * 100).quantize(Decimal("1"))


def targets_for_period(*, programme, start: date, end: date) -> dict:
    """Per indicator code, the target whose period overlaps [start, end], the closest match
    first (the same period, then the latest start). One query."""
    from reporting.models import Target

    found = {}
    overlapping = Target.objects.filter(
        programme=programme, period_start__lte=end, period_end__gte=start
    ).order_by("-period_start", "pk")
    for target in overlapping:
        exact = (target.period_start, target.period_end) == (start, end)
        if target.indicator not in found or exact:
            found[target.indicator] = target
    return found


def programme_indicators(*, programme, start: date, end: date) -> list[IndicatorValue]:
    """Every indicator of `programme` over [start, end], with its target and definition, in the
    order they are registered; a count of 1–4 households or cases comes back suppressed (value
    None), as a breakdown's cell would. A constant number of queries whatever the size."""
    period = Period(programme=programme, start=start, end=end)
    targets = targets_for_period(programme=programme, start=start, end=end)
    result = []
    for item in indicators_in_order():
        value = item.compute(period)
        small = item.unit == COUNT and item.counts_people and 0 < value < SMALL
        result.append(
            IndicatorValue(
                indicator=item,
                value=None if small else value,
                target=targets.get(item.code),
                suppressed=small,
                note=str(item.note(period) or "") if item.note else "",
            )
        )
    return result
