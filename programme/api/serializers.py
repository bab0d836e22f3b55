"""The reports' query parameters and bodies (so that the OpenAPI schema documents them)."""

from rest_framework import serializers

from api.fields import MoneyField
from api.serializers import RowSerializer
from core.query import by_slug_or_id
from enterprises.api.serializers import ZoneOperatingSerializer
from programme import reports
from programme.as_of import check_as_of
from zones.models import Zone

# ---------------------------------------------------------------------------
# Report query parameters


class ReportQuerySerializer(serializers.Serializer):
    """?zone=…&province=…&date_from=…&date_to=…&as_of=… shared by the reports."""

    zone = serializers.CharField(
        required=False,
        help_text="Zone slugs or ids, comma-separated: only these zones.",
    )
    province = serializers.CharField(required=False, max_length=100)
    date_from = serializers.DateField(required=False, help_text="First day included (ISO).")
    date_to = serializers.DateField(required=False, help_text="Last day included (ISO).")
    as_of = serializers.DateField(
        required=False,
        help_text="The report as it stood at the end of this past day (ISO; default: now).",
    )

    def validate_as_of(self, value):
        return check_as_of(value)

    def validate_zone(self, value):
        values = [item.strip() for item in value.split(",") if item.strip()]
        zones, unknown = by_slug_or_id(Zone.objects.only("pk", "slug"), values)
        if unknown:
            raise serializers.ValidationError(
                f"No zone with slug or id {', '.join(unknown)}. GET /api/v1/zones/ lists them."
            )
        return tuple(sorted(zone.pk for zone in zones))

    def validate(self, attrs):
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise serializers.ValidationError(
                {"date_to": [f"date_to ({date_to}) is before date_from ({date_from})."]}
            )
        return attrs

    def to_filters(self) -> reports.ReportFilters:
        data = self.validated_data
        return reports.ReportFilters(
            zone_ids=data.get("zone", ()),
            province=data.get("province", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            as_of=data.get("as_of"),
        )


# ---------------------------------------------------------------------------
# Report bodies: how each report shape (`shape`, a dataclass of programme.reports) is
# written as JSON, and so as CSV. A test keeps each serializer's fields equal to its
# shape's, in order.


class ReportFiltersSerializer(serializers.Serializer):
    shape = reports.ReportFilters

    zone_ids = serializers.ListField(child=serializers.IntegerField())
    province = serializers.CharField(allow_blank=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)


class TargetProgressSerializer(RowSerializer):
    shape = reports.TargetProgress

    slug = serializers.CharField()
    name = serializers.CharField()
    metric = serializers.CharField()
    target_value = MoneyField()
    baseline_value = MoneyField(allow_null=True)
    current_value = MoneyField(
        allow_null=True, help_text="Null when nobody has reported the figure yet."
    )
    percent_reached = serializers.DecimalField(
        max_digits=None, decimal_places=1, allow_null=True, read_only=True
    )
    start_date = serializers.DateField()
    due_date = serializers.DateField()


class StatusCountSerializer(RowSerializer):
    shape = reports.ZoneStatusCount

    status = serializers.CharField()
    label = serializers.CharField()
    zone_count = serializers.IntegerField()


class ProvinceRolloutSerializer(RowSerializer):
    shape = reports.ProvinceRollout

    province = serializers.CharField()
    zone_count = serializers.IntegerField()
    operational_count = serializers.IntegerField()
    under_development_count = serializers.IntegerField()


class QuarterOpeningsSerializer(RowSerializer):
    shape = reports.QuarterOpenings

    quarter = serializers.CharField(help_text="e.g. 2026-Q3")
    quarter_start = serializers.DateField()
    planned_openings = serializers.IntegerField(help_text="Zones due to open (target date).")
    actual_openings = serializers.IntegerField(help_text="Zones that opened.")


class RolloutTotalsSerializer(serializers.Serializer):
    shape = reports.RolloutTotals

    zone_count = serializers.IntegerField()
    operational_count = serializers.IntegerField()


class RolloutReportSerializer(serializers.Serializer):
    shape = reports.RolloutReport

    filters = ReportFiltersSerializer()
    totals = RolloutTotalsSerializer()
    by_status = StatusCountSerializer(many=True)
    by_province = ProvinceRolloutSerializer(many=True)
    openings_by_quarter = QuarterOpeningsSerializer(many=True)
    operating_by_zone = ZoneOperatingSerializer(many=True)
    targets = TargetProgressSerializer(many=True)


class PledgeMeasuresSerializer(RowSerializer):
    shape = reports.PledgeMeasures

    pledged_usd = MoneyField(help_text="Cancelled pledges excluded.")
    committed_usd = MoneyField(help_text="Committed, in progress or realised pledges.")
    realized_usd = MoneyField(help_text="Disbursed so far.")
    pledge_count = serializers.IntegerField(help_text="Cancelled pledges excluded.")


class ZoneInvestmentSerializer(PledgeMeasuresSerializer):
    shape = reports.ZoneInvestment

    zone = serializers.CharField(help_text="Zone slug")
    zone_name = serializers.CharField()


class OriginInvestmentSerializer(PledgeMeasuresSerializer):
    shape = reports.OriginInvestment

    origin = serializers.CharField()
    label = serializers.CharField()


class StatusInvestmentSerializer(RowSerializer):
    shape = reports.StatusInvestment

    status = serializers.CharField()
    label = serializers.CharField()
    amount_usd = MoneyField()
    realized_usd = MoneyField()
    pledge_count = serializers.IntegerField()


class QuarterInvestmentSerializer(RowSerializer):
    shape = reports.QuarterInvestment

    quarter = serializers.CharField(help_text="e.g. 2026-Q1")
    quarter_start = serializers.DateField()
    pledged_usd = MoneyField(help_text="By quarter of the pledge date.")
    committed_usd = MoneyField(help_text="By quarter of the pledge date.")
    realized_usd = MoneyField(help_text="By quarter in which each disbursement was paid.")


class FunnelStageSerializer(RowSerializer):
    shape = reports.FunnelStage

    stage = serializers.ChoiceField(
        choices=("registered", "accepted", "pledged", "committed", "realized")
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    company_count = serializers.IntegerField()
    amount_usd = MoneyField(
        allow_null=True,
        help_text="Planned investment (registered), pledged, committed or realised USD.",
    )


class InvestmentReportSerializer(serializers.Serializer):
    shape = reports.InvestmentReport

    filters = ReportFiltersSerializer()
    totals = PledgeMeasuresSerializer()
    by_zone = ZoneInvestmentSerializer(many=True)
    by_origin = OriginInvestmentSerializer(many=True)
    by_status = StatusInvestmentSerializer(many=True)
    by_quarter = QuarterInvestmentSerializer(many=True)
    funnel = FunnelStageSerializer(many=True)
    targets = TargetProgressSerializer(many=True)


class CompanyTotalsSerializer(serializers.Serializer):
    shape = reports.CompanyTotals

    registration_count = serializers.IntegerField()
    company_count = serializers.IntegerField()


class OriginCompaniesSerializer(RowSerializer):
    shape = reports.OriginCompanies

    origin = serializers.CharField()
    label = serializers.CharField()
    company_count = serializers.IntegerField()


class ZoneCompaniesSerializer(RowSerializer):
    shape = reports.ZoneCompanies

    zone = serializers.CharField(help_text="Zone slug")
    zone_name = serializers.CharField()
    company_count = serializers.IntegerField()
    registration_count = serializers.IntegerField()


class SectorCompaniesSerializer(RowSerializer):
    shape = reports.SectorCompanies

    sector = serializers.CharField(allow_blank=True, help_text="Sector slug; blank if not given.")
    label = serializers.CharField()
    company_count = serializers.IntegerField()


class RegistrationStatusSerializer(RowSerializer):
    shape = reports.RegistrationStatusCount

    status = serializers.CharField()
    label = serializers.CharField()
    registration_count = serializers.IntegerField()
    company_count = serializers.IntegerField()


class CompaniesReportSerializer(serializers.Serializer):
    shape = reports.CompaniesReport

    filters = ReportFiltersSerializer()
    totals = CompanyTotalsSerializer()
    by_origin = OriginCompaniesSerializer(many=True)
    by_zone = ZoneCompaniesSerializer(many=True)
    by_sector = SectorCompaniesSerializer(many=True)
    by_status = RegistrationStatusSerializer(many=True)
    targets = TargetProgressSerializer(many=True)
