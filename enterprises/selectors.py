"""Operating-zone aggregates by zone and fiscal year, for the reports (programme/)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from core import tallies
from core.query import CENT
from zones.models import Zone

from . import summaries
from .choices import OPEN_RETURN_STATUSES, LicenceStatus, PlotStatus, ReturnStatus
from .models import AnnualReturn, Enterprise, Plot
from .querysets import AREA_SUM, occupancy_pct

RETURN_FIGURES = (
    "employees_total",
    "employees_women",
    "employees_foreign",
    "exports_usd",
    "domestic_sales_usd",
    "investment_usd",
)
MONEY_FIGURES = ("exports_usd", "domestic_sales_usd", "investment_usd")
# A zone's operating figures before any licence or plot is counted.
EMPTY_OPERATING: dict[str, Any] = {
    # Licences by effective status: applied_count … expired_count.
    **{f"{status}_count": 0 for status in LicenceStatus.values},
    "plot_count": 0,
    "allocated_plot_count": 0,
    "occupied_plot_count": 0,
    "total_area_m2": Decimal("0.00"),
    "allocated_area_m2": Decimal("0.00"),
    "occupied_area_m2": Decimal("0.00"),
}


@dataclass(frozen=True)
class ZoneOperating:
    """One zone's operating picture: licences by effective status, plots and occupancy."""

    zone: str
    zone_name: str
    applied_count: int
    approved_count: int
    licensed_count: int
    suspended_count: int
    expired_count: int
    revoked_count: int
    surrendered_count: int
    plot_count: int
    allocated_plot_count: int
    occupied_plot_count: int
    total_area_m2: Decimal
    allocated_area_m2: Decimal
    occupied_area_m2: Decimal
    occupancy_pct: Decimal | None


def operating_by_zone(
    zone_q: Q, as_of: datetime.date | None = None, *, plots_from_tallies: bool = False
) -> tuple[ZoneOperating, ...]:
    """Per zone: enterprises by effective status, plots and area allocated/occupied, occupancy.

    Two grouped queries whatever the number of zones; zones with neither licences nor plots
    are left out. `plots_from_tallies` reads the plots' figures from their tallies
    (enterprises/summaries.py): for the whole programme (`zone_q` empty) of the live
    registry only, which the caller knows.
    """
    as_of = as_of or timezone.localdate()
    zones: dict[int, dict[str, Any]] = {}

    def zone_row(zone_id: int, slug: str, name: str) -> dict[str, Any]:
        # Built only for a zone not seen yet: a thousand zones come by several times each.
        row = zones.get(zone_id)
        if row is None:
            row = zones[zone_id] = {"zone": slug, "zone_name": name, **EMPTY_OPERATING}
        return row

    # Typed loosely: the annotation is added by a queryset method the type checker cannot see.
    annotated: QuerySet[Any, Any] = Enterprise.objects.filter(zone_q).with_effective_status(as_of)
    enterprises = (
        annotated.order_by()
        .values("zone_id", "zone__slug", "zone__name", "effective_status")
        .annotate(n=Count("pk"))
    )
    for row in enterprises:
        target = zone_row(row["zone_id"], row["zone__slug"], row["zone__name"])
        target[f"{row['effective_status']}_count"] = row["n"]
    if plots_from_tallies and not zone_q:
        _plots_from_tallies(zone_row)
    else:
        _plots_from_rows(zone_q, zone_row)
    return tuple(
        ZoneOperating(
            **row,
            occupancy_pct=occupancy_pct(
                row["allocated_area_m2"] + row["occupied_area_m2"], row["total_area_m2"]
            ),
        )
        for row in sorted(zones.values(), key=lambda r: r["zone_name"])
    )


def _plots_from_tallies(zone_row: Callable[..., dict[str, Any]]) -> None:
    figures = summaries.by_zone()
    names = Zone.objects.filter(pk__in=list(figures)).values_list("pk", "slug", "name")
    for zone_id, slug, name in names:
        statuses = figures[zone_id]
        target = zone_row(zone_id, slug, name)
        allocated = statuses.get(PlotStatus.ALLOCATED, tallies.NO_TOTALS)
        occupied = statuses.get(PlotStatus.OCCUPIED, tallies.NO_TOTALS)
        target["plot_count"] = sum(tally.count for tally in statuses.values())
        target["allocated_plot_count"] = allocated.count
        target["occupied_plot_count"] = occupied.count
        target["total_area_m2"] = sum((t.amount for t in statuses.values()), Decimal("0.00"))
        target["allocated_area_m2"] = allocated.amount
        target["occupied_area_m2"] = occupied.amount


