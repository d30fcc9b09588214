"""Factories for leases. Set-up builds rows directly; behaviour goes through the services.

A lease follows an enrolled household's placement: `LeaseFactory` builds the placement (active,
in the lease's dwelling) and enrols the household unless told `enrolled=False`.
"""

from datetime import date

import factory

from common.money import eur
from housing.models import LandlordAgreement, LeaseType
from housing.tests.factories import AgreementFactory, DwellingFactory
from tenancies.models import Enrollment, Lease, Placement
from tenancies.tests.factories import HouseholdFactory


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    household = factory.SubFactory(HouseholdFactory)
    status = Enrollment.Status.ENROLLED
    referred_on = date(2025, 1, 1)
    enrolled_on = date(2025, 2, 1)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    household = factory.SubFactory(HouseholdFactory)
    programme = factory.SelfAttribute("household.programme")
    dwelling = factory.SubFactory(DwellingFactory, programme=factory.SelfAttribute("..programme"))
    place_number = 1
    kind = Placement.Kind.FLAT
    status = Placement.Status.ACTIVE
    proposed_on = date(2025, 12, 1)
    starts_on = date(2026, 1, 1)


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lease
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    programme = factory.SelfAttribute("household.programme")
    dwelling = factory.SubFactory(DwellingFactory, programme=factory.SelfAttribute("..programme"))
    placement = factory.SubFactory(
        PlacementFactory,
        household=factory.SelfAttribute("..household"),
        dwelling=factory.SelfAttribute("..dwelling"),
    )
    landlord = factory.SelfAttribute("dwelling.landlord")
    lease_type = LeaseType.CONCORDATO_3_2
    start_date = date(2026, 1, 1)
    end_date = date(2029, 1, 1)
    rent = factory.LazyFunction(lambda: eur("500"))
    service_charges = factory.LazyFunction(lambda: eur("50"))
    due_day = 5

    @factory.post_generation
    def enrolled(lease, create, extracted, **kwargs):
        """Enrol the household (`LeaseFactory(enrolled=False)` leaves it as it is)."""
        if not create or extracted is False:
            return
        if not lease.household.enrollments.filter(status=Enrollment.Status.ENROLLED).exists():
            EnrolmentFactory(household=lease.household)


def active_agreement_for(landlord, **terms):
    return AgreementFactory(landlord=landlord, status=LandlordAgreement.Status.ACTIVE, **terms)
