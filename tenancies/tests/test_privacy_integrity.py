"""The pseudonymisation check finds a pseudonymised household that still holds personal data,
and passes a clean one."""

from django.utils import timezone

from common.integrity import integrity_run
from tenancies.models import Household

CHECK = "pseudonymised_household_holds_no_personal_data"


def test_a_pseudonymised_household_with_a_phone_left_is_found(refer):
    household = refer(phone="030 123456")
    Household.objects.filter(pk=household.pk).update(pseudonymised_at=timezone.now(), address="")
    assert [v.obj for v in integrity_run([CHECK])] == [household]


def test_clean_households_pass(refer):
    household = refer(phone="030 123456")
    assert integrity_run([CHECK]) == []
    household.members.update(codice_fiscale="")
    Household.objects.filter(pk=household.pk).update(
        pseudonymised_at=timezone.now(), phone="", address="", email="", referral_note=""
    )
    assert integrity_run([CHECK]) == []
