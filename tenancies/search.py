"""What an operator finds in the header's search box: households (by name, address, or a
member's name or codice fiscale), people, leases, arrears and eviction cases. Operators only:
these are the households' personal data (common.search)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.roles import Role
from common.search import SearchKind, search_kind_register
from tenancies.models import ArrearsCase, EvictionCase, Household, Lease, Member

OPERATORS = frozenset({Role.OPERATOR})

# Each kind reads only the columns its row shows: a lease with its household and dwelling is
# some sixty columns, and at regional scale building the rows is a good part of the page.
_DWELLING_NAME = ("dwelling__address", "dwelling__unit", "dwelling__municipality")  # str()
_CASE_COLUMNS = ("status", "lease__household__name", "lease__dwelling__address")


def _household_row(household):
    return (
        household.name,
        ", ".join(part for part in (household.address, household.municipality) if part),
        reverse("tenancies:household_detail", args=[household.pk]),
    )


def _member_row(member):
    return (
        f"{member.first_name} {member.last_name}",
        " · ".join(part for part in (member.codice_fiscale, member.household.name) if part),
        reverse("tenancies:household_detail", args=[member.household_id]),
    )


def _lease_row(lease):
    return (
        f"{lease.household.name} · {lease.get_lease_type_display()}",
        f"{lease.dwelling} · {lease.get_status_display()}",
        reverse("tenancies:lease_detail", args=[lease.pk]),
    )


def _arrears_row(case):
    return (
        case.lease.household.name,
        f"{case.get_status_display()} · {case.lease.dwelling.address}",
        reverse("tenancies:arrears_case", args=[case.pk]),
    )


def _eviction_row(case):
    return (
        case.lease.household.name,
        f"{case.get_status_display()} · {case.lease.dwelling.address}",
        reverse("tenancies:eviction_case", args=[case.pk]),
    )


search_kind_register(
    SearchKind(
        key="households",
        label=_("Households"),
        roles=OPERATORS,
        queryset=lambda programme: (
            Household.objects.in_programme(programme)
            .only("name", "address", "municipality")
            .order_by("name", "pk")
        ),
        fields=(
            "name",
            "address",
            "members__first_name",
            "members__last_name",
            "members__codice_fiscale",
        ),
        fuzzy=("name", "members__last_name"),
        row=_household_row,
        order=10,
    )
)
search_kind_register(
    SearchKind(
        key="members",
        label=_("People"),
        roles=OPERATORS,
        queryset=lambda programme: (
            Member.objects.in_programme(programme)
            .select_related("household")
            .only("first_name", "last_name", "codice_fiscale", "household__name")
            .order_by("last_name", "first_name", "pk")
        ),
        fields=("first_name", "last_name", "codice_fiscale"),
        fuzzy=("last_name",),
        row=_member_row,
        order=20,
    )
)
_CASE_FIELDS = (
    "lease__household__name",
    "lease__dwelling__address",
    "lease__landlord__name",
)
search_kind_register(
    SearchKind(
        key="leases",
        label=_("Leases"),
        roles=OPERATORS,
        queryset=lambda programme: (
            Lease.objects.in_programme(programme)
            .select_related("household", "dwelling")
            .only("lease_type", "status", "household__name", *_DWELLING_NAME)
            .order_by("-start_date", "-pk")
        ),
        fields=(
            "household__name",
            "dwelling__address",
            "landlord__name",
            "registration_number",
        ),
        row=_lease_row,
        order=50,
    )
)
search_kind_register(
    SearchKind(
        key="arrears",
        label=_("Arrears cases"),
        roles=OPERATORS,
        queryset=lambda programme: (
            ArrearsCase.objects.in_programme(programme)
            .select_related("lease__household", "lease__dwelling")
            .only(*_CASE_COLUMNS)
            .order_by("-opened_on", "-pk")
        ),
        fields=_CASE_FIELDS,
        row=_arrears_row,
        order=60,
    )
)
search_kind_register(
    SearchKind(
        key="evictions",
        label=_("Eviction cases"),
        roles=OPERATORS,
        queryset=lambda programme: (
            EvictionCase.objects.in_programme(programme)
            .select_related("lease__household", "lease__dwelling")
            .only(*_CASE_COLUMNS)
            .order_by("-pk")
        ),
        fields=_CASE_FIELDS,
        row=_eviction_row,
        order=70,
    )
)
