"""Reads about placements: a household's placements, free places, and what fits a household."""

from django.db.models import Count
from django.shortcuts import get_object_or_404

from housing.selectors import dwelling_places, vacancies_matching
from tenancies.models import Household, Placement


def placements_for(*, household: Household):
    return household.placements.select_related(
        "dwelling", "dwelling__cohousing", "dwelling__condominium"
    )


def placement_get(*, household: Household, pk) -> Placement:
    """One placement of the household (already scoped to the user); 404 otherwise."""
    return get_object_or_404(
        placements_for(household=household).select_related("proposed_by"), pk=pk
    )


def places_taken(dwelling_ids: list[int]) -> dict[int, int]:
    """{dwelling_id: active placements}, in one query: housing's occupancy provider."""
    rows = (
        Placement.objects.active()
        .filter(dwelling_id__in=dwelling_ids)
        .values("dwelling_id")
        .annotate(taken=Count("pk"))
    )
    return {row["dwelling_id"]: row["taken"] for row in rows}


def places_free(*, dwelling) -> list[int]:
    """The place numbers of `dwelling` nobody has accepted or lives in."""
    held = set(
        Placement.objects.filter(dwelling=dwelling)
        .holding_a_place()
        .values_list("place_number", flat=True)
    )
    return [n for n in dwelling_places(dwelling) if n not in held]


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

    A place accepted by another household is not free either, so the count passed to housing
    is of accepted and active placements.
    """
    rows = (
        Placement.objects.filter(programme=household.programme)
        .holding_a_place()
        .values("dwelling_id")
        .annotate(taken=Count("pk"))
    )
    return vacancies_matching(
        programme=household.programme,
        household_size=household_size,
        max_rent=max_rent,
        needs_accessibility=needs_accessibility,
        municipality=municipality,
        only_municipality=only_municipality,
        occupied_places={row["dwelling_id"]: row["taken"] for row in rows},
    )
