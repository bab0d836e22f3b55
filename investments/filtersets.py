"""Query-string filters for pledges (naming: core/filtersets.py)."""

import django_filters
from django.db.models import Q

from companies.choices import Origin
from core.filtersets import (
    CharInFilter,
    ChoiceInFilter,
    IdFilter,
    IdInFilter,
    MoneyFilter,
    RegistryFilterSet,
    changed_since,
)

from .choices import PledgeStatus
from .models import Disbursement, Pledge


class PledgeFilterSet(RegistryFilterSet):
    status = django_filters.ChoiceFilter(field_name="status", choices=PledgeStatus.choices)
    status__in = ChoiceInFilter(field_name="status", lookup_expr="in", choices=PledgeStatus.choices)
    currency = django_filters.CharFilter(field_name="currency", lookup_expr="iexact")
    currency__in = CharInFilter(field_name="currency", lookup_expr="in")
    zone = django_filters.CharFilter(field_name="zone__slug", label="Zone (slug)")
    zone__in = CharInFilter(field_name="zone__slug", lookup_expr="in")
    zone_id = IdFilter(field_name="zone_id", label="Zone (ID)")
    zone_id__in = IdInFilter(field_name="zone_id", lookup_expr="in")
    province = django_filters.CharFilter(field_name="zone__province", lookup_expr="iexact")
    province__in = CharInFilter(field_name="zone__province", lookup_expr="in")
    city = django_filters.CharFilter(field_name="zone__city", lookup_expr="iexact")
    developer = django_filters.CharFilter(field_name="zone__developer__slug")
    developer_id = IdFilter(field_name="zone__developer_id")
    company_id = IdFilter(field_name="company_id")
    company_id__in = IdInFilter(field_name="company_id", lookup_expr="in")
    registration = django_filters.CharFilter(
        field_name="registration__reference", lookup_expr="iexact", label="Registration reference"
    )
    origin = django_filters.ChoiceFilter(field_name="company__origin", choices=Origin.choices)
    country = django_filters.CharFilter(field_name="company__country", lookup_expr="iexact")
    country__in = CharInFilter(field_name="company__country", lookup_expr="in")
    sector = django_filters.CharFilter(field_name="company__sector__slug")
    sector__in = CharInFilter(field_name="company__sector__slug", lookup_expr="in")
    pledged_on = django_filters.DateFilter(field_name="pledged_on")
    pledged_on__gte = django_filters.DateFilter(field_name="pledged_on", lookup_expr="gte")
    pledged_on__lte = django_filters.DateFilter(field_name="pledged_on", lookup_expr="lte")
    amount__gte = MoneyFilter(field_name="amount", lookup_expr="gte")
    amount__lte = MoneyFilter(field_name="amount", lookup_expr="lte")
    amount_usd__gte = MoneyFilter(field_name="amount_usd", lookup_expr="gte")
    amount_usd__lte = MoneyFilter(field_name="amount_usd", lookup_expr="lte")
    realized_usd__gte = MoneyFilter(field_name="realized_usd", lookup_expr="gte")
    realized_usd__lte = MoneyFilter(field_name="realized_usd", lookup_expr="lte")

    class Meta:
        model = Pledge
        fields = ()

    def filter_updated_since(self, queryset, name, value):
        # A disbursement changes the pledge's realised figures; count it as a change
        # even if the pledge row's own stamp was not touched.
        return queryset.filter(
            Q(updated__gte=value)
            | changed_since(Disbursement, value, outer_field="pledge", stamp="created")
        )
