"""The housing invariants, as named checks over the whole database (see common.integrity)."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from common.integrity import Violation, integrity_check
from housing.models import Landlord, PayeeChange


@integrity_check(
    "landlord_iban_as_approved",
    _("A landlord's IBAN is the one a second person approved last: nobody changed it alone."),
)
def landlord_iban_as_approved():
    last_approved = PayeeChange.objects.filter(
        landlord_id=OuterRef("pk"), status=PayeeChange.Status.APPROVED
    ).order_by("-decided_at", "-pk")
    landlords = (
        Landlord.objects.annotate(approved_iban=Subquery(last_approved.values("iban")[:1]))
        .filter(approved_iban__isnull=False)
        .order_by("pk")
    )
    for landlord in landlords:
        if landlord.iban != landlord.approved_iban:
            yield Violation(
                landlord,
                _("The IBAN %(iban)s is not the one approved last (%(approved)s).")
                % {"iban": landlord.iban or "–", "approved": landlord.approved_iban},
            )
