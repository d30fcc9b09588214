"""Factories for households and their paths; they go through the services where order matters."""

from datetime import date, timedelta

import factory
from django.utils.timezone import localdate

from common.money import eur
from common.tests.factories import ProgrammeFactory
from tenancies.codicefiscale import codice_fiscale_build
from tenancies.models import Household, Member

_sequence = {"n": 0}


def make_codice_fiscale(first_name: str, last_name: str, birth_date: date, female=False) -> str:
    return codice_fiscale_build(
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        female=female,
        place_code="B157",
    )


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Rossi Mario {n}")
    municipality = "Montichiari"
    address = "Via Roma 1"
    isee = factory.LazyFunction(lambda: eur("9000"))
    isee_expires_on = factory.LazyFunction(lambda: localdate() + timedelta(days=200))
    vulnerability_factors = factory.LazyFunction(lambda: ["job_loss"])
    income_sources = factory.LazyFunction(lambda: ["employment"])
    referral_source = "social_services"
    consent_given_on = factory.LazyFunction(localdate)
    consent_version = "1.0"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Mario"
    last_name = factory.Sequence(lambda n: f"Rossi{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")
    birth_date = date(1985, 12, 10)
    relation = Member.Relation.REFERENCE
    codice_fiscale = factory.LazyAttribute(
        lambda m: make_codice_fiscale(m.first_name, m.last_name, m.birth_date)
    )


def referral_data(**overrides) -> dict:
    """Keyword arguments for `household_refer`, valid unless overridden."""
    reference = {
        "first_name": "Mario",
        "last_name": "Rossi",
        "birth_date": date(1985, 12, 10),
        "codice_fiscale": "RSSMRA85T10A562S",
        "employment": Member.Employment.UNEMPLOYED,
    }
    reference.update(overrides.pop("reference", {}))
    data = {
        "reference": reference,
        "municipality": "Montichiari",
        "address": "Via Roma 1",
        "isee": eur("9000"),
        "isee_expires_on": localdate() + timedelta(days=200),
        "vulnerability_factors": ["job_loss"],
        "income_sources": ["unemployment"],
        "referral_source": "social_services",
        "consent_given_on": localdate(),
        "consent_version": "1.0",
    }
    data.update(overrides)
    return data
