"""Reads about the housing stock, scoped to a programme or a user.

The places a household can be given (used by the placement code in `tenancies`):
- a Dwelling that is not a cohousing is ONE place (the whole flat; condominium flats included);
- a Cohousing's dwelling has `cohousing.places` places, numbered 1..places.
`dwelling_capacity()` says how many; the placement code knows which are taken and tells
`vacancies_matching()` through `occupied_places` (or registers `set_occupancy_provider`), and
who holds them through `set_occupants_provider` (a cohousing's shared costs are split between
the households living there, and it is never made smaller than the places they hold).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from common.money import split_evenly
from housing.models import (
    CaretakerNote,
    Cohousing,
    Dwelling,
    Landlord,
    LandlordAgreement,
    SocialCondominium,
)

# -- landlords and agreements -------------------------------------------------------------


def landlord_list(*, programme) -> QuerySet[Landlord]:
    return (
        Landlord.objects.in_programme(programme)
        .annotate(
            dwelling_count=Count("dwellings", distinct=True),
            agreements_in_force=Count(
                "agreements",
                filter=Q(agreements__status__in=LandlordAgreement.IN_FORCE),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )


def landlord_get(*, programme, pk) -> Landlord:
    return Landlord.objects.in_programme(programme).get(pk=pk)


def landlords_for_user(*, user, programme) -> QuerySet[Landlord]:
    """The landlords a landlord-role login acts for."""
    return Landlord.objects.in_programme(programme).filter(users=user)


def agreement_list(*, programme) -> QuerySet[LandlordAgreement]:
    return LandlordAgreement.objects.in_programme(programme).select_related("landlord")


def agreement_get(*, programme, pk) -> LandlordAgreement:
    return agreement_list(programme=programme).get(pk=pk)


def agreement_active_for(*, landlord, on: date | None = None) -> LandlordAgreement | None:
    """The agreement that lets the fund guarantee `landlord`'s leases on `on` (today), or None.

    Only an ACTIVE agreement whose validity covers the date counts; suspended ones do not.
    """
    on = on or timezone.localdate()
    return (
        LandlordAgreement.objects.filter(
            landlord=landlord,
            status=LandlordAgreement.Status.ACTIVE,
            valid_from__lte=on,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-id")
        .first()
    )


# -- dwellings, condominiums, cohousing -----------------------------------------------------


def dwelling_list(*, programme) -> QuerySet[Dwelling]:
    return Dwelling.objects.in_programme(programme).select_related(
        "landlord", "condominium", "cohousing"
    )


def dwelling_get(*, programme, pk) -> Dwelling:
    return dwelling_list(programme=programme).get(pk=pk)


def dwelling_get_for_update(*, pk) -> Dwelling:
    """Lock a dwelling row: the placement service locks the place's parent before checking it."""
    return Dwelling.objects.select_for_update().get(pk=pk)


def dwelling_capacity(dwelling: Dwelling) -> int:
    """How many households the dwelling takes at once: a cohousing's places, otherwise 1."""
    cohousing = dwelling_cohousing(dwelling)
    return cohousing.places if cohousing is not None else 1


def dwelling_places(dwelling: Dwelling) -> range:
    """The place numbers of a dwelling (1..capacity); a placement takes one of them."""
    return range(1, dwelling_capacity(dwelling) + 1)


def _has_cohousing(dwelling) -> bool:
    try:
        return dwelling.cohousing is not None
    except Cohousing.DoesNotExist:
        return False


def dwelling_cohousing(dwelling: Dwelling) -> Cohousing | None:
    """The cohousing living in `dwelling`, or None for a flat given whole."""
    return dwelling.cohousing if _has_cohousing(dwelling) else None


def condominium_list(*, programme) -> QuerySet[SocialCondominium]:
    return (
        SocialCondominium.objects.in_programme(programme)
        .select_related("caretaker")
        .annotate(
            flat_count=Count("flats", distinct=True),
            open_alerts=Count(
                "caretaker_notes",
                filter=Q(
                    caretaker_notes__kind=CaretakerNote.Kind.ALERT,
                    caretaker_notes__handled_at__isnull=True,
                ),
                distinct=True,
            ),
        )
        .order_by("name", "id")
    )


def condominium_get(*, programme, pk) -> SocialCondominium:
    return condominium_list(programme=programme).get(pk=pk)


def condominiums_for_caretaker(*, user, programme) -> QuerySet[SocialCondominium]:
    """Only the condominiums where `user` is the caretaker."""
    return condominium_list(programme=programme).filter(caretaker=user)


def cohousing_list(*, programme) -> QuerySet[Cohousing]:
    return Cohousing.objects.in_programme(programme).select_related(
        "dwelling", "dwelling__landlord"
    )


def cohousing_get(*, programme, pk) -> Cohousing:
    return cohousing_list(programme=programme).get(pk=pk)


def caretaker_notes_for(*, condominium) -> QuerySet[CaretakerNote]:
    return condominium.caretaker_notes.select_related("dwelling", "author", "handled_by")


def caretaker_alerts_open(*, programme) -> QuerySet[CaretakerNote]:
    """Alerts raised by caretakers that no operator has taken charge of yet, oldest first."""
    return (
        CaretakerNote.objects.in_programme(programme)
        .filter(kind=CaretakerNote.Kind.ALERT, handled_at__isnull=True)
        .select_related("condominium", "dwelling", "author")
        .order_by("happened_on", "id")
    )


def caretaker_alert_get(*, programme, pk) -> CaretakerNote:
    """An alert of the programme, handled or not (taking it in charge twice is harmless)."""
    return CaretakerNote.objects.in_programme(programme).get(kind=CaretakerNote.Kind.ALERT, pk=pk)


