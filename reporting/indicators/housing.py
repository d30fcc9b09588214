"""Indicators of the homes: cohousings and condominiums in use, placements, new supply."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from housing.models import Cohousing, Dwelling, LandlordAgreement, SocialCondominium
from reporting.indicators.base import (
    COUNT,
    EURO,
    HOUSING,
    PERCENT,
    SMALL,
    Period,
    _money,
    _ratio,
    indicator,
)
from tenancies.models import (
    Lease,
    Placement,
)


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
        "the fund (new housing supply). The rent below market they secure follows."
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


# -- the rent below market the agreements secure ----------------------------------------------


@dataclass(frozen=True)
class BelowMarket:
    """Leases in force in the period on dwellings under a fund agreement, measured against
    their dwellings' market rent, month by month."""

    months: int  # calendar months the period touches
    below: Decimal  # Σ over lease-months of max(0, market rent − lease rent)
    market: Decimal  # Σ over the same lease-months of the market rent
    leases: int  # leases measured (their dwelling has a market rent)
    dwellings: int  # dwellings under an agreement let in the period
    unmeasured: int  # of which without a market rent

    @property
    def shown(self) -> bool:
        """Under SMALL leases a sum is nearly one household's rent (the market rent is
        public): not shown, as a median of fewer cases is not."""
        return self.leases == 0 or self.leases >= SMALL


def _month_number(expression):
    return ExtractYear(expression) * 12 + ExtractMonth(expression)


def below_market(p: Period) -> BelowMarket:
    """One query for every rent-below-market figure of the period (kept in `p.memo`)."""
    if "below_market" in p.memo:
        return p.memo["below_market"]
    agreements = (
        LandlordAgreement.objects.exclude(status=LandlordAgreement.Status.DRAFT)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=p.end))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=p.start))
    )
    decimal = DecimalField(max_digits=14, decimal_places=4)
    leases = (
        Lease.objects.filter(programme=p.programme, status__in=Lease.IN_FORCE_STATES)
        .filter(start_date__lte=p.end, dwelling__landlord__in=agreements.values("landlord"))
        .annotate(last_day=Coalesce("ended_on", "end_date"))
        .filter(last_day__gte=p.start)
        .annotate(
            # The months of the period in which the lease is in force for at least a day.
            lease_months=_month_number(Least("last_day", Value(p.end)))
            - _month_number(Greatest("start_date", Value(p.start)))
            + 1,
            # A cohousing place is measured against its share of the flat's market rent.
            market_share=ExpressionWrapper(
                F("dwelling__market_rent") / Coalesce(F("dwelling__cohousing__places"), Value(1)),
                output_field=decimal,
            ),
            lease_rent=ExpressionWrapper(F("rent"), output_field=decimal),
        )
    )
    measured = Q(dwelling__market_rent__isnull=False)
    zero = Value(Decimal(0), output_field=decimal)
    row = leases.aggregate(
        below=Sum(
            ExpressionWrapper(
                Greatest(F("market_share") - F("lease_rent"), zero) * F("lease_months"),
                output_field=decimal,
            ),
            filter=measured,
        ),
        market=Sum(
            ExpressionWrapper(F("market_share") * F("lease_months"), output_field=decimal),
            filter=measured,
        ),
        leases=Count("pk", filter=measured),
        dwellings=Count("dwelling", distinct=True),
        unmeasured=Count("dwelling", distinct=True, filter=~measured),
    )
    months = (p.end.year * 12 + p.end.month) - (p.start.year * 12 + p.start.month) + 1
    result = BelowMarket(
        months=months,
        below=_money(row["below"]),
        market=_money(row["market"]),
        leases=row["leases"],
        dwellings=row["dwellings"],
        unmeasured=row["unmeasured"],
    )
    p.memo["below_market"] = result
    return result


def _unmeasured_note(p: Period):
    """How many of the dwellings have no market rent to measure against."""
    unmeasured = below_market(p).unmeasured
    if not unmeasured:
        return None
    return ngettext(
        "%(count)s dwelling without a recorded market rent, left out.",
        "%(count)s dwellings without a recorded market rent, left out.",
        unmeasured,
    ) % {"count": unmeasured}


def _figure_note(p: Period):
    """The dwellings left out, and why a figure is not shown."""
    parts = [_unmeasured_note(p)]
    if not below_market(p).shown:
        parts.append(_("Fewer than 5 leases measured: not shown."))
    return " ".join(str(part) for part in parts if part) or None


_BELOW_MARKET_RULE = _(
    "Leases in force in the period on dwellings whose landlord has an agreement with the fund "
    "in force in the period; each month of the period in which a lease is in force counts "
    "max(0, market rent − lease rent) (a cohousing place: its share of the flat's market "
    "rent). Dwellings without a recorded market rent are left out and counted beside the "
    "figure; with fewer than 5 leases measured the figure is not shown."
)


@indicator(
    "dwellings_let_under_agreements",
    _("Dwellings let under agreements"),
    unit=COUNT,
    group=HOUSING,
    definition=_(
        "Dwellings whose landlord has an agreement with the fund in force in the period, let "
        "with a lease in force at some time in the period."
    ),
    counts_people=False,
    note=_unmeasured_note,
)
def dwellings_let_under_agreements(p: Period) -> int:
    return below_market(p).dwellings


@indicator(
    "rent_below_market_monthly",
    _("Rent below market secured, per month"),
    unit=EURO,
    group=HOUSING,
    definition=format_lazy(
        "{} {}",
        _(
            "What the agreements' tenants pay below the market rent, on average per month of "
            "the period."
        ),
        _BELOW_MARKET_RULE,
    ),
    counts_people=False,
    note=_figure_note,
)
def rent_below_market_monthly(p: Period) -> Decimal | None:
    """Σ over lease-months of max(0, market − rent), divided by the period's months."""
    figures = below_market(p)
    return _money(figures.below / figures.months) if figures.shown else None


@indicator(
    "rent_below_market_yearly",
    _("Rent below market secured, per year"),
    unit=EURO,
    group=HOUSING,
    definition=format_lazy(
        "{} {}",
        _(
            "The monthly figure times twelve: what the agreements secure in a year at the "
            "period's pace."
        ),
        _BELOW_MARKET_RULE,
    ),
    counts_people=False,
    note=_figure_note,
)
def rent_below_market_yearly(p: Period) -> Decimal | None:
    """Σ over lease-months of max(0, market − rent) × 12 / the period's months."""
    figures = below_market(p)
    return _money(figures.below * 12 / figures.months) if figures.shown else None


@indicator(
    "market_discount_percent",
    _("Average discount on the market rent"),
    unit=PERCENT,
    group=HOUSING,
    definition=format_lazy(
        "{} {}",
        _(
            "The rent below market as a percentage of the market rent of the same leases and "
            "months (a lease at or above the market rent counts as no discount)."
        ),
        _BELOW_MARKET_RULE,
    ),
    counts_people=False,
    note=_figure_note,
)
def market_discount_percent(p: Period) -> Decimal | None:
    figures = below_market(p)
    if not figures.shown:
        return None
    return _ratio(figures.below, figures.market, percent=True)
