"""A dwelling's market rent: typed by an operator with its source and date, refused when it is
negative, absurd or not a number (in Italian), shown on the dwelling's page, and carried by the
dwelling spreadsheet both ways."""

from datetime import date

import pytest
import tablib
from django.db import IntegrityError, transaction
from django.urls import reverse

from common.money import eur
from housing.models import Dwelling
from housing.resources import DwellingResource
from housing.tests.factories import VALID_CODICE_FISCALE, DwellingFactory, LandlordFactory

pytestmark = pytest.mark.django_db

SOURCE = "OMI — Agenzia delle Entrate, 2° semestre 2025"


def _form(landlord, **fields):
    return {
        "landlord": landlord.pk,
        "address": "Via Mazzini 4",
        "municipality": "Montichiari",
        "floor": 2,
        "rooms": 3,
        "size_m2": 80,
        "rent": "575.50",
        "service_charges": "45",
        "available": "on",
        **fields,
    }


def test_an_operator_records_the_market_rent_and_the_page_shows_it(client_of, operator, landlord):
    client = client_of(operator)
    response = client.post(
        reverse("housing:dwelling_create"),
        _form(landlord, market_rent="720", market_rent_source=SOURCE,
              market_rent_on="2026-02-10"),
    )  # fmt: skip
    dwelling = Dwelling.objects.get()
    assert response.url == dwelling.get_absolute_url()
    assert dwelling.market_rent == eur("720")
    assert (dwelling.market_rent_source, dwelling.market_rent_on) == (SOURCE, date(2026, 2, 10))
    page = client.get(dwelling.get_absolute_url()).content.decode()
    assert "Canone di mercato mensile" in page
    assert "720,00" in page and SOURCE in page

    # Left blank on an existing flat: it stays without one, and says so.
    other = DwellingFactory(programme=dwelling.programme, landlord=landlord)
    assert other.market_rent is None
    assert "non rilevato" in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-1", "maggiore o uguale a 0"),
        ("20000.01", "minore o uguale a 20000"),
        ("99999999999999", "troppo grande"),
        ("NaN", "non è un numero"),
        ("Infinity", "non è un numero"),
        ("1e5", "non è un numero"),
    ],
)
def test_a_market_rent_out_of_bounds_is_refused_in_italian(
    client_of, operator, landlord, typed, message
):
    client = client_of(operator)
    page = client.post(
        reverse("housing:dwelling_create"),
        _form(landlord, market_rent=typed, market_rent_source=SOURCE, market_rent_on="2026-02-10"),
    ).content.decode()
    assert message in page
    assert not Dwelling.objects.exists()


def test_a_market_rent_needs_its_source_and_date_and_they_need_a_rent(
    client_of, operator, landlord
):
    client = client_of(operator)
    url = reverse("housing:dwelling_create")
    page = client.post(url, _form(landlord, market_rent="720")).content.decode()
    assert "Indicare da dove viene il canone di mercato." in page
    assert "Indicare la data della stima del canone di mercato." in page
    page = client.post(url, _form(landlord, market_rent_source=SOURCE)).content.decode()
    assert "Indicare il canone di mercato a cui si riferiscono fonte e data." in page
    page = client.post(
        url, _form(landlord, market_rent="720", market_rent_source=SOURCE,
                   market_rent_on="1900-01-01"),
    ).content.decode()  # fmt: skip
    assert "1900" not in str(Dwelling.objects.values_list("market_rent_on", flat=True))
    assert not Dwelling.objects.exists()


def test_the_database_refuses_a_market_rent_without_its_source(programme):
    dwelling = DwellingFactory(programme=programme)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dwelling.objects.filter(pk=dwelling.pk).update(market_rent=eur("700"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Dwelling.objects.filter(pk=dwelling.pk).update(
            market_rent=eur("-5"), market_rent_source=SOURCE, market_rent_on=date(2026, 1, 1)
        )


def test_the_spreadsheet_carries_the_market_rent_both_ways(programme, operator):
    owner = LandlordFactory(programme=programme, tax_code=VALID_CODICE_FISCALE)
    DwellingFactory(
        programme=programme, landlord=owner, market_rent=eur("812.40"),
        market_rent_source=SOURCE, market_rent_on=date(2026, 2, 10),
    )  # fmt: skip
    DwellingFactory(programme=programme, landlord=owner)
    dataset = DwellingResource(programme=programme).export()
    assert sorted(dataset["market_rent"]) == ["", "812.40"]
    Dwelling.objects.filter(programme=programme).delete()
    del dataset["id"]  # imported as new rows

    result = DwellingResource(programme=programme).import_data(dataset, user=operator)
    assert not result.has_errors()
    assert [row.error_dict for row in result.invalid_rows] == []
    rents = sorted(
        (str(d.market_rent.amount) if d.market_rent else "", d.market_rent_source)
        for d in Dwelling.objects.filter(programme=programme)
    )
    assert rents == [("", ""), ("812.40", SOURCE)]


def test_an_imported_market_rent_without_its_source_fails_the_whole_import(programme):
    owner = LandlordFactory(programme=programme, tax_code=VALID_CODICE_FISCALE)
    headers = ["landlord_tax_code", "address", "municipality", "rooms", "size_m2", "rent",
               "market_rent"]  # fmt: skip
    dataset = tablib.Dataset(headers=headers)
    dataset.append([owner.tax_code, "Via Roma 1", "Montichiari", 2, 50, "500", "650"])
    dataset.append([owner.tax_code, "Via Roma 2", "Montichiari", 2, 50, "500", ""])
    result = DwellingResource(programme=programme).import_data(dataset)
    assert result.has_validation_errors()
    assert not Dwelling.objects.exists()
