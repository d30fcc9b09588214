"""Guarantees and claims in the header's search box, found by landlord or flat: the programme's
staff. A fund administrator searches these and the housing stock, never the households
(common.search)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.roles import STAFF_ROLES
from common.search import SearchKind, search_kind_register
from fund.models import Claim, Guarantee


def _guarantee_row(guarantee):
    lease = guarantee.lease
    return (
        f"{guarantee} · {guarantee.get_status_display()}",
        f"{lease.landlord.name} · {lease.dwelling}",
        reverse("fund:guarantee_detail", args=[guarantee.pk]),
    )


def _claim_row(claim):
    lease = claim.guarantee.lease
    return (
        f"{claim} · {claim.get_status_display()}",
        f"{lease.landlord.name} · {lease.dwelling}",
        reverse("fund:claim_detail", args=[claim.pk]),
    )


_FIELDS = ("landlord__name", "dwelling__address")
# What a row shows (the landlord, the dwelling's str()): a kind reads no other column.
_COLUMNS = (
    "lease__landlord__name",
    "lease__dwelling__address",
    "lease__dwelling__unit",
    "lease__dwelling__municipality",
)

search_kind_register(
    SearchKind(
        key="guarantees",
        label=_("Guarantees"),
        roles=STAFF_ROLES,
        queryset=lambda programme: (
            Guarantee.objects.in_programme(programme)
            .select_related("lease__landlord", "lease__dwelling")
            .only("status", *_COLUMNS)
            .order_by("-pk")
        ),
        fields=tuple(f"lease__{path}" for path in _FIELDS),
        row=_guarantee_row,
        order=80,
    )
)
search_kind_register(
    SearchKind(
        key="claims",
        label=_("Claims"),
        roles=STAFF_ROLES,
        queryset=lambda programme: (
            Claim.objects.in_programme(programme)
            .select_related("guarantee__lease__landlord", "guarantee__lease__dwelling")
            .only("status", *(f"guarantee__{path}" for path in _COLUMNS))
            .order_by("-pk")
        ),
        fields=tuple(f"guarantee__lease__{path}" for path in _FIELDS),
        row=_claim_row,
        order=90,
    )
)
