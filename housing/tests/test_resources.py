"""Landlord and dwelling import-export: money survives the round trip; bad rows never land."""

from decimal import Decimal

import pytest
import tablib

from common.models import AuditEvent
from common.money import eur
from housing.models import Dwelling, Landlord
from housing.resources import DwellingResource, LandlordResource
from housing.tests.factories import (
    VALID_CODICE_FISCALE,
    VALID_IBAN,
    DwellingFactory,
    LandlordFactory,
)

pytestmark = pytest.mark.django_db


def test_dwelling_round_trip_keeps_the_amounts(programme, other_programme, operator):
    owner = LandlordFactory(programme=programme, tax_code=VALID_CODICE_FISCALE)
    DwellingFactory(programme=programme, landlord=owner, rent=eur("612.35"))
    DwellingFactory(programme=programme, landlord=owner, service_charges=eur("0.10"))
    DwellingFactory(programme=other_programme)  # never exported with the first programme

    dataset = DwellingResource(programme=programme).export()
    assert len(dataset) == 2
    assert dataset.dict[0]["rent"] == "612.35"
    assert dataset.dict[0]["landlord_tax_code"] == VALID_CODICE_FISCALE

    # The same spreadsheet imported into a fresh copy of the programme's landlords.
    Dwelling.objects.filter(programme=programme).delete()
    del dataset["id"]
    result = DwellingResource(programme=programme).import_data(dataset, user=operator)
    assert not result.has_errors() and not result.has_validation_errors()
    rents = sorted(d.rent.amount for d in Dwelling.objects.filter(programme=programme))
    assert rents == [Decimal("500.00"), Decimal("612.35")]
    assert Dwelling.objects.filter(service_charges=eur("0.10")).count() == 1
    assert AuditEvent.objects.filter(verb="created", actor=operator).count() == 2


def test_money_widget_reads_italian_amounts(programme):
    owner = LandlordFactory(programme=programme, tax_code=VALID_CODICE_FISCALE)
    headers = ["landlord_tax_code", "address", "municipality", "rooms", "size_m2", "rent"]
    dataset = tablib.Dataset(
        [owner.tax_code, "Via Roma 1", "Montichiari", 2, 50, "€ 1.234,50"], headers=headers
    )
    result = DwellingResource(programme=programme).import_data(dataset)
    assert not result.has_validation_errors()
    assert Dwelling.objects.get().rent == eur("1234.50")


def test_landlord_import_lands_whole_or_not_at_all(programme):
    dataset = tablib.Dataset(
        ["Rossi", VALID_CODICE_FISCALE.lower(), VALID_IBAN],
        ["Bianchi", "RSSMRA80A01H501X", VALID_IBAN],
        headers=["name", "tax_code", "iban"],
    )
    result = LandlordResource(programme=programme).import_data(dataset)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2 and "tax_code" in invalid.field_specific_errors
    assert not Landlord.objects.exists()

    del dataset[1]
    result = LandlordResource(programme=programme).import_data(dataset)
    assert not result.has_validation_errors()
    assert Landlord.objects.get().tax_code == VALID_CODICE_FISCALE


def test_landlord_export_is_scoped_to_the_programme(programme, other_programme):
    LandlordFactory(programme=programme, name="Nostro")
    LandlordFactory(programme=other_programme, name="Altrui")
    names = [row["name"] for row in LandlordResource(programme=programme).export().dict]
    assert names == ["Nostro"]
