"""Query-string filters for companies and interest registrations (naming: core/filtersets.py)."""

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
from investments.models import Pledge
from zones.models import Zone

from .choices import CompanySize, Origin, RegistrationChannel, RegistrationStatus
from .models import Company, InterestRegistration


class CompanyFilterSet(RegistryFilterSet):
    origin = django_filters.ChoiceFilter(field_name="origin", choices=Origin.choices)
    origin__in = ChoiceInFilter(field_name="origin", lookup_expr="in", choices=Origin.choices)
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    country__in = CharInFilter(field_name="country", lookup_expr="in")
    sector = django_filters.CharFilter(field_name="sector__slug", label="Sector (slug)")
    sector__in = CharInFilter(field_name="sector__slug", lookup_expr="in")
    sector_id = IdFilter(field_name="sector_id", label="Sector (ID)")
    sector_id__in = IdInFilter(field_name="sector_id", lookup_expr="in")
    size = django_filters.ChoiceFilter(field_name="size", choices=CompanySize.choices)
    size__in = ChoiceInFilter(field_name="size", lookup_expr="in", choices=CompanySize.choices)
    zone = django_filters.CharFilter(method="filter_zone", label="Registered for zone (slug)")
    zone__in = CharInFilter(method="filter_zone", label="Registered for any of these zones")
    zone_id = IdFilter(method="filter_zone", label="Registered for zone (ID)")
    zone_id__in = IdInFilter(method="filter_zone", label="Registered for any of these zone IDs")
    pledged_usd__gte = MoneyFilter(field_name="pledged_usd", lookup_expr="gte")
    pledged_usd__lte = MoneyFilter(field_name="pledged_usd", lookup_expr="lte")

    class Meta:
        model = Company
        fields = ()

    def filter_zone(self, queryset, name, value):
        # Exists rather than a join through the registrations' zones: no repeated rows.
        lookup = {
            "zone": "zones__slug",
            "zone__in": "zones__slug__in",
            "zone_id": "zones__id",
            "zone_id__in": "zones__id__in",
        }[name]
        return queryset.filter(
            Exists(InterestRegistration.objects.filter(company=OuterRef("pk"), **{lookup: value}))
        )

    def filter_updated_since(self, queryset, name, value):
        # Companies carry pledge totals and a registration count: changes there count.
        return queryset.filter(
            Q(updated__gte=value)
            | changed_since(Pledge, value, outer_field="company")
            | changed_since(InterestRegistration, value, outer_field="company")
        )


class InterestRegistrationFilterSet(RegistryFilterSet):
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact")
    status = django_filters.ChoiceFilter(field_name="status", choices=RegistrationStatus.choices)
    status__in = ChoiceInFilter(
        field_name="status", lookup_expr="in", choices=RegistrationStatus.choices
    )
    channel = django_filters.ChoiceFilter(field_name="channel", choices=RegistrationChannel.choices)
    channel__in = ChoiceInFilter(
        field_name="channel", lookup_expr="in", choices=RegistrationChannel.choices
    )
    zone = django_filters.CharFilter(method="filter_zone", label="For zone (slug)")
    zone__in = CharInFilter(method="filter_zone", label="For any of these zones (slugs)")
    zone_id = IdFilter(method="filter_zone", label="For zone (ID)")
    zone_id__in = IdInFilter(method="filter_zone", label="For any of these zones (IDs)")
    province = django_filters.CharFilter(method="filter_zone", label="For a zone in province")
    company_id = IdFilter(field_name="company_id")
    company_id__in = IdInFilter(field_name="company_id", lookup_expr="in")
    origin = django_filters.ChoiceFilter(field_name="company__origin", choices=Origin.choices)
    country = django_filters.CharFilter(field_name="company__country", lookup_expr="iexact")
    country__in = CharInFilter(field_name="company__country", lookup_expr="in")
    sector = django_filters.CharFilter(field_name="company__sector__slug")
    sector__in = CharInFilter(field_name="company__sector__slug", lookup_expr="in")
    planned_investment_usd__gte = MoneyFilter(
        field_name="planned_investment_usd", lookup_expr="gte"
    )
    planned_investment_usd__lte = MoneyFilter(
        field_name="planned_investment_usd", lookup_expr="lte"
    )
    target_date__gte = django_filters.DateFilter(field_name="target_date", lookup_expr="gte")
    target_date__lte = django_filters.DateFilter(field_name="target_date", lookup_expr="lte")

    class Meta:
        model = InterestRegistration
        fields = ()

    def filter_zone(self, queryset, name, value):
        # Exists rather than a join: a registration for two matching zones is listed once.
        lookup = {
            "zone": "slug",
            "zone__in": "slug__in",
            "zone_id": "pk",
            "zone_id__in": "pk__in",
            "province": "province__iexact",
        }[name]
        return queryset.filter(
            Exists(Zone.objects.filter(registrations=OuterRef("pk"), **{lookup: value}))
        )
