from rest_framework import serializers

from api.fields import MoneyField
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ("slug", "name")


class DeveloperBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ZoneDeveloper
        fields = ("id", "slug", "name")


class ZoneBriefSerializer(serializers.ModelSerializer):
    """How other resources (pledges, registrations) point at a zone."""

    class Meta:
        model = Zone
        fields = ("id", "slug", "name")


class ZoneStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ZoneStatusChange
        fields = ("status", "changed_on", "note")


class ZoneSerializer(serializers.ModelSerializer):
    developer = DeveloperBriefSerializer(read_only=True)
    sectors = SectorSerializer(many=True, read_only=True)
    incentives = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    status_history = ZoneStatusChangeSerializer(
        source="status_changes", many=True, read_only=True, help_text="The rollout, oldest first."
    )
    pledged_usd = MoneyField(help_text="Pledged USD, cancelled pledges excluded.")
    realized_usd = MoneyField(help_text="USD actually invested so far.")
    pledge_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Zone
        fields = (
            "id",
            "slug",
            "name",
            "developer",
            "city",
            "province",
            "country",
            "latitude",
            "longitude",
            "area_hectares",
            "status",
            "target_opening_date",
            "actual_opening_date",
            "sectors",
            "incentives",
            "description",
            "pledged_usd",
            "realized_usd",
            "pledge_count",
            "status_history",
            "created",
            "updated",
        )


class ZoneDeveloperSerializer(serializers.ModelSerializer):
    zone_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ZoneDeveloper
        fields = (
            "id",
            "slug",
            "name",
            "legal_name",
            "registration_number",
            "country",
            "website",
            "licence_number",
            "licence_issued_on",
            "licence_expires_on",
            "description",
            "zone_count",
            "created",
            "updated",
        )


class IncentiveSerializer(serializers.ModelSerializer):
    zone_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incentive
        fields = (
            "id",
            "slug",
            "name",
            "kind",
            "duration_years",
            "description",
            "zone_count",
            "created",
            "updated",
        )
