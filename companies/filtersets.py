"""Query-string filters for companies and interest registrations (naming: core/filtersets.py)."""

from django.db.models import Exists, OuterRef, Q

from core.filtersets import EXACT, RANGE, Param, RegistryFilterSet, changed_since
from investments.models import Pledge
from zones.models import Zone

from .models import Company, InterestRegistration


class CompanyFilterSet(RegistryFilterSet):
    class Meta:
        model = Company
        fields = {
            "origin": Param(),
            "country": Param(),
            "sector": Param("sector__slug", help="Sector (slug)"),
            "sector_id": Param(help="Sector (ID)"),
            "size": Param(),
            "zone": Param(kind="slug", method="filter_zone", help="Registered for zone (slug)"),
            "zone_id": Param(kind="id", method="filter_zone", help="Registered for zone (ID)"),
            "pledged_usd": Param(kind="money", lookups=RANGE),
        }

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
    class Meta:
        model = InterestRegistration
        fields = {
            "reference": Param(lookups=(EXACT,)),
            "status": Param(),
            "channel": Param(),
            "zone": Param(kind="slug", method="filter_zone", help="For zone (slug)"),
            "zone_id": Param(kind="id", method="filter_zone", help="For zone (ID)"),
            "province": Param(
                kind="text", lookups=(EXACT,), method="filter_zone", help="For a zone in province"
            ),
            "company_id": Param(),
            "origin": Param("company__origin"),
            "country": Param("company__country"),
            "sector": Param("company__sector__slug"),
            "planned_investment_usd": Param(lookups=RANGE),
            "target_date": Param(lookups=RANGE),
        }

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
