"""The public register of zone enterprises, plots and the operating figures in reports.

No annual return and no contact appears here: individual returns are never public.
"""

from rest_framework import serializers

from api.fields import MoneyField
from api.serializers import RowSerializer
from companies.api.serializers import CompanyBriefSerializer
from enterprises.models import Enterprise, Plot
from enterprises.selectors import ZoneOperating
from zones.api.serializers import ZoneBriefSerializer


class EnterpriseSerializer(serializers.ModelSerializer):
    company = CompanyBriefSerializer(read_only=True)
    zone = ZoneBriefSerializer(read_only=True)
    status = serializers.CharField(
        source="effective_status",
        read_only=True,
        help_text="licensed, suspended, revoked, surrendered or expired (computed: a licence "
        "past its expiry date reads as expired).",
    )

    class Meta:
        model = Enterprise
        fields = (
            "id",
            "licence_number",
            "company",
            "zone",
            "status",
            "activities",
            "issued_on",
            "expires_on",
            "created",
            "updated",
        )


class PlotSerializer(serializers.ModelSerializer):
    zone = ZoneBriefSerializer(read_only=True)
    holder = serializers.SerializerMethodField(
        help_text="The enterprise holding the plot (licence number and company), if any."
    )

    class Meta:
        model = Plot
        fields = (
            "id",
            "zone",
            "number",
            "kind",
            "area_m2",
            "status",
            "holder",
            "lease_starts_on",
            "lease_ends_on",
            "occupied_on",
            "created",
            "updated",
        )

    def get_holder(self, plot) -> dict | None:
        if plot.enterprise is None:
            return None
        return {
            "licence_number": plot.enterprise.licence_number,
            "company": plot.enterprise.company.name,
        }


# --- Report sections ------------------------------------------------------------------------


class ZoneOperatingSerializer(RowSerializer):
    shape = ZoneOperating

    zone = serializers.CharField(help_text="Zone slug")
    zone_name = serializers.CharField()
    applied_count = serializers.IntegerField()
    approved_count = serializers.IntegerField()
    licensed_count = serializers.IntegerField(help_text="Licences in force.")
    suspended_count = serializers.IntegerField()
    expired_count = serializers.IntegerField()
    revoked_count = serializers.IntegerField()
    surrendered_count = serializers.IntegerField()
    plot_count = serializers.IntegerField()
    allocated_plot_count = serializers.IntegerField()
    occupied_plot_count = serializers.IntegerField()
    total_area_m2 = MoneyField()
    allocated_area_m2 = MoneyField()
    occupied_area_m2 = MoneyField()
    occupancy_pct = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        allow_null=True,
        read_only=True,
        help_text="Allocated and occupied area as a share of all plots' area; null without plots.",
    )


class PerformanceFiguresSerializer(RowSerializer):
    enterprise_count = serializers.IntegerField()
    return_count = serializers.IntegerField()
    employees_total = serializers.IntegerField(allow_null=True)
    employees_women = serializers.IntegerField(allow_null=True)
    employees_foreign = serializers.IntegerField(allow_null=True)
    exports_usd = MoneyField(allow_null=True)
    domestic_sales_usd = MoneyField(allow_null=True)
    investment_usd = MoneyField(allow_null=True)
    suppressed = serializers.BooleanField(
        help_text="True when the figures are withheld: fewer than 3 enterprises (or needed to "
        "keep such a group from being derived from the total)."
    )


class YearPerformanceSerializer(PerformanceFiguresSerializer):
    fiscal_year = serializers.CharField(help_text="July–June, e.g. 2025-26")


class ZoneYearPerformanceSerializer(YearPerformanceSerializer):
    zone = serializers.CharField(help_text="Zone slug")
    zone_name = serializers.CharField()


class ComplianceSerializer(RowSerializer):
    fiscal_year = serializers.CharField()
    return_count = serializers.IntegerField()
    due_count = serializers.IntegerField(help_text="Due before as_of.")
    filed_on_time_count = serializers.IntegerField()
    filed_late_count = serializers.IntegerField()
    overdue_count = serializers.IntegerField(help_text="Past due and not (or no longer) filed.")
    accepted_count = serializers.IntegerField()
    not_yet_due_count = serializers.IntegerField()


class PerformanceFiltersSerializer(serializers.Serializer):
    zone_ids = serializers.ListField(child=serializers.IntegerField())
    province = serializers.CharField(allow_blank=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    as_of = serializers.DateField()


class PerformanceReportSerializer(serializers.Serializer):
    filters = PerformanceFiltersSerializer()
    by_year = YearPerformanceSerializer(many=True)
    by_zone_and_year = ZoneYearPerformanceSerializer(many=True)
    compliance = ComplianceSerializer(many=True)
