"""What the fund tells people: landlords' users about their claims and guarantees, the
programme's fund administrators when a claim arrives. Called by the fund's services inside
their transaction; the mail leaves after it commits (common.notifications).

E-mails name the claim, the guarantee and the flat, never the household: the landlord knows
the tenant, and a mailbox is not the place for a vulnerable family's name.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import Membership
from common.notifications.kinds import kind_register
from common.notifications.services import notify
from common.roles import Role

CLAIM_SUBMITTED = "claim_submitted"
CLAIM_REVIEWED = "claim_reviewed"
CLAIM_APPROVED = "claim_approved"
CLAIM_REJECTED = "claim_rejected"
CLAIM_PAID = "claim_paid"
DOCUMENTS_REQUESTED = "documents_requested"
GUARANTEE_APPROVED = "guarantee_approved"
GUARANTEE_ACTIVATED = "guarantee_activated"
GUARANTEE_RELEASED = "guarantee_released"

LANDLORD_CLAIM_KINDS = (
    CLAIM_REVIEWED,
    CLAIM_APPROVED,
    CLAIM_REJECTED,
    CLAIM_PAID,
    DOCUMENTS_REQUESTED,
)
LANDLORD_GUARANTEE_KINDS = (GUARANTEE_APPROVED, GUARANTEE_ACTIVATED, GUARANTEE_RELEASED)


def register() -> None:
    """The fund's kinds, registered in FundConfig.ready()."""
    kind_register(CLAIM_SUBMITTED, _("A claim arrives"), (Role.FUND_ADMIN,))
    kind_register(CLAIM_REVIEWED, _("Your claim is taken into review"), (Role.LANDLORD,))
    kind_register(CLAIM_APPROVED, _("Your claim is approved"), (Role.LANDLORD,))
    kind_register(CLAIM_REJECTED, _("Your claim is rejected"), (Role.LANDLORD,))
    kind_register(CLAIM_PAID, _("Your claim is paid"), (Role.LANDLORD,))
    kind_register(DOCUMENTS_REQUESTED, _("Documents requested on your claim"), (Role.LANDLORD,))
    kind_register(GUARANTEE_APPROVED, _("A guarantee is approved"), (Role.LANDLORD,))
    kind_register(GUARANTEE_ACTIVATED, _("A guarantee is in force"), (Role.LANDLORD,))
    kind_register(GUARANTEE_RELEASED, _("A guarantee is released"), (Role.LANDLORD,))


def _landlord_users(guarantee) -> list[int]:
    """The users of the lease's landlord who are still its landlord logins in the programme."""
    lease = guarantee.lease
    return list(
        lease.landlord.users.filter(
            memberships__programme_id=lease.programme_id, memberships__role=Role.LANDLORD
        ).values_list("pk", flat=True)
    )


def _fund_admins(programme_id) -> list[int]:
    return list(
        Membership.objects.filter(programme_id=programme_id, role=Role.FUND_ADMIN).values_list(
            "user_id", flat=True
        )
    )


def _facts(guarantee) -> dict:
    return {
        "guarantee_number": guarantee.pk,
        "dwelling": str(guarantee.lease.dwelling),
        "landlord": str(guarantee.lease.landlord),
        "guarantee_amount": guarantee.amount,
    }


def claim_notify_landlord(claim, kind: str, *, note: str = "", letter=None) -> None:
    """Tell the landlord's users about their claim: one of LANDLORD_CLAIM_KINDS, a change of
    state or a request for documents (`note`: what is asked, shown in the message); a decision
    names its letter, to download from the claim's page (the link)."""
    if kind not in LANDLORD_CLAIM_KINDS:
        raise ValueError(f"not a landlord claim notification: {kind}")
    guarantee = claim.guarantee
    notify(
        recipients=_landlord_users(guarantee),
        kind=kind,
        context={
            **_facts(guarantee),
            "claim_number": claim.pk,
            "amount": claim.amount,
            "reason": claim.rejection_reason,
            "note": note,
            "paid_on": claim.paid_on,
            "letter_reference": letter.reference if letter is not None else "",
        },
        programme=guarantee.fund.programme,
        link=reverse("fund:my_claim", args=[claim.pk]),
    )


def claim_notify_fund_admins(claim) -> None:
    """Tell the programme's fund administrators that a claim arrived in their queue."""
    guarantee = claim.guarantee
    programme = guarantee.fund.programme
    notify(
        recipients=[pk for pk in _fund_admins(programme.pk) if pk != claim.submitted_by_id],
        kind=CLAIM_SUBMITTED,
        context={**_facts(guarantee), "claim_number": claim.pk, "amount": claim.amount},
        programme=programme,
        link=reverse("fund:claim_detail", args=[claim.pk]),
    )


def guarantee_notify_landlord(guarantee, kind: str) -> None:
    """Tell the landlord's users that their guarantee was approved, came into force or was
    released."""
    if kind not in LANDLORD_GUARANTEE_KINDS:
        raise ValueError(f"not a landlord guarantee notification: {kind}")
    notify(
        recipients=_landlord_users(guarantee),
        kind=kind,
        context=_facts(guarantee),
        programme=guarantee.fund.programme,
        link=reverse("fund:my_guarantee", args=[guarantee.pk]),
    )
