import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from core.query import CENT, MONEY_SUM

from .choices import COMMITTED_STATUSES, PledgeStatus

if TYPE_CHECKING:
    from .models import ExchangeRate

# Which pledges count towards the programme, and which are committed: the one definition,
# used as queryset filters below and as aggregate filters (Sum(..., filter=...)) in reports.
COUNTS_TOWARDS_PROGRAMME = ~Q(status=PledgeStatus.CANCELLED)
COMMITTED = Q(status__in=COMMITTED_STATUSES)


class ExchangeRateQuerySet(models.QuerySet["ExchangeRate"]):
    def rate_on(self, currency: str, on_date: datetime.date) -> "ExchangeRate | None":
        """The latest rate for `currency` on or before `on_date`, or None."""
        return self.filter(currency=currency, date__lte=on_date).order_by("-date").first()


class PledgeQuerySet(models.QuerySet):
    def active(self) -> Self:
        """Pledges that still count towards the programme (not cancelled)."""
        return self.filter(COUNTS_TOWARDS_PROGRAMME)

    def committed(self) -> Self:
        return self.filter(COMMITTED)

    def totals(self) -> dict[str, Any]:
        """{pledged_usd, realized_usd, pledge_count} over this queryset in one query."""
        totals = self.order_by().aggregate(
            pledged_usd=Coalesce(Sum("amount_usd"), 0, output_field=MONEY_SUM),
            realized_usd=Coalesce(Sum("realized_usd"), 0, output_field=MONEY_SUM),
            pledge_count=Count("pk"),
        )
        # SQLite sums decimals as floats; round back to cents so both databases agree.
        for key in ("pledged_usd", "realized_usd"):
            totals[key] = Decimal(totals[key]).quantize(CENT)
        return totals
