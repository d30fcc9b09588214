"""The API's operations: thin views over the landlord's selectors and claim_submit."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    OpenApiTypes,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from common.exceptions import DomainError
from common.security import rate_limited
from fund.api import serializers as s
from fund.api.permissions import request_programme
from fund.models import Guarantee
from fund.selectors import api as selectors
from fund.selectors.certificates import certificate_verify
from fund.selectors.guarantees import claimable_dues
from fund.services.claims import claim_submit

ERRORS = {
    401: OpenApiResponse(s.ErrorSerializer, description="No key, or a wrong or revoked key."),
    403: OpenApiResponse(s.ErrorSerializer, description="The key's user is not a landlord."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests: retry later."),
}
NOT_FOUND = {404: OpenApiResponse(s.ErrorSerializer, description="Not one of yours.")}
INVALID = {400: OpenApiResponse(s.VALIDATION_ERROR_SCHEMA, description="Refused: why, by field.")}


def api_exception_handler(exc, context):
    """DRF's handler, plus the domain's refusals as 400s naming their field, in the user's
    language (Italian unless the client asks otherwise)."""
    if isinstance(exc, DomainError):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [str(exc.message)]})
    return exception_handler(exc, context)


class LandlordScopedMixin:
    """Objects come from the landlord's selectors: another landlord's object is a 404."""

    lookup_value_regex = "[0-9]{1,18}"

    @property
    def programme(self):
        return request_programme(self.request)


@extend_schema_view(
    list=extend_schema(summary="Your guarantees", responses={200: s.GuaranteeSerializer, **ERRORS}),
    retrieve=extend_schema(
        summary="One of your guarantees",
        responses={200: s.GuaranteeSerializer, **ERRORS, **NOT_FOUND},
    ),
)
class GuaranteeViewSet(LandlordScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.GuaranteeSerializer

    def get_queryset(self):
        return selectors.api_guarantees(user=self.request.user, programme=self.programme)

    @extend_schema(
        summary="The months of the guarantee's lease you may claim today",
        responses={200: s.ClaimableMonthSerializer(many=True), **ERRORS, **NOT_FOUND},
    )
    @action(detail=True, url_path="claimable-months", pagination_class=None)
    def claimable_months(self, request, pk=None):
        guarantee = self.get_object()
        if guarantee.status != Guarantee.Status.ACTIVE:
            return Response([])
        dues = claimable_dues(lease=guarantee.lease)
        return Response(s.ClaimableMonthSerializer(dues, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="Your leases", responses={200: s.LeaseSerializer, **ERRORS}),
    retrieve=extend_schema(
        summary="One of your leases", responses={200: s.LeaseSerializer, **ERRORS, **NOT_FOUND}
    ),
)
class LeaseViewSet(LandlordScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.LeaseSerializer

    def get_queryset(self):
        return selectors.api_leases(user=self.request.user, programme=self.programme)


@extend_schema_view(
    list=extend_schema(summary="Your claims", responses={200: s.ClaimSerializer, **ERRORS}),
    retrieve=extend_schema(
        summary="One of your claims", responses={200: s.ClaimSerializer, **ERRORS, **NOT_FOUND}
    ),
    create=extend_schema(
        summary="File a claim",
        description=(
            "The months (ids from claimable-months) that are due, past the agreement's claim "
            "delay and unpaid; documents as multipart/form-data, each with its type at the "
            "same position in `document_kinds`. The fund administrators review it."
        ),
        request={
            "multipart/form-data": s.ClaimCreateSerializer,
            "application/json": s.ClaimCreateSerializer,
        },
        responses={201: s.ClaimSerializer, **INVALID, **ERRORS, **NOT_FOUND},
    ),
)
class ClaimViewSet(
    LandlordScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [MultiPartParser, JSONParser]

    def get_serializer_class(self):
        return s.ClaimCreateSerializer if self.action == "create" else s.ClaimSerializer

    def get_queryset(self):
        return selectors.api_claims(user=self.request.user, programme=self.programme)

    def create(self, request, *args, **kwargs):
        form = s.ClaimCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            guarantee = selectors.api_guarantee_get(
                user=request.user, programme=self.programme, pk=data["guarantee"]
            )
        except Guarantee.DoesNotExist as error:
            raise Http404 from error
        claim = claim_submit(
            actor=request.user,
            guarantee=guarantee,
            due_ids=data["dues"],
            note=data["note"],
            documents=list(zip(data["document_kinds"], data["documents"], strict=True)),
        )
        claim = selectors.api_claim_get(user=request.user, programme=self.programme, pk=claim.pk)
        location = request.build_absolute_uri(f"{claim.pk}/")
        return Response(
            s.ClaimSerializer(claim).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


def _verification_data(result) -> dict:
    return {
        "found": result.found,
        "state": result.state,
        "in_force": result.in_force,
        "reason": str(result.reason),
        "code": result.code,
        "version": result.version,
        "fund": result.fund,
        "municipality": result.municipality,
        "amount": f"{result.amount.amount:.2f}" if result.amount is not None else None,
        "valid_from": result.valid_from,
        "valid_until": result.valid_until,
        "issued_on": result.issued_on,
        "voided_on": result.voided_on,
    }


class CertificateVerifyView(APIView):
    """Anyone, no key needed: the same answer as the page /verifica/<code>/, and the same
    per-client budget (one counter for the page and the API)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Verify a guarantee certificate by its code",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="As printed."
            )
        ],
        responses={
            200: s.VerificationSerializer,
            404: OpenApiResponse(s.VerificationSerializer, description="Unknown code."),
            401: ERRORS[401],
            429: ERRORS[429],
        },
        auth=[{}, {"apiKey": []}],
    )
    def get(self, request, code):
        if rate_limited(request, scope="verify", limit=settings.CERTIFICATE_VERIFY_RATE):
            raise exceptions.Throttled(wait=60, detail=_("Too many checks: try again shortly."))
        result = certificate_verify(raw_code=code)
        return Response(
            _verification_data(result),
            status=status.HTTP_200_OK if result.found else status.HTTP_404_NOT_FOUND,
        )
