"""Reads about placements: a household's placements, free places, and what fits a household.

A unit (a whole flat, or one cohousing place) is taken when a placement holds it or a lease in
force holds it: the vacancy search, cohousing free places and the services all count both.
"""

from datetime import date

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate

from housing.selectors import dwelling_places, vacancies_matching
from tenancies.models import Enrollment, Household, Lease, Member, Placement

# A lease recorded before leases followed placements has no place: it holds the whole dwelling.
WHOLE_DWELLING = None


def placements_for(*, household: Household):
    return household.placements.select_related(
        "dwelling", "dwelling__cohousing", "dwelling__condominium"
    )


def placement_get(*, household: Household, pk) -> Placement:
    """One placement of the household (already scoped to the user); 404 otherwise."""
    return get_object_or_404(
        placements_for(household=household).select_related("proposed_by"), pk=pk
    )


def leases_holding_unit(*, dwelling_id: int, place_number: int | None, start: date, end: date):
    """Leases in force that hold the unit on some day from `start` to `end`.

    `place_number` None means the whole dwelling (every place in it); a lease with no
    placement holds the whole dwelling too.
    """
    leases = Lease.objects.in_force().filter(
        dwelling_id=dwelling_id, start_date__lte=end, last_day__gte=start
    )
    if place_number is not None:
        leases = leases.filter(Q(placement__place_number=place_number) | Q(placement__isnull=True))
    return leases


def _let_units(*, on: date, **filters):
    """(dwelling_id, place_number) of the units a lease in force holds on `on` or later (a
    lease signed for next month already takes its flat off the market)."""
    return (
        Lease.objects.in_force()
        .filter(last_day__gte=on, **filters)
        .order_by()
        .values_list("dwelling_id", "placement__place_number")
    )


def _units_taken(placements, leases) -> dict[int, int]:
    """{dwelling_id: distinct places} over placements and leases, in one query. A unit held
    by both its placement and its lease counts once; a lease without placement counts one."""
    rows = placements.order_by().values_list("dwelling_id", "place_number").union(leases)
    taken: dict[int, set] = {}
    for dwelling_id, place in rows:
        taken.setdefault(dwelling_id, set()).add(place)
    return {dwelling_id: len(places) for dwelling_id, places in taken.items()}


def places_taken(dwelling_ids: list[int]) -> dict[int, int]:
    """{dwelling_id: places taken}, in one query: housing's occupancy provider. A place is
    taken by an active placement or by a lease in force."""
    return _units_taken(
        Placement.objects.active().filter(dwelling_id__in=dwelling_ids),
        _let_units(on=localdate(), dwelling_id__in=dwelling_ids),
    )


def places_free(*, dwelling, on: date | None = None) -> list[int]:
    """The place numbers of `dwelling` nobody has accepted, lives in or holds by a lease."""
    held = set(
        Placement.objects.filter(dwelling=dwelling)
        .holding_a_place()
        .values_list("place_number", flat=True)
    )
    let = {place for _d, place in _let_units(on=on or localdate(), dwelling_id=dwelling.pk)}
    if WHOLE_DWELLING in let:
        return []
    return [n for n in dwelling_places(dwelling) if n not in held | let]


def household_needs(*, household: Household, members=None) -> dict:
    """What the vacancy search starts from: size, accessibility and municipality."""
    members = list(household.members.all()) if members is None else members
    return {
        "household_size": max(len(members), 1),
        "needs_accessibility": any(m.has_disability for m in members),
        "municipality": household.municipality,
    }


def placement_matches(
    *,
    household: Household,
    household_size: int,
    max_rent=None,
    needs_accessibility: bool = False,
    municipality: str = "",
    only_municipality: bool = False,
):
    """Dwellings and places of the household's programme that fit it, best first.

    A place accepted by another household is not free either, nor one a lease in force holds,
    so the count passed to housing is of accepted and active placements and let units.
    """
    occupied = _units_taken(
        Placement.objects.filter(programme=household.programme).holding_a_place(),
        _let_units(on=localdate(), programme=household.programme),
    )
    return vacancies_matching(
        programme=household.programme,
        household_size=household_size,
        max_rent=max_rent,
        needs_accessibility=needs_accessibility,
        municipality=municipality,
        only_municipality=only_municipality,
        occupied_places=occupied,
    )


def lease_placement_choices(*, programme):
    """The placements a new lease may follow: accepted or active, of an enrolled household,
    with the reference person (for the codice fiscale that tells namesakes apart)."""
    return (
        Placement.objects.in_programme(programme)
        .holding_a_place()
        .filter(household__enrollments__status=Enrollment.Status.ENROLLED)
        .select_related("household", "dwelling", "dwelling__cohousing")
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=Member.objects.filter(relation=Member.Relation.REFERENCE),
            )
        )
        .order_by("household__name", "pk")
    )
