"""What the REST API reads for a landlord's key: the same scoping as the landlord's pages
(fund.selectors.guarantees), with what each payload needs fetched in a constant number of
queries."""

from django.db.models import Prefetch

from fund.models import Claim, ClaimDocument, ClaimMonth, Guarantee
from fund.selectors.guarantees import landlord_claims, landlord_guarantees
from tenancies.models import Lease


def api_guarantees(*, user, programme):
    """The guarantees on the leases of the landlords `user` acts for, with lease and landlord."""
    return landlord_guarantees(user=user, programme=programme).select_related(
        "lease__landlord", "lease__dwelling", "lease__household"
    )


def api_guarantee_get(*, user, programme, pk: int) -> Guarantee:
    return api_guarantees(user=user, programme=programme).get(pk=pk)


def api_leases(*, user, programme):
    """The leases of the landlords `user` acts for in the programme, newest first."""
    return (
        Lease.objects.in_programme(programme)
        .filter(landlord__users=user)
        .select_related("landlord", "dwelling", "household")
        .distinct()
        .order_by("-start_date", "-id")
    )


def api_claims(*, user, programme):
    """The claims on guarantees of the landlords `user` acts for, with months and documents."""
    return (
        landlord_claims(user=user, programme=programme)
        .select_related("guarantee")
        .prefetch_related(
            Prefetch(
                "months",
                queryset=ClaimMonth.objects.select_related("due").order_by("due__month"),
                to_attr="api_months",
            ),
            Prefetch(
                "documents",
                queryset=ClaimDocument.objects.order_by("uploaded_at", "pk"),
                to_attr="api_documents",
            ),
        )
    )


def api_claim_get(*, user, programme, pk: int) -> Claim:
    return api_claims(user=user, programme=programme).get(pk=pk)
