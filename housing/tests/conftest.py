import pytest

from housing import selectors
from housing.tests.factories import (
    AgreementFactory,
    CohousingFactory,
    CondominiumFactory,
    DwellingFactory,
    LandlordFactory,
)


@pytest.fixture
def landlord(programme):
    return LandlordFactory(programme=programme)


@pytest.fixture
def agreement(landlord):
    return AgreementFactory(landlord=landlord)


@pytest.fixture
def caretaker(member):
    return member("caretaker", username="custode")


@pytest.fixture
def condominium(programme, caretaker):
    return CondominiumFactory(programme=programme, caretaker=caretaker)


@pytest.fixture
def dwelling(programme, landlord):
    return DwellingFactory(programme=programme, landlord=landlord)


@pytest.fixture
def cohousing(programme, landlord):
    return CohousingFactory(dwelling__programme=programme, dwelling__landlord=landlord)


@pytest.fixture
def occupants():
    """A stand-in for the placement code: `occupants[dwelling_id] = [Occupant(...)]`."""
    held = {}
    previous = selectors._occupants_provider  # tenancies registers the real one at start-up
    selectors.set_occupants_provider(lambda ids: {i: held[i] for i in ids if i in held})
    yield held
    selectors.set_occupants_provider(previous)
