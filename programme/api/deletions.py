"""The deletions feed: tombstones of deleted resources, for partners' incremental sync."""

import django_filters
from rest_framework import serializers, viewsets

from api.permissions import is_partner, is_staff
from core.filtersets import CharInFilter, UpdatedSinceFilter
from programme.choices import PUBLIC_RESOURCES
from programme.models import Tombstone
from programme.sync import TRACKED_RESOURCES

RESOURCE_CHOICES = [(name, name) for name in TRACKED_RESOURCES]


class TombstoneSerializer(serializers.ModelSerializer):
    resource = serializers.ChoiceField(choices=RESOURCE_CHOICES)
    lookup = serializers.CharField(
        help_text="Slug (zone, developer, incentive) or reference (interest); blank otherwise."
    )

    class Meta:
        model = Tombstone
        fields = ("id", "resource", "object_id", "lookup", "deleted_at")


class TombstoneFilterSet(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="deleted_at", lookup_expr="gte", label="Deleted at or after (ISO 8601)"
    )
    resource = django_filters.ChoiceFilter(field_name="resource", choices=RESOURCE_CHOICES)
    resource__in = CharInFilter(field_name="resource", lookup_expr="in")

    class Meta:
        model = Tombstone
        fields = ()


class DeletionViewSet(viewsets.ReadOnlyModelViewSet):
    """Resources deleted from the registry, oldest first (superseded by changes/).

    Kept for partners syncing the older way; changes/ orders deletions with every other
    change and names the deleted row by id, so a re-created slug is never dropped.

    Anonymous callers see deletions of public resources (zones, developers,
    incentives); partners and staff see every kind.
    """

    queryset = Tombstone.objects.all()
    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilterSet
    ordering_fields = ("deleted_at",)
    ordering = ("deleted_at", "id")
    search_fields = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        if not (is_partner(self.request) or is_staff(self.request)):
            queryset = queryset.filter(resource__in=PUBLIC_RESOURCES)
        return queryset
