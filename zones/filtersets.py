"""Query-string filters for zones, developers and incentives (naming: core/filtersets.py)."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from core.filtersets import (
    CharInFilter,
    ChoiceInFilter,
    IdFilter,
    IdInFilter,
    MoneyFilter,
    RegistryFilterSet,
    changed_since,
)
from investments.models import Disbursement, Pledge
from investments.selectors import zones_with_pledge_totals

from .choices import IncentiveKind, ZoneStatus
from .models import Incentive, Zone, ZoneDeveloper


class ZoneFilterSet(RegistryFilterSet):
    """Filters shared by the public zone catalogue and the API's zone list."""

    q = django_filters.CharFilter(method="search", label="Search")
    province = django_filters.CharFilter(field_name="province", lookup_expr="iexact")
    province__in = CharInFilter(field_name="province", lookup_expr="in")
    city = django_filters.CharFilter(field_name="city", lookup_expr="iexact")
    city__in = CharInFilter(field_name="city", lookup_expr="in")
    status = django_filters.MultipleChoiceFilter(field_name="status", choices=ZoneStatus.choices)
    status__in = ChoiceInFilter(field_name="status", lookup_expr="in", choices=ZoneStatus.choices)
    sector = django_filters.CharFilter(field_name="sectors__slug", label="Sector (slug)")
    sector__in = CharInFilter(field_name="sectors__slug", lookup_expr="in")
    sector_id = IdFilter(field_name="sectors__id", label="Sector (ID)")
    incentive = django_filters.CharFilter(field_name="incentives__slug", label="Incentive (slug)")
    developer = django_filters.CharFilter(field_name="developer__slug", label="Developer (slug)")
    developer__in = CharInFilter(field_name="developer__slug", lookup_expr="in")
    developer_id = IdFilter(field_name="developer_id", label="Developer (ID)")
    developer_id__in = IdInFilter(field_name="developer_id", lookup_expr="in")
    target_opening_date__gte = django_filters.DateFilter(
        field_name="target_opening_date", lookup_expr="gte"
    )
    target_opening_date__lte = django_filters.DateFilter(
        field_name="target_opening_date", lookup_expr="lte"
    )
    actual_opening_date__gte = django_filters.DateFilter(
        field_name="actual_opening_date", lookup_expr="gte"
    )
    actual_opening_date__lte = django_filters.DateFilter(
        field_name="actual_opening_date", lookup_expr="lte"
    )
    pledged_usd__gte = MoneyFilter(method="filter_pledged_usd", label="Pledged USD at least")
    pledged_usd__lte = MoneyFilter(method="filter_pledged_usd", label="Pledged USD at most")

    class Meta:
        model = Zone
        fields = ()

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

    @property
    def qs(self):
        # Filtering through a many-to-many (sector, incentive) may repeat a zone.
        queryset = super().qs
        data = self.form.cleaned_data
        if any(data.get(name) for name in ("sector", "sector__in", "sector_id", "incentive")):
            queryset = queryset.distinct()
        return queryset


class ZoneDeveloperFilterSet(RegistryFilterSet):
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    country__in = CharInFilter(field_name="country", lookup_expr="in")
    licence_expires_on__gte = django_filters.DateFilter(
        field_name="licence_expires_on", lookup_expr="gte"
    )
    licence_expires_on__lte = django_filters.DateFilter(
        field_name="licence_expires_on", lookup_expr="lte"
    )

    class Meta:
        model = ZoneDeveloper
        fields = ()


class IncentiveFilterSet(RegistryFilterSet):
    kind = django_filters.ChoiceFilter(field_name="kind", choices=IncentiveKind.choices)
    kind__in = ChoiceInFilter(field_name="kind", lookup_expr="in", choices=IncentiveKind.choices)
    duration_years__gte = django_filters.NumberFilter(
        field_name="duration_years", lookup_expr="gte"
    )
    duration_years__lte = django_filters.NumberFilter(
        field_name="duration_years", lookup_expr="lte"
    )
    zone = django_filters.CharFilter(method="filter_zone", label="Offered in zone (slug)")
    zone_id = IdFilter(method="filter_zone", label="Offered in zone (ID)")

    class Meta:
        model = Incentive
        fields = ()

    def filter_zone(self, queryset, name, value):
        # Exists rather than a join, so an incentive offered twice is listed once.
        lookup = "slug" if name == "zone" else "pk"
        return queryset.filter(
            Exists(Zone.objects.filter(incentives=OuterRef("pk"), **{lookup: value}))
        )
