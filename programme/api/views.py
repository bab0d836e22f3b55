"""The programme's reports (JSON or CSV) and the deletions feed."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ErrorSerializer
from api.renderers import ReportCSVRenderer
from core.datacache import cached
from programme import reports

from .serializers import (
    CompaniesReportSerializer,
    InvestmentReportSerializer,
    ReportQuerySerializer,
    RolloutReportSerializer,
)


class ReportView(APIView):
    """GET a report as JSON, or as CSV with ?format=csv; public aggregates only."""

    renderer_classes = (JSONRenderer, ReportCSVRenderer)
    report = None  # a function of programme.reports taking ReportFilters
    body_serializer_class = None
    csv_filename = None

    def get(self, request, *args, **kwargs):
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.to_filters()
        report = cached(f"report.{self.report.__name__}", filters, lambda: self.report(filters))
        body = self.body_serializer_class(report).data
        response = Response(body)
        if request.accepted_renderer.format == ReportCSVRenderer.format:
            response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}"'
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors stay JSON even when CSV was asked for: a person has to read them.
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def report_schema(summary, body_serializer, description):
    return extend_schema(
        summary=summary,
        description=description
        + " Add `?format=csv` (or `Accept: text/csv`) for one CSV table with a `section` "
        "column. Filters: `zone` (slugs or ids, comma-separated), `province`, `date_from`, "
        "`date_to`.",
        parameters=[
            ReportQuerySerializer,
            OpenApiParameter(
                "format", OpenApiTypes.STR, enum=["json", "csv"], description="Output format."
            ),
        ],
        responses={
            (200, "application/json"): body_serializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV table"),
            (400, "application/json"): ErrorSerializer,
            (406, "application/json"): ErrorSerializer,
        },
    )


@report_schema(
    "Rollout report",
    RolloutReportSerializer,
    "Zones by status and by province, openings per quarter (planned against actual: the "
    "date range applies to opening dates; cancelled zones are not planned openings) and "
    "progress against the zones-operational targets (whole programme).",
)
class RolloutReportView(ReportView):
    report = staticmethod(reports.rollout_report)
    body_serializer_class = RolloutReportSerializer
    csv_filename = "rollout-report.csv"


@report_schema(
    "Investment report",
    InvestmentReportSerializer,
    "Pledged, committed and realised USD in total, by zone, by origin, by status and by "
    "quarter; the funnel from registration to pledge to realised money; progress against "
    "the investment targets (whole programme). The date range selects pledges by pledge "
    "date (registrations in the funnel by the date received); realised money by quarter "
    "counts each disbursement in the quarter it was paid.",
)
class InvestmentReportView(ReportView):
    report = staticmethod(reports.investment_report)
    body_serializer_class = InvestmentReportSerializer
    csv_filename = "investment-report.csv"


@report_schema(
    "Companies report",
    CompaniesReportSerializer,
    "Companies with an interest registration in scope, by origin, by zone, by sector, and "
    "registrations by status. The date range applies to the date a registration was received.",
)
class CompaniesReportView(ReportView):
    report = staticmethod(reports.companies_report)
    body_serializer_class = CompaniesReportSerializer
    csv_filename = "companies-report.csv"
