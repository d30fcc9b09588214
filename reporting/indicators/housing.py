"""Indicators of the homes: cohousings and condominiums in use, placements, new supply."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from housing.models import Cohousing, Dwelling, LandlordAgreement, SocialCondominium
from reporting.indicators.base import (
    COUNT,
    HOUSING,
    Period,
    indicator,
)
from tenancies.models import (
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
