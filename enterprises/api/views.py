from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from api.exceptions import ErrorSerializer
from api.permissions import IsPartnerOrStaff, is_staff
from core.datacache import cached
from enterprises.filtersets import EnterpriseFilterSet, PlotFilterSet
from enterprises.models import Enterprise, Plot
from programme.api.serializers import ReportQuerySerializer
from programme.api.views import ReportView
from programme.performance import performance_report

from .serializers import EnterpriseSerializer, PerformanceReportSerializer, PlotSerializer


class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    """The public register of zone enterprises: issued licences, never returns or contacts."""

    queryset = (
        Enterprise.objects.public_register()
        .with_effective_status()
        .select_related("company", "zone")
    )
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    search_fields = ("licence_number", "company__name", "zone__name", "activities")
    ordering_fields = ("licence_number", "issued_on", "expires_on", "created", "updated")
    ordering = ("-issued_on", "-id")


class PlotViewSet(viewsets.ReadOnlyModelViewSet):
    """Plots and built spaces with who holds them. Partners and staff."""

    queryset = Plot.objects.select_related("zone", "enterprise__company")
    serializer_class = PlotSerializer
    permission_classes = (IsPartnerOrStaff,)
    filterset_class = PlotFilterSet
    search_fields = ("number", "zone__name", "enterprise__company__name")
    ordering_fields = ("number", "area_m2", "status", "created", "updated")
    ordering = ("zone_id", "number")


class PerformanceQuerySerializer(ReportQuerySerializer):
    as_of = serializers.DateField(
        required=False,
        help_text="The day overdue is judged on, and for a past day the registry as it stood "
        "at the end of it (ISO; default today).",
    )


@extend_schema(
    summary="Performance report",
    description="Jobs (with women and foreign staff), exports, domestic sales and investment "
    "from accepted annual returns, by fiscal year (July–June) and by zone and year, and return "
    "compliance (due, filed on time, late, overdue) by year. Individual returns are never "
    "shown: any figure over fewer than 3 enterprises is withheld (`suppressed: true`) for "
    "partners and the public. The date range selects fiscal years ending within it. Add "
    "`?format=csv` for one CSV table with a `section` column.",
    parameters=[
        PerformanceQuerySerializer,
        OpenApiParameter(
            "format", OpenApiTypes.STR, enum=["json", "csv"], description="Output format."
        ),
    ],
    responses={
        (200, "application/json"): PerformanceReportSerializer,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV table"),
        (400, "application/json"): ErrorSerializer,
        (406, "application/json"): ErrorSerializer,
    },
)
class PerformanceReportView(ReportView):
    body_serializer_class = PerformanceReportSerializer
    csv_filename = "performance-report.csv"

    def get(self, request, *args, **kwargs):
        query = PerformanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.to_filters()
        # Staff see every figure; partners and the public only safe aggregates.
        disclosure_control = not is_staff(request)
        report = cached(
            "report.performance",
            (filters, disclosure_control),
            lambda: performance_report(filters, disclosure_control=disclosure_control),
        )
        response = Response(self.body_serializer_class(report).data)
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response
