"""Query-string filters for zones, developers and incentives (naming: core/filtersets.py)."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.filtersets import (
    EXACT,
    IN,
    RANGE,
    Param,
    RegistryFilterSet,
    RepeatableChoiceFilter,
    changed_since,
)
from investments.models import Disbursement, Pledge
from investments.selectors import zones_with_pledge_totals

from .choices import ZoneStatus
from .models import Incentive, Zone, ZoneDeveloper


class ZoneFilterSet(RegistryFilterSet):
    """Filters shared by the public zone catalogue and the API's zone list."""

    q = django_filters.CharFilter(method="search", label="Search")
    # Repeatable (`status=a&status=b`): the public catalogue's status checkboxes send it so.
    status = RepeatableChoiceFilter(field_name="status", choices=ZoneStatus.choices)

    class Meta:
        model = Zone
        fields = {
            "province": Param(),
            "city": Param(),
            "status": Param(lookups=(IN,)),
            "sector": Param("sectors__slug", help="Sector (slug)"),
            "sector_id": Param("sectors__id", help="Sector (ID)"),
            "incentive": Param("incentives__slug", help="Incentive (slug)"),
            "incentive_id": Param("incentives__id", help="Incentive (ID)"),
            "developer": Param("developer__slug", help="Developer (slug)"),
            "developer_id": Param(help="Developer (ID)"),
            "target_opening_date": Param(lookups=RANGE),
            "actual_opening_date": Param(lookups=RANGE),
            "pledged_usd": Param(
                kind="money", lookups=RANGE, method="filter_pledged_usd", help="Pledged USD"
            ),
        }

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(province__icontains=value)
        )

    def filter_pledged_usd(self, queryset, name, value):
        # The public catalogue's queryset may come without the totals.
        if "pledged_usd" not in queryset.query.annotations:
            queryset = zones_with_pledge_totals(queryset)
        return queryset.filter(**{name: value})

    def filter_updated_since(self, queryset, name, value):
        # A zone's pledged and realised totals are part of it: a new pledge or
        # disbursement changes the zone as a partner sees it.
        return queryset.filter(
            Q(updated__gte=value)
            | changed_since(Pledge, value, outer_field="zone")
            | changed_since(Disbursement, value, outer_field="pledge__zone", stamp="created")
        )

    THROUGH_MANY_TO_MANY = tuple(
        f"{name}{suffix}"
        for name in ("sector", "sector_id", "incentive", "incentive_id")
        for suffix in ("", "__in")
    )

    @property
    def qs(self):
        # Filtering through a many-to-many (sector, incentive) may repeat a zone.
        queryset = super().qs
        data = self.form.cleaned_data
        if any(data.get(name) for name in self.THROUGH_MANY_TO_MANY):
            queryset = queryset.distinct()
        return queryset


class ZoneDeveloperFilterSet(RegistryFilterSet):
    class Meta:
        model = ZoneDeveloper
        fields = {
            "country": Param(),
            "licence_expires_on": Param(lookups=RANGE),
        }


class IncentiveFilterSet(RegistryFilterSet):
    class Meta:
        model = Incentive
        fields = {
            "kind": Param(),
            "duration_years": Param(lookups=RANGE),
            "zone": Param(
                kind="slug", lookups=(EXACT,), method="filter_zone", help="Offered in zone (slug)"
            ),
            "zone_id": Param(
                kind="id", lookups=(EXACT,), method="filter_zone", help="Offered in zone (ID)"
            ),
        }

    def filter_zone(self, queryset, name, value):
        # Exists rather than a join, so an incentive offered twice is listed once.
        lookup = "slug" if name == "zone" else "pk"
        return queryset.filter(
            Exists(Zone.objects.filter(incentives=OuterRef("pk"), **{lookup: value}))
        )
