"""What an indicator is: its period, its registration and the helpers every one uses."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import DurationField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.money import round_cents
from fund.models import Fund

COUNT, EURO, PERCENT, DAYS, RATIO = "count", "euro", "percent", "days", "ratio"

HOUSEHOLDS = _("Households")
HOUSING = _("Housing")
ARREARS = _("Arrears and evictions")
FUND = _("Guarantee fund")
GROUPS = (HOUSEHOLDS, HOUSING, ARREARS, FUND)


@dataclass(frozen=True)
class Period:
    """A programme and the closed period [start, end] an indicator is asked for."""

    programme: object
    start: date
    end: date

    @cached_property
    def fund(self) -> Fund | None:
        return Fund.objects.in_programme(self.programme).order_by("pk").first()

    @cached_property
    def memo(self) -> dict:
        """Results several indicators read (one query answering several figures), kept for
        as long as this period is asked about: one page, one report."""
        return {}

    @property
    def start_at(self) -> datetime:
        """The period's first instant, for datetime columns (a range an index serves)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def dates(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})

    def instants(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start_at, f"{name}__lt": self.end_before})


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Promise
    unit: str
    group: Promise
    definition: Promise
    compute: Callable[[Period], object] = field(repr=False)
    # What the reader must know beside the figure (e.g. how many dwellings it leaves out), for
    # this period: a text, or None.
    note: Callable[[Period], object] | None = field(default=None, repr=False)
    # A count of households or their cases: 1–4 is shown as "< 5" (see programme_indicators).
    # Counts of buildings (cohousings, condominiums, dwellings) point at nobody.
    counts_people: bool = True


INDICATORS: dict[str, Indicator] = {}

# Under this many households or cases a count is not shown, nor a median computed over them.
SMALL = 5


def indicator(
    code: str, label, *, unit: str, group, definition, counts_people: bool = True, note=None
):
    """Register the decorated function as the indicator `code`; `note(period)` is a text
    shown beside the figure."""

    def register(function):
        if code in INDICATORS:
            raise ValueError(f"Two indicators are coded {code!r}.")
        INDICATORS[code] = Indicator(
            code, label, unit, group, definition, function, counts_people=counts_people, note=note
        )
        return function

    return register


def indicators_in_order() -> list[Indicator]:
    """Every indicator, group by group (GROUPS' order), each group in the order its module
    registers them: the order pages, spreadsheets and reports list them."""
    return sorted(INDICATORS.values(), key=lambda item: GROUPS.index(item.group))


def indicator_choices() -> list[tuple[str, str]]:
    return [(item.code, item.label) for item in indicators_in_order()]


def _money(value) -> Decimal:
    """A SQL sum as exact euros (SQLite sums decimals as floats: see fund.selectors.ledger)."""
    return round_cents(value or 0)


def _median_days(queryset, expression) -> Decimal | None:
    """The median of `expression` (a difference of dates) over `queryset`, in days: the
    database orders the rows and returns the one or two middle ones (two queries). None under
    SMALL rows: a median of two cases is nearly each one's own figure."""
    rows = queryset.annotate(
        _days=ExpressionWrapper(expression, output_field=DurationField())
    ).order_by("_days", "pk")
    count = rows.count()
    # The middle rows are read even when there are too few: the same queries at any size.
    middle = list(rows.values_list("_days", flat=True)[max(count - 1, 0) // 2 : count // 2 + 1])
    if count < SMALL:
        return None
    total = sum((Decimal(d.days) + Decimal(d.seconds) / 86400 for d in middle), Decimal(0))
    return (total / len(middle)).quantize(Decimal("0.1"))


def _ratio(numerator: Decimal, denominator: Decimal, *, percent: bool) -> Decimal | None:
    if not denominator:
        return None
    value = Decimal(numerator) / Decimal(denominator) * (100 if percent else 1)
    return value.quantize(Decimal("0.1") if percent else Decimal("0.01"))
