from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from common.exceptions import DomainError
from common.models import AuditEvent
from tenancies.codicefiscale import codice_fiscale_clean
from tenancies.forms import MemberForm
from tenancies.models import Enrollment, Household, Member
from tenancies.selectors.households import duplicates_find
from tenancies.services.households import member_add, member_update


def test_codice_fiscale_valid_is_cleaned_to_upper_case():
    assert codice_fiscale_clean("rssmra 85t10 a562s") == "RSSMRA85T10A562S"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("RSSMRA85T10A562X", "carattere di controllo"),
        ("RSSMRA85T10", "16 caratteri"),
        ("1SSMRA85T10A562S", "non è scritto bene"),
    ],
)
def test_codice_fiscale_errors_are_clear_italian_and_name_the_field(value, message):
    form = MemberForm(
        data={
            "last_name": "Rossi",
            "first_name": "Mario",
            "codice_fiscale": value,
            "birth_date": "1985-12-10",
            "relation": "child",
        }
    )
    with translation.override("it"):
        assert not form.is_valid()
        error = str(form.errors["codice_fiscale"][0])
    assert message in error
    assert "codice fiscale" in error


def test_referral_creates_household_reference_member_enrolment_and_event(refer, operator):
    household = refer()
    assert household.name == "Rossi Mario"
    assert household.members.get().relation == Member.Relation.REFERENCE
    assert household.enrollments.get().status == Enrollment.Status.REFERRED
    event = AuditEvent.objects.get(verb="referred")
    assert event.actor == operator
    assert event.context_id == str(household.pk)


def test_referral_with_a_code_that_does_not_match_the_birth_date_saves_nothing(refer):
    with pytest.raises(ValidationError) as error:
        refer(reference={"birth_date": date(1985, 12, 11)})
    assert "codice_fiscale" in error.value.message_dict
    assert not Household.objects.exists()


def test_operator_must_be_an_operator_of_the_programme(refer, member):
    landlord = member("landlord", username="landlord-x")
    with pytest.raises(DomainError) as error:
        refer(operator=landlord)
    assert error.value.field == "operator"
    assert not Household.objects.exists()


def test_a_second_reference_person_is_refused(refer, operator):
    household = refer()
    with pytest.raises(DomainError):
        member_add(
            actor=operator,
            household=household,
            first_name="Anna",
            last_name="Rossi",
            birth_date=date(1987, 1, 1),
            relation=Member.Relation.REFERENCE,
        )
    assert household.members.count() == 1


def test_renaming_the_reference_person_renames_the_household(refer, operator):
    household = refer()
    member_update(
        actor=operator, member=household.members.get(), last_name="Rossini", first_name="Mario"
    )
    household.refresh_from_db()
    assert household.name == "Rossini Mario"


def test_duplicates_by_codice_fiscale_and_by_similar_name_and_birth_date(refer, programme):
    household = refer()
    by_code = duplicates_find(
        programme=programme,
        codice_fiscale="rssmra85t10a562s",
        last_name="",
        first_name="",
        birth_date=None,
    )
    by_name = duplicates_find(
        programme=programme,
        codice_fiscale="",
        last_name="ROSSI",
        first_name="Mariolino",
        birth_date=date(1985, 12, 10),
    )
    other_day = duplicates_find(
        programme=programme,
        codice_fiscale="",
        last_name="Rossi",
        first_name="Mario",
        birth_date=date(1985, 12, 11),
    )
    assert [m.household for m in by_code] == [household]
    assert [m.household for m in by_name] == [household]
    assert other_day == []


def test_duplicates_are_looked_for_only_in_the_same_programme(refer, other_programme):
    refer()
    assert (
        duplicates_find(
            programme=other_programme,
            codice_fiscale="RSSMRA85T10A562S",
            last_name="",
            first_name="",
            birth_date=None,
        )
        == []
    )
