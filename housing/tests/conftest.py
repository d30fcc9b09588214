import pytest

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
