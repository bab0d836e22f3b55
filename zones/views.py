"""The public zone catalogue: the home page's headline figures, the zone list and a zone's page."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from investments.models import Pledge, TargetMetric
from investments.reports import programme_summary

from .filtersets import ZoneFilterSet
from .models import Sector, Zone, ZoneStatus, ZoneStatusChange

ZONES_PER_PAGE = 12
HOME_FEATURED_ZONES = 6
# The forward rollout a zone's page draws as steps; suspension and cancellation are notices.
ROLLOUT_STEPS = (
    ZoneStatus.PROPOSED,
    ZoneStatus.APPROVED,
    ZoneStatus.UNDER_DEVELOPMENT,
    ZoneStatus.OPERATIONAL,
)


def home(request):
    """Headline figures from the shared programme report, and the zones attracting most money."""
    summary = programme_summary()
    zones_by_status = summary["zones_by_status"]
    largest = max(zones_by_status.values(), default=0) or 1
    status_bars = [
        {
            "status": status,
            "label": label,
            "count": zones_by_status.get(status, 0),
            "percent": round(zones_by_status.get(status, 0) * 100 / largest, 1),
        }
        for status, label in ZoneStatus.choices
    ]
    companies = summary["companies_by_origin"]
    company_total = sum(companies.values())
    pledged_target = next(
        (t for t in summary["targets"] if t["metric"] == TargetMetric.PLEDGED_USD), None
    )
    featured_zones = (
        Zone.objects.exclude(status=ZoneStatus.CANCELLED)
        .select_related("developer")
        .prefetch_related("sectors")
        .with_pledge_totals()
        .order_by("-pledged_usd", "name")[:HOME_FEATURED_ZONES]
    )
    context = {
        "summary": summary,
        "status_bars": status_bars,
        "company_total": company_total,
        "domestic_percent": _percent(companies.get("domestic", 0), company_total),
        "pledged_target": pledged_target,
        "pledged_percent_bar": _bar_percent(pledged_target),
        "other_targets": [
            {
                **target,
                "bar_percent": _bar_percent(target),
                "is_money": target["metric"].endswith("_usd"),
            }
            for target in summary["targets"]
            if target is not pledged_target
        ],
        "featured_zones": featured_zones,
    }
    return render(request, "public/home.html", context)


def zone_list(request):
    """Every zone, filterable by province, status and sector through the shared ZoneFilterSet."""
    zones = (
        Zone.objects.select_related("developer")
        .prefetch_related("sectors")
        .with_pledge_totals()
        .order_by("name")
    )
    # Always bound (an empty QueryDict filters nothing) so invalid values are reported.
    filterset = ZoneFilterSet(request.GET, queryset=zones)
    page = Paginator(filterset.qs, ZONES_PER_PAGE).get_page(request.GET.get("page"))
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    chosen = {
        "q": request.GET.get("q", ""),
        "province": request.GET.get("province", ""),
        "statuses": request.GET.getlist("status"),
        "sector": request.GET.get("sector", ""),
    }
    context = {
        "page": page,
        "filterset": filterset,
        "chosen": chosen,
        "is_filtered": any(chosen.values()),
        "provinces": (
            Zone.objects.order_by("province").values_list("province", flat=True).distinct()
        ),
        "sectors": Sector.objects.order_by("name"),
        "statuses": ZoneStatus.choices,
        "page_query": query_without_page.urlencode(),
    }
    return render(request, "public/zone_list.html", context)


def zone_detail(request, slug):
    """One zone: who builds it, where, what it offers, how far its rollout has come."""
    zone = get_object_or_404(
        Zone.objects.select_related("developer")
        .prefetch_related(
            "sectors",
            "incentives",
            Prefetch(
                "status_changes",
                queryset=ZoneStatusChange.objects.order_by("changed_on", "id"),
            ),
        )
        .with_pledge_totals(),
        slug=slug,
    )
    pledges = (
        Pledge.objects.active().filter(zone=zone).select_related("company").order_by("-amount_usd")
    )
    context = {
        "zone": zone,
        "rollout": _rollout_steps(zone.status),
        "pledges": pledges,
        "interested_company_count": zone.registrations.values("company").distinct().count(),
        "accepts_registrations": zone.status != ZoneStatus.CANCELLED,
    }
    return render(request, "public/zone_detail.html", context)


def _rollout_steps(current):
    reached = ROLLOUT_STEPS.index(current) if current in ROLLOUT_STEPS else -1
    return [
        {"label": step.label, "done": index <= reached, "current": index == reached}
        for index, step in enumerate(ROLLOUT_STEPS)
    ]


def _percent(part, whole):
    return round(part * 100 / whole, 1) if whole else 0


def _bar_percent(target):
    """How much of a progress bar to fill: the share reached, capped at a full bar."""
    if not target or target["percent_reached"] is None:
        return 0
    return min(float(target["percent_reached"]), 100.0)