# -- vacancies ------------------------------------------------------------------------------

OccupancyProvider = Callable[[list[int]], Mapping[int, int]]
_occupancy_provider: OccupancyProvider | None = None


def set_occupancy_provider(provider: OccupancyProvider | None) -> None:
    """Let the placement code say how many places of each dwelling are taken.

    `provider(dwelling_ids)` returns {dwelling_id: places taken}, in ONE query. housing does
    not import tenancies (dependencies point one way); tenancies registers this in its
    AppConfig.ready(), and every vacancy list then counts active placements.
    """
    global _occupancy_provider
    _occupancy_provider = provider


def places_occupied(dwelling_ids: list[int]) -> Mapping[int, int]:
    """{dwelling_id: places taken}, from the registered occupancy provider ({} without one)."""
    if _occupancy_provider is None or not dwelling_ids:
        return {}
    return _occupancy_provider(list(dwelling_ids))


@dataclass(frozen=True)
class Occupant:
    """A household holding a place of a dwelling, as the placement code reports it."""

    household_id: int
    name: str
    place_number: int
    living_there: bool  # False: accepted, moving in


OccupantsProvider = Callable[[list[int]], Mapping[int, list[Occupant]]]
_occupants_provider: OccupantsProvider | None = None


def set_occupants_provider(provider: OccupantsProvider | None) -> None:
    """Let the placement code say who holds the places of each dwelling.

    `provider(dwelling_ids)` returns {dwelling_id: [Occupant]} for the accepted and active
    placements, in ONE query; tenancies registers it in its AppConfig.ready().
    """
    global _occupants_provider
    _occupants_provider = provider


def dwelling_occupants(dwelling_ids: list[int]) -> Mapping[int, list[Occupant]]:
    """{dwelling_id: households holding a place, by place number} ({} without a provider)."""
    if _occupants_provider is None or not dwelling_ids:
        return {}
    found = _occupants_provider(list(dwelling_ids))
    return {key: sorted(found[key], key=lambda o: o.place_number) for key in found}


def cohousing_residents(cohousing: Cohousing) -> list[Occupant]:
    """The households living in the cohousing now, by place number."""
    holders = dwelling_occupants([cohousing.dwelling_id]).get(cohousing.dwelling_id, [])
    return [o for o in holders if o.living_there]


def cohousing_cost_shares(cohousing: Cohousing, residents=None) -> list[tuple[Occupant, object]]:
    """Each resident household's share of the monthly shared costs: equal parts that add up to
    the total to the cent (lower place numbers take the odd cents). Empty when nobody lives
    there. Computed from who lives there now, so it follows every move in and out."""
    residents = cohousing_residents(cohousing) if residents is None else residents
    if not residents:
        return []
    return list(
        zip(residents, split_evenly(cohousing.shared_costs_total, len(residents)), strict=True)
    )


@dataclass
class Vacancy:
    """A dwelling or cohousing with free places, and why it fits."""

    dwelling: Dwelling
    capacity: int
    free_places: int
    monthly_cost: object  # Money: the whole flat's cost, or one cohousing place's share
    in_municipality: bool = True

    @property
    def cohousing(self):
        return dwelling_cohousing(self.dwelling)

    @property
    def kind(self) -> str:
        if self.cohousing is not None:
            return "cohousing"
        return "condominium" if self.dwelling.condominium_id else "dwelling"


def _max_people(dwelling: Dwelling) -> int:
    cohousing = dwelling_cohousing(dwelling)
    if cohousing is not None:
        return cohousing.max_people_per_place
    # Two people per room: the usual Italian standard of adequate housing.
    return dwelling.rooms * 2


def vacancies_matching(
    *,
    programme,
    household_size: int | None = None,
    max_rent=None,
    needs_accessibility: bool = False,
    municipality: str = "",
    only_municipality: bool = False,
    occupied_places: Mapping[int, int] | None = None,
) -> list[Vacancy]:
    """Available dwellings and cohousing places that fit a household, best first.

    Best first = in the wished municipality, then the least wasted room for the household's
    size, then the lowest monthly cost. `occupied_places` ({dwelling_id: taken}) overrides the
    registered occupancy provider; with neither, every place of an available dwelling is free.
    `max_rent` compares with rent + service charges (one place's share for a cohousing).
    """
    dwellings = dwelling_list(programme=programme).filter(available=True)
    if needs_accessibility:
        dwellings = dwellings.filter(accessible=True)
    if municipality and only_municipality:
        dwellings = dwellings.filter(municipality=municipality)
    dwellings = list(dwellings)
    if occupied_places is None:
        occupied_places = places_occupied([d.pk for d in dwellings])
    result = []
    for dwelling in dwellings:
        capacity = dwelling_capacity(dwelling)
        free = capacity - int(occupied_places.get(dwelling.pk, 0))
        if free <= 0:
            continue
        cohousing = dwelling_cohousing(dwelling)
        cost = cohousing.rent_per_place if cohousing is not None else dwelling.monthly_cost
        if max_rent is not None and cost > max_rent:
            continue
        if household_size and household_size > _max_people(dwelling):
            continue
        result.append(
            Vacancy(
                dwelling=dwelling,
                capacity=capacity,
                free_places=free,
                monthly_cost=cost,
                in_municipality=not municipality or dwelling.municipality == municipality,
            )
        )

    def rank(v: Vacancy):
        spare = _max_people(v.dwelling) - (household_size or 0)
        return (not v.in_municipality, spare, v.monthly_cost.amount, v.dwelling.pk)

    return sorted(result, key=rank)
