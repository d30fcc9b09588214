"""Factories for leases. Set-up builds rows directly; behaviour goes through the services."""

from datetime import date

import factory

from common.money import eur
from housing.models import LandlordAgreement, LeaseType
from housing.tests.factories import AgreementFactory, DwellingFactory
from tenancies.models import Lease
from tenancies.tests.factories import HouseholdFactory


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lease

    household = factory.SubFactory(HouseholdFactory)
    programme = factory.SelfAttribute("household.programme")
    dwelling = factory.SubFactory(DwellingFactory, programme=factory.SelfAttribute("..programme"))
    landlord = factory.SelfAttribute("dwelling.landlord")
    lease_type = LeaseType.CONCORDATO_3_2
    start_date = date(2026, 1, 1)
    end_date = date(2029, 1, 1)
    rent = factory.LazyFunction(lambda: eur("500"))
    service_charges = factory.LazyFunction(lambda: eur("50"))
    due_day = 5


def active_agreement_for(landlord, **terms):
    return AgreementFactory(landlord=landlord, status=LandlordAgreement.Status.ACTIVE, **terms)
