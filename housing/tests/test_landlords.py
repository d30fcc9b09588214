"""Landlord services: valid tax codes and IBANs saved; invalid ones refused, nothing saved."""

import pytest

from common.exceptions import DomainError
from common.models import AuditEvent
from housing.models import Landlord
from housing.services import landlord_create, landlord_update
from housing.tests.factories import VALID_CODICE_FISCALE, VALID_IBAN, VALID_PARTITA_IVA

pytestmark = pytest.mark.django_db


def test_create_person_with_codice_fiscale_normalises_and_audits(programme, operator):
    landlord = landlord_create(
        actor=operator,
        programme=programme,
        name="Mario Rossi",
        tax_code=VALID_CODICE_FISCALE.lower(),
        iban="it60 x054 2811 1010 0000 0123 456",
    )
    assert landlord.tax_code == VALID_CODICE_FISCALE
    assert landlord.iban == VALID_IBAN
    event = AuditEvent.objects.get(target_id=str(landlord.pk), verb="created")
    assert event.actor == operator and event.programme == programme


def test_create_agency_with_partita_iva(programme, operator):
    landlord = landlord_create(
        actor=operator,
        programme=programme,
        kind=Landlord.Kind.AGENCY,
        name="Casa Più",
        contact_person="Lucia Bettoni",
        tax_code=VALID_PARTITA_IVA,
    )
    assert landlord.kind == Landlord.Kind.AGENCY


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"tax_code": "RSSMRA80A01H501X"}, "tax_code", "Codice fiscale"),
        ({"tax_code": "00743110158"}, "tax_code", "Partita IVA"),
        ({"tax_code": "12345"}, "tax_code", "16 caratteri"),
        ({"iban": "IT61X0542811101000000123456"}, "iban", "IBAN"),
        ({"kind": Landlord.Kind.AGENCY}, "contact_person", "referente"),
    ],
)
def test_invalid_input_is_refused_and_nothing_saved(programme, operator, fields, field, message):
    with pytest.raises(DomainError) as caught:
        landlord_create(actor=operator, programme=programme, name="X", **fields)
    assert caught.value.field == field
    assert message in caught.value.message
    assert not Landlord.objects.exists()
    assert not AuditEvent.objects.filter(verb="created", target_repr="X").exists()


def test_same_tax_code_twice_in_a_programme_is_refused(programme, operator):
    landlord_create(actor=operator, programme=programme, name="A", tax_code=VALID_PARTITA_IVA)
    with pytest.raises(DomainError):
        landlord_create(actor=operator, programme=programme, name="B", tax_code=VALID_PARTITA_IVA)
    assert Landlord.objects.count() == 1


def test_update_records_changes_and_refuses_a_bad_iban(landlord, operator):
    landlord_update(actor=operator, landlord=landlord, phone="030 123456")
    event = AuditEvent.objects.get(target_id=str(landlord.pk), verb="updated")
    assert event.data["changes"]["phone"] == ["", "030 123456"]

    with pytest.raises(DomainError):
        landlord_update(actor=operator, landlord=landlord, iban="IT00X0000000000000000000000")
    landlord.refresh_from_db()
    assert landlord.iban == VALID_IBAN


def test_update_without_changes_writes_no_event(landlord, operator):
    landlord_update(actor=operator, landlord=landlord, name=landlord.name)
    assert not AuditEvent.objects.filter(verb="updated").exists()
