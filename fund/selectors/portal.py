"""The landlord's portal: only the landlord's own leases, guarantees and claims, and of the
household nothing but its name (no ISEE, notes, vulnerability, documents or tax code)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from djmoney.money import Money

from fund.models import Claim, ClaimDocument, ClaimMonth, Guarantee
from fund.selectors.guarantees import (
    certificate_current_exists,
    landlord_claims,
    landlord_claims_scoped,
    landlord_guarantees_scoped,
    with_paid_total,
)
from housing.models import LandlordAgreement
from tenancies.models import Lease
from tenancies.selectors.rent import dues_with_balance

EXPIRING_WITHIN_DAYS = 60
RECENT_PAYOUT_DAYS = 90


def landlord_leases(*, user, programme):
    """Leases of the landlords `user` acts for, in the programme."""
    return (
        Lease.objects.in_programme(programme)
        .filter(landlord__users=user)
        .select_related("household", "dwelling")
        .distinct()
    )


def landlord_lease_get(*, user, programme, pk: int) -> Lease:
    return landlord_leases(user=user, programme=programme).get(pk=pk)


def landlord_claim_get(*, user, programme, pk: int) -> Claim:
    return (
        landlord_claims(user=user, programme=programme)
        .select_related("guarantee__lease__dwelling", "guarantee__fund")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Attention:
    """What a landlord should look at now, for the portal's home."""

    awaiting_documents: list
    expiring: list
    recent_payouts: list

    @property
    def empty(self) -> bool:
        return not (self.awaiting_documents or self.expiring or self.recent_payouts)


def landlord_attention(*, user, programme, today: date | None = None) -> Attention:
    """Claims the fund asked documents for, active guarantees whose lease ends within 60
    days, and the payouts of the last 90 days (a few of each, newest first). Each list loads
    only the columns the portal's home shows (a landlord's page is the shell plus a few
    short queries: building wide rows cost more than reading them)."""
    today = today or timezone.localdate()
    claims = landlord_claims_scoped(user=user, programme=programme)
    expiring = (
        landlord_guarantees_scoped(user=user, programme=programme)
        .filter(
            status=Guarantee.Status.ACTIVE,
            lease__end_date__gte=today,
            lease__end_date__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS),
        )
        .select_related("lease__household")
        .only("lease__end_date", "lease__household__name")
        .order_by("lease__end_date", "pk")
    )
    return Attention(
        awaiting_documents=list(
            claims.filter(status=Claim.Status.DOCUMENTS_REQUESTED)
            .select_related("guarantee__lease__household")
            .only("documents_request", "guarantee__lease__household__name")
            .order_by("documents_requested_at", "pk")[:20]
        ),
        expiring=list(expiring[:20]),
        recent_payouts=list(
            claims.filter(
                status=Claim.Status.PAID,
                paid_on__gte=today - timedelta(days=RECENT_PAYOUT_DAYS),
            )
            .only("amount", "amount_currency", "paid_on")
            .order_by("-paid_on", "-pk")[:10]
        ),
    )


def landlord_home_guarantees(*, user, programme):
    """The portal home's table of guarantees, with the columns it shows: paginate these (the
    count needs nothing more), then `landlord_home_guarantee_figures` on the page."""
    return (
        landlord_guarantees_scoped(user=user, programme=programme)
        .select_related("lease__household", "lease__dwelling")
        .only(
            "status",
            "amount",
            "amount_currency",
            "lease__household__name",
            "lease__dwelling__address",
            "lease__dwelling__unit",
            "lease__dwelling__municipality",
        )
        .order_by("-created_at", "-id")
    )


def landlord_home_guarantee_figures(page_rows):
    """A page of `landlord_home_guarantees` (a sliced queryset) with the cover paid out
    (`paid_total`) and whether a certificate is current (`has_certificate`), in the same query:
    annotated after the count, which would only build these subqueries to drop them."""
    return with_paid_total(page_rows).annotate(has_certificate=certificate_current_exists())


def landlord_home_claims(*, user, programme, limit: int = 50):
    """The portal home's latest claims, with the columns it shows."""
    return landlord_claims(user=user, programme=programme).only(
        "submitted_at",
        "status",
        "rejection_reason",
        "amount",
        "amount_currency",
        "guarantee__lease__household__name",
    )[:limit]


def guarantee_fund_months(guarantee: Guarantee):
    """The rent months the fund paid on the guarantee, oldest first."""
    return (
        ClaimMonth.objects.filter(claim__guarantee=guarantee, claim__status=Claim.Status.PAID)
        .select_related("due", "claim")
        .order_by("due__month")
    )


def lease_dues_for_landlord(lease: Lease, *, limit: int = 24):
    """The lease's last months: amount due, paid and still owed, newest first."""
    dues = list(dues_with_balance(lease.dues.all()).order_by("-month")[:limit])
    cent = Decimal("0.01")
    for due in dues:
        due.paid_money = Money(Decimal(due.paid).quantize(cent), "EUR")
        due.owed_money = Money((due.amount.amount - Decimal(due.paid)).quantize(cent), "EUR")
    return dues


def lease_payments_for_landlord(lease: Lease, *, limit: int = 24):
    """The payments received on the lease (date, amount, who paid), newest first: no bank
    reference or note, which may say more about the household. The lease's key is loaded too:
    a related manager sets each payment's lease from it, which read one query per payment
    when it was deferred."""
    return lease.payments.only("lease", "paid_on", "amount", "amount_currency", "payer").order_by(
        "-paid_on", "-pk"
    )[:limit]


def claim_documents(claim: Claim):
    return ClaimDocument.objects.filter(claim=claim).select_related("uploaded_by")


def landlord_agreements(*, user):
    """The agreements of the landlords `user` acts for, in force first."""
    return (
        LandlordAgreement.objects.filter(landlord__users=user)
        .select_related("landlord")
        .distinct()
        .order_by("landlord__name", "-valid_from", "-pk")
    )


# The steps whose note is meant for the landlord: what the fund asks for, and why it refused.
NOTES_FOR_LANDLORD = ("request_documents", "reject")


def claim_history_for_landlord(claim: Claim) -> list[dict]:
    """Every change of the claim's state with its date, oldest first: filed, each transition,
    each document added. Who acted is not shown; the note only where it is addressed to the
    landlord (the documents asked for, the reason for a rejection)."""
    from django.contrib.contenttypes.models import ContentType

    from common.audit import verb_label
    from common.models import AuditEvent

    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Claim), target_id=str(claim.pk)
    ).order_by("pk")
    labels = dict(Claim.Status.choices)
    history = []
    for event in events:
        history.append(
            {
                "at": event.created_at,
                "label": verb_label(Claim, event.verb),
                "state": labels.get(event.to_state, ""),
                "note": event.note if event.verb in NOTES_FOR_LANDLORD else "",
            }
        )
    return history
