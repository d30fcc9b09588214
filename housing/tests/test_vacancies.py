"""Places a household can be given, and the vacancy matching that ranks them."""

import pytest

from common.money import eur
from housing import selectors
from housing.selectors import dwelling_capacity, dwelling_places, vacancies_matching
from housing.tests.factories import CohousingFactory, CondominiumFactory, DwellingFactory

pytestmark = pytest.mark.django_db


def test_capacity_is_one_flat_or_the_cohousing_places(programme, cohousing):
    flat = DwellingFactory(programme=programme)
    condominium_flat = DwellingFactory(programme=programme, condominium=CondominiumFactory())
    assert dwelling_capacity(flat) == 1
    assert dwelling_capacity(condominium_flat) == 1
    assert dwelling_capacity(cohousing.dwelling) == 3
    assert list(dwelling_places(cohousing.dwelling)) == [1, 2, 3]


def test_best_first_municipality_then_size_then_cost(programme):
    far = DwellingFactory(programme=programme, municipality="Calcinato", rooms=2)
    big = DwellingFactory(programme=programme, rooms=5, rent=eur("400"))
    snug_dear = DwellingFactory(programme=programme, rooms=2, rent=eur("600"))
    snug_cheap = DwellingFactory(programme=programme, rooms=2, rent=eur("450"))
    DwellingFactory(programme=programme, rooms=1)  # too small for four people
    DwellingFactory(programme=programme, rooms=3, available=False)

    found = vacancies_matching(programme=programme, household_size=4, municipality="Montichiari")
    assert [v.dwelling for v in found] == [snug_cheap, snug_dear, big, far]
    assert not found[-1].in_municipality

    only_here = vacancies_matching(
        programme=programme, household_size=4, municipality="Montichiari", only_municipality=True
    )
    assert far not in [v.dwelling for v in only_here]


def test_budget_accessibility_and_cohousing_places(programme):
    accessible = DwellingFactory(programme=programme, accessible=True, rent=eur("500"))
    cheap_flat = DwellingFactory(programme=programme, rent=eur("300"))  # 350 with charges
    # 900 + 50 of charges over 3 places: 316.67 a place, within a 350 budget.
    cohousing = CohousingFactory(dwelling__programme=programme, dwelling__rent=eur("900"))

    cheap = vacancies_matching(programme=programme, household_size=1, max_rent=eur("350"))
    assert {v.dwelling for v in cheap} == {cohousing.dwelling, cheap_flat}
    place = next(v for v in cheap if v.cohousing is not None)
    assert place.monthly_cost == eur("316.67")
    assert place.free_places == 3 and place.kind == "cohousing"

    step_free = vacancies_matching(programme=programme, household_size=1, needs_accessibility=True)
    assert [v.dwelling for v in step_free] == [accessible]

    # A household of three is too big for one place of this cohousing (two people a place).
    assert cohousing.dwelling not in [
        v.dwelling for v in vacancies_matching(programme=programme, household_size=3)
    ]


def test_occupied_places_come_from_the_caller_or_the_registered_provider(programme, cohousing):
    flat = DwellingFactory(programme=programme)
    taken = {cohousing.dwelling_id: 2, flat.pk: 1}
    found = vacancies_matching(programme=programme, occupied_places=taken)
    assert [(v.dwelling, v.free_places) for v in found] == [(cohousing.dwelling, 1)]

    calls = []

    def provider(ids):
        calls.append(sorted(ids))
        return {cohousing.dwelling_id: 3}

    previous = selectors._occupancy_provider  # tenancies registers the real one at start-up
    selectors.set_occupancy_provider(provider)
    try:
        found = vacancies_matching(programme=programme)
        assert [v.dwelling for v in found] == [flat]
        assert calls == [sorted([flat.pk, cohousing.dwelling_id])]
        assert selectors.places_occupied([cohousing.dwelling_id]) == {cohousing.dwelling_id: 3}
    finally:
        selectors.set_occupancy_provider(previous)


def test_another_programmes_dwellings_never_match(programme, other_programme):
    DwellingFactory(programme=other_programme)
    assert vacancies_matching(programme=programme) == []
