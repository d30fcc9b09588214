"""Integrity check of pseudonymised households (see common.integrity, tenancies.privacy)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from tenancies.models import Household, HouseholdDocument, Member


@integrity_check(
    "pseudonymised_household_holds_no_personal_data",
    _("A pseudonymised household keeps no contact, codice fiscale or document."),
)
def pseudonymised_household_holds_no_personal_data():
    household = OuterRef("pk")
    leftovers = (
        Household.objects.filter(pseudonymised_at__isnull=False)
        .filter(
            ~Q(phone="")
            | ~Q(email="")
            | ~Q(address="")
            | ~Q(referral_note="")
            | Exists(HouseholdDocument.objects.filter(household=household))
            | Exists(Member.objects.filter(household=household).exclude(codice_fiscale=""))
        )
        .order_by("pk")
    )
    for leftover in leftovers:
        yield Violation(
            leftover,
            _("Household no. %(number)s was pseudonymised but still holds personal data.")
            % {"number": leftover.pk},
        )
