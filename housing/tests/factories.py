"""Factories of the housing app. Rows are built directly here (test set-up); the behaviour
under test always goes through the services."""

from datetime import timedelta

import factory
from django.utils import timezone
from stdnum import luhn

from common.money import eur
from common.tests.factories import ProgrammeFactory
from housing.models import (
    CaretakerNote,
    Cohousing,
    Dwelling,
    Landlord,
    LandlordAgreement,
    LeaseType,
    SocialCondominium,
)

VALID_CODICE_FISCALE = "RSSMRA80A01H501U"
VALID_PARTITA_IVA = "00743110157"  # a real one: Pirelli & C. S.p.A.
VALID_IBAN = "IT60X0542811101000000123456"


def partita_iva(n: int) -> str:
    body = f"{1000000 + n:07d}001"
    return body + luhn.calc_check_digit(body)


class LandlordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Landlord
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Landlord.Kind.PERSON
    name = factory.Sequence(lambda n: f"Proprietario {n}")
    tax_code = factory.Sequence(partita_iva)
    iban = VALID_IBAN
    municipality = "Montichiari"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandlordAgreement

    landlord = factory.SubFactory(LandlordFactory)
    cover_months = 6
    cap_per_lease = factory.LazyFunction(lambda: eur("5000"))
    max_monthly_rent = factory.LazyFunction(lambda: eur("700"))
    lease_types = factory.LazyFunction(lambda: [LeaseType.CONCORDATO_3_2])
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=700))


class CondominiumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialCondominium

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Condominio solidale {n}")
    address = "Via Roma 1"
    municipality = "Montichiari"


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    programme = factory.SubFactory(ProgrammeFactory)
    landlord = factory.SubFactory(LandlordFactory, programme=factory.SelfAttribute("..programme"))
    address = factory.Sequence(lambda n: f"Via Garibaldi {n + 1}")
    municipality = "Montichiari"
    floor = 1
    rooms = 3
    size_m2 = 70
    rent = factory.LazyFunction(lambda: eur("500"))
    service_charges = factory.LazyFunction(lambda: eur("50"))


class CohousingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohousing

    dwelling = factory.SubFactory(
        DwellingFactory, rooms=5, rent=factory.LazyFunction(lambda: eur("900"))
    )
    name = factory.Sequence(lambda n: f"Coabitazione {n}")
    places = 3
    max_people_per_place = 2


class CaretakerNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaretakerNote

    condominium = factory.SubFactory(CondominiumFactory)
    kind = CaretakerNote.Kind.ALERT
    happened_on = factory.LazyFunction(timezone.localdate)
    text = "Perdita d'acqua"
    author = factory.SubFactory("common.tests.factories.UserFactory")
