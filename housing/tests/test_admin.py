"""The housing admin: landlords and dwellings are imported into a chosen programme through the
services, whole or not at all; nothing else is written from the admin."""

import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV

from common.models import AuditEvent
from common.money import eur
from common.tests.factories import UserFactory
from housing.models import Dwelling, Landlord
from housing.resources import DwellingResource
from housing.tests.factories import (
    VALID_CODICE_FISCALE,
    VALID_IBAN,
    VALID_PARTITA_IVA,
    DwellingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _csv_index(model):
    formats = admin.site._registry[model].get_import_formats()
    return str(next(i for i, f in enumerate(formats) if f is CSV))


def _import(client, model, csv_text, programme):
    """Upload `csv_text` through the admin's import page; confirm it when the dry run passed."""
    name = model._meta.model_name
    page = client.post(
        reverse(f"admin:housing_{name}_import"),
        {
            "resource": "0",
            "format": _csv_index(model),
            "programme": programme.pk if programme else "",
            "import_file": SimpleUploadedFile(f"{name}.csv", csv_text.encode()),
        },
    )
    confirm = page.context.get("confirm_form") if page.context else None
    if confirm is None:
        return page
    return client.post(
        reverse(f"admin:housing_{name}_process_import"),
        {key: confirm.initial[key] for key in confirm.fields if key in confirm.initial},
    )


LANDLORDS = (
    "name,kind,contact_person,tax_code,iban,municipality\n"
    f"Rossi Mario,person,,{VALID_CODICE_FISCALE.lower()},{VALID_IBAN},Montichiari\n"
    f"Casa Srl,agency,Anna Neri,{VALID_PARTITA_IVA},,Calcinato\n"
)


def test_landlords_are_imported_into_the_chosen_programme(client, root, programme):
    response = _import(client, Landlord, LANDLORDS, programme)

    assert response.status_code == 302
    landlords = Landlord.objects.order_by("name")
    assert [(x.name, x.programme) for x in landlords] == [
        ("Casa Srl", programme),
        ("Rossi Mario", programme),
    ]
    assert landlords[1].tax_code == VALID_CODICE_FISCALE
    events = AuditEvent.objects.filter(verb="created", programme=programme)
    assert events.count() == 2 and {e.actor for e in events} == {root}


def test_the_import_form_asks_for_the_programme(client, root):
    response = _import(client, Landlord, LANDLORDS, None)

    assert response.status_code == 200
    assert response.context["form"].errors["programme"]
    assert not Landlord.objects.exists()


def test_a_bad_file_lands_nothing_and_names_rows_and_fields(client, root, programme):
    bad = LANDLORDS + "Bianchi,person,,RSSMRA80A01H501X,,Montichiari\n"

    response = _import(client, Landlord, bad, programme)

    assert response.status_code == 200
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [3]
    assert "tax_code" in result.invalid_rows[0].field_specific_errors
    assert "confirm_form" not in response.context
    assert not Landlord.objects.exists()
    assert not AuditEvent.objects.filter(verb="created").exists()


def test_dwellings_round_trip_through_the_admin(client, root, programme, landlord):
    DwellingFactory(programme=programme, landlord=landlord, rent=eur("612.35"), rooms=3)
    DwellingFactory(programme=programme, landlord=landlord, service_charges=eur("0.10"))
    before = sorted((d.rent, d.service_charges, d.rooms, d.address) for d in Dwelling.objects.all())
    exported = DwellingResource(programme=programme).export()
    del exported["id"]
    Dwelling.objects.all().delete()

    response = _import(client, Dwelling, exported.csv, programme)

    assert response.status_code == 302
    dwellings = Dwelling.objects.filter(programme=programme)
    after = sorted((d.rent, d.service_charges, d.rooms, d.address) for d in dwellings)
    assert after == before and len(after) == 2
    assert AuditEvent.objects.filter(verb="created", actor=root).count() == 2


def test_a_dwelling_of_another_programmes_landlord_is_refused(
    client, root, programme, other_programme, landlord
):
    exported = DwellingResource(programme=programme)
    DwellingFactory(programme=programme, landlord=landlord)
    dataset = exported.export()
    del dataset["id"]
    Dwelling.objects.all().delete()

    response = _import(client, Dwelling, dataset.csv, other_programme)

    assert response.status_code == 200
    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert "Nessun proprietario di questo programma" in str(errors["landlord"])
    assert not Dwelling.objects.exists()


@pytest.mark.parametrize("rent", ["NaN", "Infinity", "1e400", "99999999999"])
def test_an_impossible_amount_is_a_row_error(client, root, programme, landlord, rent):
    csv_text = (
        "landlord_tax_code,address,municipality,rooms,size_m2,rent\n"
        f"{landlord.tax_code},Via Roma 1,Montichiari,2,50,{rent}\n"
    )

    response = _import(client, Dwelling, csv_text, programme)

    assert response.status_code == 200
    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert re.search("non è un importo in euro", str(errors["rent"]))
    assert not Dwelling.objects.exists()


def test_import_is_for_superusers_only(client, programme):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:housing_landlord_import")).status_code == 403
