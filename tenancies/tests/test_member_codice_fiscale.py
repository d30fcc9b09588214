"""One person, one household: a codice fiscale already recorded for a member is refused for any
other member, in every programme, by the services, the pages and the database."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from common.exceptions import DomainError
from common.integrity import integrity_run
from tenancies.models import Household, Member
from tenancies.services.households import member_add, member_update
from tenancies.tests.factories import make_codice_fiscale

pytestmark = pytest.mark.django_db

CODE = "RSSMRA85T10A562S"  # the reference person of `refer()`
BORN = date(1985, 12, 10)  # CODE's birth date
# Another person, with CODE's birth date so that only the code can be at fault.
CHILD = {
    "first_name": "Luca",
    "last_name": "Bianchi",
    "birth_date": BORN,
    "relation": Member.Relation.CHILD,
}


def other_code():
    return make_codice_fiscale("Luca", "Bianchi", BORN)


def bianchi(refer):
    return refer(reference={"first_name": "Anna", "last_name": "Bianchi", "codice_fiscale": ""})


def test_referring_a_person_already_in_a_household_is_refused_and_names_it(refer, programme):
    first = refer()

    with pytest.raises(DomainError) as error:
        refer(reference={"first_name": "Mario", "last_name": "Rossi"})

    assert error.value.field == "codice_fiscale"
    assert CODE in error.value.message and first.name in error.value.message
    assert Household.objects.count() == 1


def test_the_other_programmes_household_is_not_named(refer, member, other_programme):
    hidden = refer()
    stranger = member("operator", programme=other_programme, username="altro")

    with pytest.raises(DomainError) as error:
        refer(actor=stranger, programme=other_programme)

    assert CODE in error.value.message
    assert hidden.name not in error.value.message
    assert "non puoi vedere" in error.value.message
    assert not Household.objects.filter(programme=other_programme).exists()


@pytest.mark.parametrize("typed", [CODE, CODE.lower()])
def test_adding_a_member_with_another_households_code_is_refused(refer, operator, typed):
    refer()
    household = bianchi(refer)

    with pytest.raises(DomainError) as error:
        member_add(actor=operator, household=household, codice_fiscale=typed, **CHILD)

    assert "Rossi Mario" in error.value.message
    assert not household.members.filter(relation=Member.Relation.CHILD).exists()


def test_the_same_person_twice_in_one_household_is_refused(refer, operator):
    household = refer()

    with pytest.raises(DomainError):
        member_add(actor=operator, household=household, codice_fiscale=CODE, **CHILD)


def test_changing_a_members_code_to_another_households_is_refused(refer, operator):
    refer()
    household = bianchi(refer)
    anna = household.members.get()

    with pytest.raises(DomainError):
        member_update(actor=operator, member=anna, codice_fiscale=CODE)
    anna.refresh_from_db()
    assert anna.codice_fiscale == ""


def test_a_member_keeps_their_own_code_when_edited(refer, operator):
    household = refer()
    mario = household.members.get()

    member_update(actor=operator, member=mario, employment=Member.Employment.EMPLOYED)
    member_add(actor=operator, household=household, codice_fiscale=other_code(), **CHILD)

    mario.refresh_from_db()
    assert mario.codice_fiscale == CODE
    assert mario.employment == Member.Employment.EMPLOYED


def test_the_database_refuses_a_shared_code(refer):
    household = refer()

    with pytest.raises(IntegrityError):
        Member.objects.bulk_create([Member(household=household, codice_fiscale=CODE, **CHILD)])


def test_the_member_page_shows_the_refusal_by_the_field(client_of, operator, refer):
    refer()
    household = bianchi(refer)

    response = client_of(operator).post(
        reverse("tenancies:member_add", args=[household.pk]),
        {
            "last_name": "Bianchi",
            "first_name": "Luca",
            "codice_fiscale": CODE,
            "birth_date": "1985-12-10",
            "relation": Member.Relation.CHILD,
            "employment": "",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["codice_fiscale"]
    assert "Rossi Mario" in errors[0]
    assert household.members.count() == 1


def test_the_referral_page_refuses_the_same_code_even_when_confirmed(client_of, operator, refer):
    from tenancies.tests.test_views import referral_post

    refer()
    response = client_of(operator).post(
        reverse("tenancies:household_refer"),
        referral_post(
            operator,
            ref_last_name="Rossi",
            ref_first_name="Mario",
            ref_codice_fiscale=CODE,
            ref_birth_date="1985-12-10",
            confirm_not_duplicate="on",
        ),
    )

    assert response.status_code == 200
    assert "Rossi Mario" in response.context["form"].errors["ref_codice_fiscale"][0]
    assert Household.objects.count() == 1


def test_integrity_check_finds_a_shared_code_the_constraint_missed(refer):
    household = refer()
    other = bianchi(refer)
    assert integrity_run(["member_codice_fiscale_unique"]) == []

    # Seeded past the services and the (exact-text) constraint: the same code in lower case.
    anna = other.members.get()
    Member.objects.filter(pk=anna.pk).update(codice_fiscale=CODE.lower())

    found = integrity_run(["member_codice_fiscale_unique"])
    assert [v.obj for v in found] == [anna]
    assert household.name in str(found[0].message)
