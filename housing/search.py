"""Landlords and dwellings in the header's search box, for the programme's staff (common.search)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.roles import STAFF_ROLES
from common.search import SearchKind, search_kind_register
from housing.models import Dwelling, Landlord


def _landlord_row(landlord):
    return (
        landlord.name,
        " · ".join(part for part in (landlord.tax_code, landlord.municipality) if part),
        reverse("housing:landlord_detail", args=[landlord.pk]),
    )


def _dwelling_row(dwelling):
    return (
        str(dwelling),
        dwelling.landlord.name,
        reverse("housing:dwelling_detail", args=[dwelling.pk]),
    )


search_kind_register(
    SearchKind(
        key="landlords",
        label=_("Landlords"),
        roles=STAFF_ROLES,
        queryset=lambda programme: (
            Landlord.objects.filter(programme=programme)
            .only("name", "tax_code", "municipality")
            .order_by("name", "pk")
        ),
        fields=("name", "contact_person", "tax_code"),
        fuzzy=("name",),
        row=_landlord_row,
        order=30,
    )
)
search_kind_register(
    SearchKind(
        key="dwellings",
        label=_("Dwellings"),
        roles=STAFF_ROLES,
        queryset=lambda programme: (
            Dwelling.objects.filter(programme=programme)
            .select_related("landlord")
            .only("address", "unit", "municipality", "landlord__name")
            .order_by("municipality", "address", "unit", "pk")
        ),
        fields=("address", "municipality", "landlord__name"),
        fuzzy=("address",),
        row=_dwelling_row,
        order=40,
    )
)
