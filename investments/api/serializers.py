"""Pledges as partners read them."""

from rest_framework import serializers

from companies.api.serializers import CompanyBriefSerializer
from investments.models import Pledge
from zones.api.serializers import ZoneBriefSerializer


class PledgeSerializer(serializers.ModelSerializer):
    company = CompanyBriefSerializer(read_only=True)
    zone = ZoneBriefSerializer(read_only=True)
    registration = serializers.SlugRelatedField(
        slug_field="reference",
        read_only=True,
        allow_null=True,
        help_text="Reference of the interest registration the pledge came from, if any.",
    )

    class Meta:
        model = Pledge
        fields = (
            "id",
            "company",
            "zone",
            "registration",
            "amount",
            "currency",
            "amount_usd",
            "pledged_on",
            "status",
            "realized_amount",
            "realized_usd",
            "description",
            "created",
            "updated",
        )