def _plots_from_rows(zone_q: Q, zone_row: Callable[..., dict[str, Any]]) -> None:
    plots = (
        Plot.objects.filter(zone_q)
        .order_by()
        .values("zone_id", "zone__slug", "zone__name")
        .annotate(
            plot_count=Count("pk"),
            allocated_plot_count=Count("pk", filter=Q(status=PlotStatus.ALLOCATED)),
            occupied_plot_count=Count("pk", filter=Q(status=PlotStatus.OCCUPIED)),
            total_area_m2=Sum("area_m2", output_field=AREA_SUM),
            allocated_area_m2=Sum(
                "area_m2", filter=Q(status=PlotStatus.ALLOCATED), output_field=AREA_SUM
            ),
            occupied_area_m2=Sum(
                "area_m2", filter=Q(status=PlotStatus.OCCUPIED), output_field=AREA_SUM
            ),
        )
    )
    for plot_row in plots:
        sums: dict[str, Any] = dict(plot_row)
        target = zone_row(sums["zone_id"], sums["zone__slug"], sums["zone__name"])
        for key in ("plot_count", "allocated_plot_count", "occupied_plot_count"):
            target[key] = sums[key]
        for key in ("total_area_m2", "allocated_area_m2", "occupied_area_m2"):
            target[key] = Decimal(sums[key] or 0).quantize(CENT)


def accepted_returns(zone_q: Q, year_q: Q) -> QuerySet[AnnualReturn]:
    """Accepted returns of enterprises in the zones in scope: what performance counts."""
    return AnnualReturn.objects.accepted().filter(zone_q, year_q)


def performance_by_zone_and_year(zone_q: Q, year_q: Q) -> list[dict[str, Any]]:
    """Jobs, exports, sales and investment from accepted returns, by zone and fiscal year.

    An enterprise files one return a year (annualreturn_one_per_enterprise_year) and is in
    one zone, so a group's returns are its enterprises: counting them needs no DISTINCT,
    which at a hundred thousand returns costs more than the rest of the query. Grouped by
    zone id, with the zones' names read after, it is a hash aggregate over the returns alone.
    """
    rows = (
        accepted_returns(zone_q, year_q)
        .order_by()
        .values("fiscal_year", "enterprise__zone_id")
        .annotate(return_count=Count("pk"), **{figure: Sum(figure) for figure in RETURN_FIGURES})
    )
    found: list[dict[str, Any]] = [dict(row) for row in rows]
    zones = {
        pk: (slug, name)
        for pk, slug, name in Zone.objects.filter(
            pk__in={row["enterprise__zone_id"] for row in found}
        ).values_list("pk", "slug", "name")
    }
    out = []
    for row in found:
        slug, name = zones[row["enterprise__zone_id"]]
        figures = {figure: _figure(figure, row[figure]) for figure in RETURN_FIGURES}
        out.append(
            {
                "fiscal_year": row["fiscal_year"],
                "zone": slug,
                "zone_name": name,
                "enterprise_count": row["return_count"],
                "return_count": row["return_count"],
                **figures,
            }
        )
    return sorted(out, key=lambda row: (row["fiscal_year"], row["zone"], row["zone_name"]))


def performance_by_year(by_zone_and_year: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The zone rows summed by fiscal year: an enterprise is counted in its one zone."""
    years: dict[str, dict[str, Any]] = {}
    counted = ("enterprise_count", "return_count", *RETURN_FIGURES)
    for row in by_zone_and_year:
        year = years.setdefault(
            row["fiscal_year"],
            {"fiscal_year": row["fiscal_year"], **dict.fromkeys(counted, 0)},
        )
        for name in counted:
            year[name] += row[name]
    return [
        {**year, **{figure: _figure(figure, year[figure]) for figure in RETURN_FIGURES}}
        for _, year in sorted(years.items())
    ]


def _figure(name: str, value: Any) -> int | Decimal:
    # A figure no return reported sums to NULL, shown as 0.
    return Decimal(value or 0).quantize(CENT) if name in MONEY_FIGURES else int(value or 0)


def return_compliance(zone_q: Q, year_q: Q, as_of: datetime.date) -> list[dict[str, Any]]:
    """By fiscal year: returns due by `as_of`, filed on time, filed late, overdue, not yet due."""
    filed = Q(submitted_on__isnull=False)
    rows = (
        AnnualReturn.objects.filter(zone_q, year_q)
        .order_by("fiscal_year")
        .values("fiscal_year")
        .annotate(
            return_count=Count("pk"),
            due_count=Count("pk", filter=Q(due_on__lt=as_of)),
            filed_on_time_count=Count("pk", filter=filed & Q(submitted_on__lte=F("due_on"))),
            filed_late_count=Count("pk", filter=filed & Q(submitted_on__gt=F("due_on"))),
            overdue_count=Count("pk", filter=Q(status__in=OPEN_RETURN_STATUSES, due_on__lt=as_of)),
            accepted_count=Count("pk", filter=Q(status=ReturnStatus.ACCEPTED)),
            not_yet_due_count=Count("pk", filter=Q(due_on__gte=as_of) & ~filed),
        )
    )
    return [dict(row) for row in rows]
