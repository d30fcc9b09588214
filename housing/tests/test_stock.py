"""Dwellings, condominiums, cohousing and the caretaker's log."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import DomainError
from common.models import AuditEvent
from common.money import eur
from housing.models import CaretakerNote, Cohousing, Dwelling
from housing.services import (
    caretaker_alert_handle,
    caretaker_note_create,
    cohousing_create,
    condominium_create,
    dwelling_create,
    dwelling_update,
)
from housing.tests.factories import DwellingFactory, LandlordFactory

pytestmark = pytest.mark.django_db


def _dwelling_fields(landlord, **extra):
    return {
        "landlord": landlord,
        "address": "Via Roma 3",
        "municipality": "Montichiari",
        "rooms": 3,
        "size_m2": 75,
        "rent": eur("520"),
        "service_charges": eur("40"),
        **extra,
    }


def test_dwelling_create_and_update_are_audited_on_the_landlord_timeline(
    programme, landlord, operator
):
    dwelling = dwelling_create(actor=operator, programme=programme, **_dwelling_fields(landlord))
    dwelling_update(actor=operator, dwelling=dwelling, rent=eur("540"))
    dwelling.refresh_from_db()
    assert dwelling.rent == eur("540")
    verbs = list(
        AuditEvent.objects.filter(context_id=str(landlord.pk)).values_list("verb", flat=True)
    )
    assert sorted(verbs) == ["created", "updated"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"municipality": "Milano"}, "municipality"),
        ({"rooms": 0}, "rooms"),
        ({"rent": eur("-1")}, "rent"),
    ],
)
def test_bad_dwellings_are_refused(programme, landlord, operator, extra, field):
    with pytest.raises(DomainError) as caught:
        dwelling_create(actor=operator, programme=programme, **_dwelling_fields(landlord, **extra))
    assert caught.value.field == field
    assert not Dwelling.objects.exists()


def test_a_landlord_of_another_programme_is_refused(programme, other_programme, operator):
    stranger = LandlordFactory(programme=other_programme)
    with pytest.raises(DomainError) as caught:
        dwelling_create(actor=operator, programme=programme, **_dwelling_fields(stranger))
    assert caught.value.field == "landlord"


def test_condominium_needs_a_caretaker_of_the_programme(programme, operator, member, caretaker):
    with pytest.raises(DomainError) as caught:
        condominium_create(
            actor=operator,
            programme=programme,
            name="Corte",
            address="Via Roma 1",
            municipality="Montichiari",
            caretaker=member("monitor", username="m"),
        )
    assert caught.value.field == "caretaker"
    condominium = condominium_create(
        actor=operator,
        programme=programme,
        name="Corte",
        address="Via Roma 1",
        municipality="Montichiari",
        caretaker=caretaker,
    )
    assert condominium.caretaker == caretaker


def test_condominium_flat_is_in_its_municipality(programme, landlord, operator, condominium):
    with pytest.raises(DomainError):
        dwelling_create(
            actor=operator,
            programme=programme,
            **_dwelling_fields(landlord, condominium=condominium, municipality="Calcinato"),
        )
    flat = dwelling_create(
        actor=operator, programme=programme, **_dwelling_fields(landlord, condominium=condominium)
    )
    assert flat.condominium == condominium


def test_cohousing_create_and_refusals(dwelling, operator, condominium):
    with pytest.raises(DomainError) as caught:
        cohousing_create(actor=operator, dwelling=dwelling, name="Casa", places=1)
    assert caught.value.field == "places"
    cohousing = cohousing_create(actor=operator, dwelling=dwelling, name="Casa", places=3)
    assert cohousing.rent_per_place == eur("183.34")  # 550 / 3, the first share takes the cent
    with pytest.raises(DomainError):
        cohousing_create(actor=operator, dwelling=dwelling, name="Ancora", places=2)
    flat = DwellingFactory(programme=dwelling.programme, condominium=condominium)
    with pytest.raises(DomainError):
        cohousing_create(actor=operator, dwelling=flat, name="No", places=2)
    assert Cohousing.objects.count() == 1


def test_caretaker_note_and_alert_handling(condominium, caretaker, operator, programme):
    flat = DwellingFactory(programme=programme, condominium=condominium)
    alert = caretaker_note_create(
        actor=caretaker,
        condominium=condominium,
        dwelling=flat,
        resident_name="Sig.ra Bianchi",
        kind=CaretakerNote.Kind.ALERT,
        happened_on=timezone.localdate(),
        text="Non risponde al citofono da giorni.",
    )
    assert AuditEvent.objects.filter(verb="alert_raised", context_id=str(condominium.pk)).exists()
    caretaker_alert_handle(actor=operator, note=alert)
    alert.refresh_from_db()
    assert alert.handled_by == operator and alert.handled_at is not None


def test_caretaker_note_refusals(condominium, caretaker, programme):
    with pytest.raises(DomainError) as caught:
        caretaker_note_create(
            actor=caretaker,
            condominium=condominium,
            happened_on=timezone.localdate() + timedelta(days=1),
            text="domani",
        )
    assert caught.value.field == "happened_on"
    elsewhere = DwellingFactory(programme=programme)
    with pytest.raises(DomainError) as caught:
        caretaker_note_create(
            actor=caretaker,
            condominium=condominium,
            dwelling=elsewhere,
            happened_on=timezone.localdate(),
            text="x",
        )
    assert caught.value.field == "dwelling"
    with pytest.raises(DomainError):
        caretaker_note_create(
            actor=caretaker, condominium=condominium, happened_on=timezone.localdate(), text=""
        )
    assert not CaretakerNote.objects.exists()
