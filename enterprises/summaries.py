"""Plot tallies: each zone's plots and area by status, kept current on write (ADR 0710).

A tally (core/tallies.py) with the zone as the member: scope "plots", key the plot status,
count the plots and amount their area in m². The member rows are the per-zone figures the
rollout report shows; the tallies' totals are the programme's. The receivers
(enterprises/receivers.py) add the difference every plot write makes.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from core import tallies
from core.models import TallyMember
from core.query import CENT

from .models import Plot

PLOT_SCOPE = "plots"


def contributions(plots: "QuerySet[Plot] | Iterable[int]") -> tallies.Delta:
    """What the plots (a queryset or ids) add to the tallies (one query)."""
    if not isinstance(plots, QuerySet):
        plots = Plot.objects.filter(pk__in=list(plots))
    delta: tallies.Delta = {}
    for zone_id, status, area in plots.order_by().values_list("zone_id", "status", "area_m2"):
        count, total = delta.get((PLOT_SCOPE, status, zone_id), (0, Decimal("0")))
        delta[(PLOT_SCOPE, status, zone_id)] = (count + 1, total + area)
    return delta


def expected() -> tallies.Delta:
    """Every plot tally member recomputed from the plots (one grouped query)."""
    return {
        (PLOT_SCOPE, row["status"], row["zone_id"]): (
            row["n"],
            Decimal(row["area"] or 0).quantize(CENT),
        )
        for row in Plot.objects.order_by()
        .values("zone_id", "status")
        .annotate(n=Count("pk"), area=Sum("area_m2"))
    }


def by_zone(zone_ids: Iterable[int] | None = None) -> dict[int, dict[str, tallies.TallyTotals]]:
    """{zone id: {status: plots and area}} from the member rows (one query)."""
    rows = TallyMember.objects.filter(scope=PLOT_SCOPE, count__gt=0)
    if zone_ids is not None:
        rows = rows.filter(member__in=zone_ids)
    found: dict[int, dict[str, tallies.TallyTotals]] = {}
    for zone_id, status, count, area in rows.order_by().values_list(
        "member", "key", "count", "amount"
    ):
        found.setdefault(zone_id, {})[status] = tallies.TallyTotals(
            members=1, count=count, amount=Decimal(area).quantize(CENT)
        )
    return found


def verify(*, repair: bool = False) -> list[tallies.RowDifference]:
    """Tally rows that differ from the plots; `repair` rewrites them."""
    if not repair:
        return tallies.differences([PLOT_SCOPE], expected())
    with transaction.atomic():
        tallies.lock_for_recount(Plot)
        found = tallies.differences([PLOT_SCOPE], expected())
        if found:
            tallies.rebuild([PLOT_SCOPE], expected())
    return found


def rebuild() -> int:
    with transaction.atomic():
        tallies.lock_for_recount(Plot)
        return tallies.rebuild([PLOT_SCOPE], expected())
