"""Query-string filters for pledges (naming: core/filtersets.py)."""

from django.db.models import Q

from core.filtersets import EXACT, RANGE, Param, RegistryFilterSet, changed_since

from .models import Disbursement, Pledge


class PledgeFilterSet(RegistryFilterSet):
    class Meta:
        model = Pledge
        fields = {
            "status": Param(),
            "currency": Param(),
            "zone": Param("zone__slug", help="Zone (slug)"),
            "zone_id": Param(help="Zone (ID)"),
            "province": Param("zone__province"),
            "city": Param("zone__city"),
            "developer": Param("zone__developer__slug", help="Developer (slug)"),
            "developer_id": Param("zone__developer_id", help="Developer (ID)"),
            "company_id": Param(),
            "registration": Param(
                "registration__reference", lookups=(EXACT,), help="Registration reference"
            ),
            "origin": Param("company__origin"),
            "country": Param("company__country"),
            "sector": Param("company__sector__slug"),
            "pledged_on": Param(lookups=(EXACT, *RANGE)),
            "amount": Param(lookups=RANGE),
            "amount_usd": Param(lookups=RANGE),
            "realized_usd": Param(lookups=RANGE),
        }

    def filter_updated_since(self, queryset, name, value):
        # A disbursement changes the pledge's realised figures; count it as a change
        # even if the pledge row's own stamp was not touched.
        return queryset.filter(
            Q(updated__gte=value)
            | changed_since(Disbursement, value, outer_field="pledge", stamp="created")
        )
