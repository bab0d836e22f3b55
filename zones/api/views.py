from django.db.models import Prefetch
from rest_framework import viewsets

from core.query import subquery_count
from investments.selectors import zones_with_pledge_totals
from zones.filtersets import IncentiveFilterSet, ZoneDeveloperFilterSet, ZoneFilterSet
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange

from .serializers import (
    DeveloperBriefSerializer,
    IncentiveSerializer,
    ZoneDeveloperSerializer,
    ZoneSerializer,
)

# A zone shows its developer brief (DeveloperBriefSerializer): the rest of the row is not read.
DEVELOPER_UNUSED = tuple(
    f"developer__{field.name}"
    for field in ZoneDeveloper._meta.concrete_fields
    if field.name not in DeveloperBriefSerializer.Meta.fields
)


class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    """Technology zones with their rollout history and pledged/realised USD. Public."""

    # Only the columns the serializer writes: a page of 100 zones builds about a thousand
    # related objects, and every unused timestamp is parsed for each of them.
    queryset = zones_with_pledge_totals(
        Zone.objects.select_related("developer")
        .defer("name_ur", "description_ur", *DEVELOPER_UNUSED)
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.only("id", "slug", "name")),
            Prefetch("incentives", queryset=Incentive.objects.only("id", "slug")),
            Prefetch(
                "status_changes",
                queryset=ZoneStatusChange.objects.only(
                    "id", "zone_id", "status", "changed_on", "note"
                ).order_by("changed_on", "id"),
            ),
        )
    )
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
    lookup_field = "slug"
    search_fields = ("name", "city", "province", "developer__name", "description")
    ordering_fields = (
        "name",
        "slug",
        "city",
        "province",
        "status",
        "target_opening_date",
        "actual_opening_date",
        "pledged_usd",
        "realized_usd",
        "created",
        "updated",
    )
    ordering = ("name",)


class ZoneDeveloperViewSet(viewsets.ReadOnlyModelViewSet):
    """Companies licensed to build and run zones. Public."""

    queryset = ZoneDeveloper.objects.annotate(
        zone_count=subquery_count(Zone.objects.all(), outer_field="developer")
    )
    serializer_class = ZoneDeveloperSerializer
    filterset_class = ZoneDeveloperFilterSet
    lookup_field = "slug"
    search_fields = ("name", "legal_name", "registration_number", "licence_number")
    ordering_fields = ("name", "slug", "country", "zone_count", "created", "updated")
    ordering = ("name",)


class IncentiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Benefits zones offer, such as the 10-year corporate-tax waiver. Public."""

    queryset = Incentive.objects.annotate(
        zone_count=subquery_count(Zone.objects.all(), outer_field="incentives")
    )
    serializer_class = IncentiveSerializer
    filterset_class = IncentiveFilterSet
    lookup_field = "slug"
    search_fields = ("name", "description")
    ordering_fields = ("name", "slug", "kind", "duration_years", "zone_count", "created", "updated")
    ordering = ("name",)
