"""What the API says about a landlord's guarantees, leases and claims. The household appears by
name only (no tax code, ISEE, notes, vulnerability or documents), as on the landlord's pages."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fund.models import Claim, ClaimDocument, Guarantee
from fund.selectors.guarantees import guarantee_remaining_cover
from tenancies.models import Lease


def euros(source: str, **kwargs) -> serializers.DecimalField:
    """An amount in euros, as a decimal string with two places ("550.00")."""
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, source=f"{source}.amount", read_only=True, **kwargs
    )


class LandlordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class DwellingSerializer(serializers.Serializer):
    address = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    municipality = serializers.CharField(read_only=True)


class LeaseSerializer(serializers.ModelSerializer):
    """A lease: the flat, the rent, the dates and the tenant's name, nothing more of them."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lease_type_label = serializers.CharField(source="get_lease_type_display", read_only=True)
    dwelling = DwellingSerializer(read_only=True)
    landlord = LandlordSerializer(read_only=True)
    tenant_name = serializers.CharField(source="household.name", read_only=True)
    rent = euros("rent", help_text=_("Monthly rent in euros."))
    service_charges = euros("service_charges", help_text=_("Monthly service charges in euros."))

    class Meta:
        model = Lease
        fields = [
            "id",
            "status",
            "status_label",
            "lease_type",
            "lease_type_label",
            "dwelling",
            "landlord",
            "tenant_name",
            "rent",
            "service_charges",
            "start_date",
            "end_date",
            "ended_on",
        ]
        read_only_fields = fields


class LeaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    dwelling = DwellingSerializer(read_only=True)
    tenant_name = serializers.CharField(source="household.name", read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)


class GuaranteeSerializer(serializers.ModelSerializer):
    """A guarantee: status, amount, cover left and validity, on which lease, for which landlord."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    amount = euros("amount")
    remaining_cover = serializers.SerializerMethodField(
        help_text=_("The amount less the claims paid, in euros.")
    )
    valid_from = serializers.SerializerMethodField(
        help_text=_("The later of the lease's start and the approval; empty until approved.")
    )
    valid_until = serializers.DateField(source="lease.end_date", read_only=True)
    lease = LeaseSummarySerializer(read_only=True)
    landlord = LandlordSerializer(source="lease.landlord", read_only=True)

    class Meta:
        model = Guarantee
        fields = [
            "id",
            "status",
            "status_label",
            "amount",
            "cover_months",
            "remaining_cover",
            "valid_from",
            "valid_until",
            "approved_at",
            "lease",
            "landlord",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_remaining_cover(self, guarantee) -> str:
        return f"{guarantee_remaining_cover(guarantee).amount:.2f}"

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_valid_from(self, guarantee):
        if guarantee.approved_at is None:
            return None
        return max(guarantee.lease.start_date, timezone.localdate(guarantee.approved_at))


class ClaimMonthSerializer(serializers.Serializer):
    due_id = serializers.IntegerField(read_only=True)
    month = serializers.DateField(source="due.month", read_only=True)
    amount = euros("amount")


class ClaimDocumentSerializer(serializers.ModelSerializer):
    """A paper filed with the claim: its type and when, not the file."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ClaimDocument
        fields = ["id", "kind", "kind_label", "uploaded_at"]
        read_only_fields = fields


class PayoutSerializer(serializers.Serializer):
    paid_on = serializers.DateField(read_only=True)
    amount = euros("amount")
    reference = serializers.CharField(source="payout_reference", read_only=True)


class ClaimSerializer(serializers.ModelSerializer):
    """A claim: months, amounts, documents, status and dates, the payout once paid."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    guarantee = serializers.IntegerField(source="guarantee_id", read_only=True)
    amount = euros("amount")
    months = ClaimMonthSerializer(source="api_months", many=True, read_only=True)
    documents = ClaimDocumentSerializer(source="api_documents", many=True, read_only=True)
    payout = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "guarantee",
            "status",
            "status_label",
            "amount",
            "months",
            "documents",
            "note",
            "submitted_at",
            "rejection_reason",
            "payout",
        ]
        read_only_fields = fields

    @extend_schema_field(PayoutSerializer(allow_null=True))
    def get_payout(self, claim):
        if claim.status != Claim.Status.PAID:
            return None
        return PayoutSerializer(claim).data


class ClaimCreateSerializer(serializers.Serializer):
    """Filing a claim: the guarantee, the months (ids from claimable-months) and the documents,
    each with its type at the same position in `document_kinds`."""

    guarantee = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    dues = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=120,
        help_text=_("The ids of the unpaid months claimed (see claimable-months)."),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    documents = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=10, default=list
    )
    document_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ClaimDocument.Kind.choices),
        required=False,
        max_length=10,
        default=list,
    )

    def validate(self, attrs):
        if len(attrs["documents"]) != len(attrs["document_kinds"]):
            raise serializers.ValidationError(
                {"document_kinds": [_("Give one type for each document, in the same order.")]}
            )
        return attrs


class ClaimableMonthSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    month = serializers.DateField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    outstanding = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)


class VerificationSerializer(serializers.Serializer):
    """The public answer about a certificate code, as on /verifica/<code>/: nothing personal.
    An unknown or malformed code gets the same shape with `found` false."""

    found = serializers.BooleanField()
    state = serializers.ChoiceField(choices=["in_force", "not_in_force", "void", "unknown"])
    in_force = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    code = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField()
    fund = serializers.CharField(allow_blank=True)
    municipality = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    voided_on = serializers.DateField(allow_null=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# A 400: field name → messages (`non_field_errors` when no one field is at fault; a list's
# item errors keyed by position), or `detail` when the body could not be read.
VALIDATION_ERROR_SCHEMA = {"type": "object", "additionalProperties": {}}
