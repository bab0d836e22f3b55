"""Query-string filters for the public register and plots (naming: core/filtersets.py)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from core.filtersets import CharInFilter, ChoiceInFilter, IdFilter, IdInFilter, RegistryFilterSet

from .choices import LicenceStatus, PlotKind, PlotStatus
from .models import Enterprise, Plot
from .querysets import licence_expired_q


class EnterpriseFilterSet(RegistryFilterSet):
    status = django_filters.ChoiceFilter(
        choices=LicenceStatus.choices,
        method="filter_status",
        label="Status as read today (expired is computed from the dates)",
    )
    zone = django_filters.CharFilter(field_name="zone__slug", label="Zone (slug)")
    zone__in = CharInFilter(field_name="zone__slug", lookup_expr="in")
    zone_id = IdFilter(field_name="zone_id", label="Zone (ID)")
    zone_id__in = IdInFilter(field_name="zone_id", lookup_expr="in")
    province = django_filters.CharFilter(field_name="zone__province", lookup_expr="iexact")
    company_id = IdFilter(field_name="company_id")
    licence_number = django_filters.CharFilter(field_name="licence_number", lookup_expr="iexact")
    issued_on__gte = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_on__lte = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")
    expires_on__gte = django_filters.DateFilter(field_name="expires_on", lookup_expr="gte")
    expires_on__lte = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")

    class Meta:
        model = Enterprise
        fields = ()

    def filter_status(self, queryset, name, value):
        expired = licence_expired_q(timezone.localdate())
        if value == LicenceStatus.EXPIRED:
            return queryset.filter(expired)
        return queryset.filter(status=value).exclude(expired)


class PlotFilterSet(RegistryFilterSet):
    status = django_filters.ChoiceFilter(field_name="status", choices=PlotStatus.choices)
    status__in = ChoiceInFilter(field_name="status", lookup_expr="in", choices=PlotStatus.choices)
    kind = django_filters.ChoiceFilter(field_name="kind", choices=PlotKind.choices)
    zone = django_filters.CharFilter(field_name="zone__slug", label="Zone (slug)")
    zone__in = CharInFilter(field_name="zone__slug", lookup_expr="in")
    zone_id = IdFilter(field_name="zone_id", label="Zone (ID)")
    zone_id__in = IdInFilter(field_name="zone_id", lookup_expr="in")
    province = django_filters.CharFilter(field_name="zone__province", lookup_expr="iexact")
    licence_number = django_filters.CharFilter(
        field_name="enterprise__licence_number", lookup_expr="iexact", label="Holder's licence"
    )
    area_m2__gte = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte")
    area_m2__lte = django_filters.NumberFilter(field_name="area_m2", lookup_expr="lte")

    class Meta:
        model = Plot
        fields = ()

    def filter_updated_since(self, queryset, name, value):
        # The holder's name and licence shown with the plot change with the holder's record.
        return queryset.filter(Q(updated__gte=value) | Q(enterprise__updated__gte=value))
