from django.apps import apps
from django.db import models
from django.db.models import Count

from core.query import subquery_count, subquery_sum


class ZoneQuerySet(models.QuerySet):
    def operational(self):
        return self.filter(status="operational")

    def with_pledge_totals(self):
        """Annotate pledged_usd, realized_usd and pledge_count (cancelled pledges excluded)."""
        pledges = apps.get_model("investments", "Pledge").objects.active()
        return self.annotate(
            pledged_usd=subquery_sum(pledges, "amount_usd", outer_field="zone"),
            realized_usd=subquery_sum(pledges, "realized_usd", outer_field="zone"),
            pledge_count=subquery_count(pledges, outer_field="zone"),
        )

    def count_by_status(self):
        """{status: number of zones}, with every status present (zero when none)."""
        from .models import ZoneStatus

        counts = dict.fromkeys(ZoneStatus.values, 0)
        rows = self.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
        counts.update(rows)
        return counts
