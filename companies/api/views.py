from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets

from api.exceptions import ErrorSerializer
from api.idempotency import HEADER, REPLAYED_HEADER, idempotent_create
from api.parsers import JSONParser
from api.permissions import IsPartnerOrStaff, is_staff
from companies.choices import RegistrationChannel
from companies.filtersets import CompanyFilterSet, InterestRegistrationFilterSet
from companies.models import Company, InterestRegistration
from companies.services import registration_submit
from companies.summaries import registration_count
from investments.selectors import companies_with_pledge_totals
from zones.models import Zone

from .serializers import (
    CompanySerializer,
    CompanyStaffSerializer,
    InterestRegistrationSerializer,
    InterestRegistrationStaffSerializer,
    InterestSubmissionSerializer,
)


class StaffSeesPersonalDataMixin:
    """Staff sessions get the staff serializer (with contacts); everyone else never does."""

    staff_serializer_class = None

    def get_serializer_class(self):
        if is_staff(self.request):
            return self.staff_serializer_class
        return self.serializer_class


class CompanyViewSet(StaffSeesPersonalDataMixin, viewsets.ReadOnlyModelViewSet):
    """Companies interested in the zones, with their pledge totals. Partners and staff."""

    queryset = companies_with_pledge_totals(Company.objects.select_related("sector"))
    serializer_class = CompanySerializer
    staff_serializer_class = CompanyStaffSerializer
    permission_classes = (IsPartnerOrStaff,)
    filterset_class = CompanyFilterSet
    search_fields = ("name", "website", "description")
    ordering_fields = (
        "name",
        "origin",
        "country",
        "pledged_usd",
        "realized_usd",
        "registration_count",
        "created",
        "updated",
    )
    ordering = ("name",)

    def get_queryset(self):
        queryset = super().get_queryset()
        if is_staff(self.request):
            queryset = queryset.prefetch_related("contacts")
        return queryset


class InterestRegistrationViewSet(
    StaffSeesPersonalDataMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Interest registrations, looked up by reference. Partners and staff; partners may POST."""

    queryset = InterestRegistration.objects.select_related(
        "company", "contact", "submitted_by", "reviewer"
    ).prefetch_related(Prefetch("zones", queryset=Zone.objects.only("id", "slug", "name")))
    serializer_class = InterestRegistrationSerializer
    staff_serializer_class = InterestRegistrationStaffSerializer
    permission_classes = (IsPartnerOrStaff,)
    parser_classes = (JSONParser,)
    filterset_class = InterestRegistrationFilterSet
    lookup_field = "reference"
    search_fields = ("reference", "company__name")
    ordering_fields = ("created", "updated", "status", "planned_investment_usd", "target_date")
    ordering = ("-created",)

    def unfiltered_count(self) -> int:
        """Every registration, from its tally (api.pagination.PagePagination)."""
        return registration_count()

    @extend_schema(
        summary="Register a company's interest in zones",
        description=(
            "Creates an interest registration exactly as the public form does (channel `api`). "
            f"The `{HEADER}` header is required: resending the same body with the same key "
            "returns the first response (with `Idempotent-Replayed: true`) and creates "
            "nothing; the same key with a different body is refused with 409. Contact "
            "details are stored for the registry's staff and never returned."
        ),
        parameters=[
            OpenApiParameter(
                HEADER,
                # Blank or all-space keys are refused (api.idempotency); the schema says so.
                {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"\S"},
                OpenApiParameter.HEADER,
                required=True,
                description="A unique value per submission, e.g. a UUID (at most 255 chars).",
            ),
            OpenApiParameter(
                REPLAYED_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                enum=["true"],
                response=[201],
                description="`true` when this is the stored response to an earlier request "
                "with the same key and body (nothing new was created); absent otherwise.",
            ),
        ],
        request=InterestSubmissionSerializer,
        responses={
            201: InterestRegistrationSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            409: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "Registration",
                request_only=True,
                value={
                    "company_name": "Indus Cloud (Pvt) Ltd",
                    "origin": "domestic",
                    "country": "PK",
                    "sector": "software",
                    "website": "https://induscloud.example",
                    "contact_name": "Ayesha Khan",
                    "contact_email": "ayesha@induscloud.example",
                    "contact_phone": "+92 21 1234567",
                    "zones": ["karachi-technology-zone"],
                    "planned_investment_usd": "2500000.00",
                    "planned_jobs": 120,
                    "target_date": "2027-03-31",
                    "message": "Data-centre hall, 2 MW.",
                },
            )
        ],
    )
    def create(self, request, *args, **kwargs):
        return idempotent_create(request, lambda: self._submit(request))

    def _submit(self, request):
        submission = InterestSubmissionSerializer(data=request.data)
        submission.is_valid(raise_exception=True)
        registration = registration_submit(
            **submission.validated_data,
            channel=RegistrationChannel.API,
            submitted_by=request.user if is_staff(request) else None,
        )
        registration = self.get_queryset().get(pk=registration.pk)
        body = self.get_serializer(registration).data
        return status.HTTP_201_CREATED, body, registration
