"""The pages through the test client: forms call the services, refusals come back in Italian."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from housing.models import CaretakerNote, Dwelling, Landlord, LandlordAgreement
from housing.tests.factories import VALID_CODICE_FISCALE, DwellingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_register_landlord_refuses_a_bad_codice_fiscale(client_of, operator):
    client = client_of(operator)
    url = reverse("housing:landlord_create")
    data = {"kind": "person", "name": "Mario Rossi", "tax_code": "RSSMRA80A01H501X"}
    page = client.post(url, data).content.decode()
    assert "Codice fiscale “RSSMRA80A01H501X” non valido" in page
    assert not Landlord.objects.exists()

    response = client.post(url, {**data, "tax_code": VALID_CODICE_FISCALE.lower()})
    landlord = Landlord.objects.get()
    assert response.url == landlord.get_absolute_url()
    assert landlord.tax_code == VALID_CODICE_FISCALE


def test_agreement_from_draft_to_active_to_suspended_through_the_pages(
    client_of, operator, landlord
):
    client = client_of(operator)
    today = timezone.localdate()
    response = client.post(
        reverse("housing:agreement_create", args=[landlord.pk]),
        {
            "cover_months": 6,
            "cap_per_lease": "5000",
            "max_monthly_rent": "700",
            "lease_types": ["concordato_3_2", "transitorio"],
            "signed_on": today.isoformat(),
            "valid_from": today.isoformat(),
            "valid_until": (today + timedelta(days=365)).isoformat(),
        },
    )
    agreement = LandlordAgreement.objects.get()
    assert response.url == agreement.get_absolute_url()
    assert agreement.lease_types == ["concordato_3_2", "transitorio"]

    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "Attiva" in detail and "Sospendi" not in detail
    activate = reverse("common:step", args=["agreement", agreement.pk, "activate"])
    assert "Conferma" in client.get(activate).content.decode()
    client.post(activate, {"note": ""})
    agreement.refresh_from_db()
    assert agreement.status == "active"

    suspend = reverse("common:step", args=["agreement", agreement.pk, "suspend"])
    page = client.post(suspend, {"note": ""}).content.decode()
    assert "Questo campo è obbligatorio" in page
    client.post(suspend, {"note": "verifica dei requisiti"})
    agreement.refresh_from_db()
    assert agreement.status == "suspended"

    # An action not open now is refused with a message, not a 500.
    response = client.post(
        reverse("common:step", args=["agreement", agreement.pk, "activate"]), follow=True
    )
    assert "ora non è possibile" in response.content.decode()
    assert (
        client.get(reverse("common:step", args=["agreement", agreement.pk, "nonsense"])).status_code
        == 404
    )


def test_signed_document_is_served_only_to_the_programme_staff(
    client_of, operator, agreement, member
):
    client = client_of(operator)
    upload = reverse("housing:agreement_document_upload", args=[agreement.pk])
    page = client.post(
        upload, {"document": SimpleUploadedFile("firmata.txt", b"testo")}
    ).content.decode()
    assert "PDF" in page
    client.post(upload, {"document": SimpleUploadedFile("firmata.pdf", b"%PDF-1.4 firmata")})
    agreement.refresh_from_db()
    assert agreement.document.name.startswith("housing/agreements/")

    download = reverse("housing:agreement_document", args=[agreement.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 firmata"

    landlord_user = member("landlord", username="proprietario")
    agreement.landlord.users.add(landlord_user)
    assert client_of(landlord_user).get(download).status_code == 403


def test_add_a_dwelling_with_its_rent(client_of, operator, landlord):
    client = client_of(operator)
    response = client.post(
        reverse("housing:dwelling_create"),
        {
            "landlord": landlord.pk,
            "address": "Via Mazzini 4",
            "municipality": "Montichiari",
            "floor": 2,
            "rooms": 3,
            "size_m2": 80,
            "rent": "575.50",
            "service_charges": "45",
            "available": "on",
        },
    )
    dwelling = Dwelling.objects.get()
    assert response.url == dwelling.get_absolute_url()
    assert str(dwelling.rent.amount) == "575.50"
    timeline = client.get(landlord.get_absolute_url()).content.decode()
    assert "Via Mazzini 4" in timeline


def test_caretaker_raises_an_alert_that_operators_take_in_charge(
    client_of, caretaker, operator, condominium, programme
):
    flat = DwellingFactory(programme=programme, condominium=condominium, unit="int. 3")
    client = client_of(caretaker)
    response = client.post(
        reverse("housing:caretaker_note_create", args=[condominium.pk]),
        {
            "kind": "alert",
            "happened_on": timezone.localdate().isoformat(),
            "dwelling": flat.pk,
            "resident_name": "Sig. Verdi",
            "text": "Caldaia guasta, famiglia con un neonato.",
        },
    )
    assert response.url == reverse("housing:caretaker_condominium", args=[condominium.pk])
    alert = CaretakerNote.objects.get()

    client = client_of(operator)
    assert "Caldaia guasta" in client.get(reverse("housing:alert_list")).content.decode()
    client.post(reverse("housing:alert_handle", args=[alert.pk]))
    alert.refresh_from_db()
    assert alert.handled_by == operator
    assert "Caldaia guasta" not in client.get(reverse("housing:alert_list")).content.decode()


def test_vacancy_page_lists_what_fits(client_of, operator, programme):
    DwellingFactory(programme=programme, address="Via Adatta 1", rooms=2)
    DwellingFactory(programme=programme, address="Via Piccola 1", rooms=1)
    page = (
        client_of(operator)
        .get(reverse("housing:vacancy_search"), {"household_size": 4})
        .content.decode()
    )
    assert "Via Adatta 1" in page and "Via Piccola 1" not in page
