"""The programme's indicators: each a named function over the records, with its definition.

Every indicator is computed by the database (counts, sums, a median read from the ordered
middle rows), so it costs the same few queries at 100 households as at 10,000. Each one is
registered with `@indicator`: its code (what a `Target` names), its label, unit and definition,
the text the pages and the spreadsheet show beside the figure. `programme_indicators` answers,
for a programme and a period, every indicator's value, target and definition: the one call a
report makes.

Periods are closed: [start, end]. Flows ("opened in the period") count what happened between
the two dates; stocks ("in force") read the state at `end` from the ledger where it keeps
history, and today's state where the records keep only the current status (the definition says
which).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.money import round_cents
from fund.models import AccountCode, Claim, Fund, Guarantee
from fund.selectors.figures import (
    fund_payouts,
    fund_payouts_reversed,
    fund_recoveries,
    fund_write_offs,
)
from fund.selectors.ledger import account_balances
from housing.models import Cohousing, Dwelling, LandlordAgreement, SocialCondominium
from tenancies.models import (
    ArrearsCase,
    Assessment,
    Enrollment,
    EvictionCase,
    FundApplication,
    Placement,
)

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
    # A count of households or their cases: 1–4 is shown as "< 5" (see programme_indicators).
    # Counts of buildings (cohousings, condominiums, dwellings) point at nobody.
    counts_people: bool = True


INDICATORS: dict[str, Indicator] = {}

# Under this many households or cases a count is not shown, nor a median computed over them.
SMALL = 5


def indicator(code: str, label, *, unit: str, group, definition, counts_people: bool = True):
    """Register the decorated function as the indicator `code`."""

    def register(function):
        if code in INDICATORS:
            raise ValueError(f"Two indicators are coded {code!r}.")
        INDICATORS[code] = Indicator(
            code, label, unit, group, definition, function, counts_people=counts_people
        )
        return function

    return register


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, item.label) for code, item in INDICATORS.items()]


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


def _enrollments(p: Period):
    return Enrollment.objects.in_programme(p.programme)


# --- households ------------------------------------------------------------------------------


@indicator(
    "households_referred",
    _("Households reached (referred)"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_("Households referred to the programme with a referral date in the period."),
)
def households_referred(p: Period) -> int:
    """Distinct households with an enrolment whose `referred_on` is in the period."""
    return (
        _enrollments(p)
        .filter(p.dates("referred_on"))
        .aggregate(n=Count("household", distinct=True))["n"]
    )


@indicator(
    "households_assessed",
    _("Households assessed"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_("Households whose eligibility was checked at least once in the period."),
)
def households_assessed(p: Period) -> int:
    """Distinct households with an `Assessment` dated in the period."""
    return (
        Assessment.objects.filter(enrollment__household__programme=p.programme)
        .filter(p.instants("assessed_at"))
        .aggregate(n=Count("enrollment__household", distinct=True))["n"]
    )


@indicator(
    "households_enrolled",
    _("Households enrolled"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households enrolled (pact and support started) with an enrolment date in the period."
    ),
)
def households_enrolled(p: Period) -> int:
    """Distinct households with an enrolment whose `enrolled_on` is in the period."""
    return (
        _enrollments(p)
        .filter(p.dates("enrolled_on"))
        .aggregate(n=Count("household", distinct=True))["n"]
    )


@indicator(
    "households_guaranteed",
    _("Households supported by the guarantee fund"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households whose lease got a guarantee approved in the period (cancelled "
        "requests excluded)."
    ),
)
def households_guaranteed(p: Period) -> int:
    """Distinct households of leases with a guarantee approved in the period, not cancelled."""
    return (
        Guarantee.objects.in_programme(p.programme)
        .filter(p.instants("approved_at"))
        .exclude(status=Guarantee.Status.CANCELLED)
        .aggregate(n=Count("lease__household", distinct=True))["n"]
    )


@indicator(
    "households_active_guarantee",
    _("Households with a guarantee in force"),
    unit=COUNT,
    group=HOUSEHOLDS,
    definition=_(
        "Households whose lease has an active guarantee today (the records keep the "
        "guarantee's current state, not its past ones)."
    ),
)
def households_active_guarantee(p: Period) -> int:
    """Distinct households of leases whose guarantee is ACTIVE now."""
    return (
        Guarantee.objects.in_programme(p.programme)
        .filter(status=Guarantee.Status.ACTIVE)
        .aggregate(n=Count("lease__household", distinct=True))["n"]
    )


# --- housing ---------------------------------------------------------------------------------


@indicator(
    "cohousing_active",
    _("Cohousing arrangements active"),
    unit=COUNT,
    group=HOUSING,
    definition=_("Cohousing arrangements where at least one household lives today."),
    counts_people=False,
)
def cohousing_active(p: Period) -> int:
    """Cohousings with an ACTIVE placement in their dwelling now."""
    return (
        Cohousing.objects.in_programme(p.programme)
        .filter(dwelling__placements__status=Placement.Status.ACTIVE)
        .aggregate(n=Count("pk", distinct=True))["n"]
    )


@indicator(
    "condominiums_active",
    _("Social condominiums active"),
    unit=COUNT,
    group=HOUSING,
    definition=_(
        "Social condominiums with a social caretaker and at least one household "
        "living in one of their flats today."
    ),
    counts_people=False,
)
def condominiums_active(p: Period) -> int:
    """Condominiums with a caretaker and an ACTIVE placement in one of their dwellings."""
    return (
        SocialCondominium.objects.filter(programme=p.programme, caretaker__isnull=False)
        .filter(flats__placements__status=Placement.Status.ACTIVE)
        .aggregate(n=Count("pk", distinct=True))["n"]
    )


@indicator(
    "placements_started",
    _("Placements started"),
    unit=COUNT,
    group=HOUSING,
    definition=_(
        "Households who moved into a flat, a social condominium flat or a cohousing "
        "place in the period."
    ),
)
def placements_started(p: Period) -> int:
    """Placements whose `starts_on` (moving-in date) is in the period."""
    return Placement.objects.filter(programme=p.programme).filter(p.dates("starts_on")).count()


@indicator(
    "placements_ended_autonomy",
    _("Placements ended in housing autonomy"),
    unit=COUNT,
    group=HOUSING,
    definition=_(
        "Placements that ended in the period because the household moved to a home of its own."
    ),
)
def placements_ended_autonomy(p: Period) -> int:
    """ENDED placements with `ends_on` in the period and end reason AUTONOMY."""
    return (
        Placement.objects.filter(programme=p.programme, status=Placement.Status.ENDED)
        .filter(p.dates("ends_on"), end_reason=Placement.EndReason.AUTONOMY)
        .count()
    )


@indicator(
    "dwellings_new_supply",
    _("Dwellings brought in by agreements"),
    unit=COUNT,
    group=HOUSING,
    definition=_(
        "Dwellings registered in the period whose landlord has signed an agreement with "
        "the fund (new housing supply). The records hold no market rent, so the rent "
        "below market these dwellings secure cannot be computed."
    ),
    counts_people=False,
)
def dwellings_new_supply(p: Period) -> int:
    """Dwellings created in the period whose landlord has an agreement past draft."""
    signed = LandlordAgreement.objects.exclude(status=LandlordAgreement.Status.DRAFT)
    return (
        Dwelling.objects.filter(programme=p.programme)
        .filter(p.instants("created_at"))
        .filter(landlord__in=signed.values("landlord"))
        .count()
    )


# --- arrears and evictions -------------------------------------------------------------------


def _arrears(p: Period):
    return ArrearsCase.objects.filter(programme=p.programme)


@indicator(
    "arrears_opened",
    _("Arrears cases opened"),
    unit=COUNT,
    group=ARREARS,
    definition=_(
        "Arrears cases opened in the period (by the monthly run, a landlord's report "
        "or an operator)."
    ),
)
def arrears_opened(p: Period) -> int:
    """Arrears cases whose `opened_on` is in the period."""
    return _arrears(p).filter(p.dates("opened_on")).count()


@indicator(
    "arrears_cured",
    _("Arrears cases cured"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Arrears cases closed as cured (rent paid up) in the period."),
)
def arrears_cured(p: Period) -> int:
    """CURED arrears cases whose `closed_on` is in the period."""
    return _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.CURED).count()


@indicator(
    "arrears_escalated",
    _("Arrears cases escalated"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Arrears cases handed to eviction prevention in the period."),
)
def arrears_escalated(p: Period) -> int:
    """ESCALATED arrears cases whose `closed_on` is in the period."""
    return _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.ESCALATED).count()


@indicator(
    "arrears_median_days_to_cure",
    _("Median days to cure arrears"),
    unit=DAYS,
    group=ARREARS,
    definition=_(
        "Of the arrears cases cured in the period, the median number of days from "
        "opening to cure (computed over at least 5 cases)."
    ),
)
def arrears_median_days_to_cure(p: Period) -> Decimal | None:
    """Median of `closed_on − opened_on` over the cases counted by `arrears_cured`."""
    cured = _arrears(p).filter(p.dates("closed_on"), status=ArrearsCase.Status.CURED)
    return _median_days(cured, F("closed_on") - F("opened_on"))


PREVENTED_OUTCOMES = (
    EvictionCase.Outcome.PREVENTED_SETTLEMENT,
    EvictionCase.Outcome.CURED_AT_HEARING,
    EvictionCase.Outcome.WITHDRAWN,
    EvictionCase.Outcome.DISMISSED,
)


def _evictions_closed(p: Period):
    return EvictionCase.objects.filter(programme=p.programme).filter(p.dates("closed_on"))


@indicator(
    "evictions_prevented",
    _("Evictions prevented"),
    unit=COUNT,
    group=ARREARS,
    definition=_(
        "Eviction cases closed in the period with the household still at home: "
        "settled before the hearing, cured at the hearing, withdrawn by the landlord or "
        "rejected by the judge."
    ),
)
def evictions_prevented(p: Period) -> int:
    """Eviction cases closed in the period with an outcome in PREVENTED_OUTCOMES."""
    return _evictions_closed(p).filter(outcome__in=PREVENTED_OUTCOMES).count()


@indicator(
    "evictions_rehoused",
    _("Households rehoused before eviction"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Eviction cases closed in the period with the household moved to another home."),
)
def evictions_rehoused(p: Period) -> int:
    """Eviction cases closed in the period with outcome REHOUSED."""
    return _evictions_closed(p).filter(outcome=EvictionCase.Outcome.REHOUSED).count()


@indicator(
    "evictions_executed",
    _("Evictions carried out"),
    unit=COUNT,
    group=ARREARS,
    definition=_("Eviction cases closed in the period with the household evicted."),
)
def evictions_executed(p: Period) -> int:
    """Eviction cases closed in the period with outcome EVICTED."""
    return _evictions_closed(p).filter(outcome=EvictionCase.Outcome.EVICTED).count()


@indicator(
    "public_funds_obtained",
    _("Public funds obtained (morosità incolpevole)"),
    unit=EURO,
    group=ARREARS,
    definition=_(
        "Amounts granted in the period on applications to public funds for arrears "
        "not caused by the tenant's fault."
    ),
)
def public_funds_obtained(p: Period) -> Decimal:
    """Sum of `amount_granted` of applications GRANTED or RECEIVED, decided in the period."""
    total = (
        FundApplication.objects.filter(case__programme=p.programme)
        .filter(p.dates("decided_on"))
        .filter(status__in=(FundApplication.Status.GRANTED, FundApplication.Status.RECEIVED))
        .aggregate(total=Sum("amount_granted"))["total"]
    )
    return _money(total)


# --- the fund --------------------------------------------------------------------------------


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


# --- what a page or a report asks --------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorValue:
    indicator: Indicator
    value: object  # None when it cannot be computed, or is suppressed
    target: object  # a reporting.models.Target or None
    suppressed: bool = False  # a count of 1–4 households or cases, not shown

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
    for code, item in INDICATORS.items():
        value = item.compute(period)
        small = item.unit == COUNT and item.counts_people and 0 < value < SMALL
        result.append(
            IndicatorValue(
                indicator=item,
                value=None if small else value,
                target=targets.get(code),
                suppressed=small,
            )
        )
    return result
