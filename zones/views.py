"""The public zone catalogue: the zone list and a zone's page."""

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from enterprises.models import Enterprise
from enterprises.selectors import operating_by_zone
from investments.models import Pledge
from investments.selectors import zones_with_pledge_totals

from .choices import CLOSED_TO_REGISTRATION, ROLLOUT_STEPS, ZoneStatus
from .filtersets import ZoneFilterSet
from .map import zone_map
from .models import Sector, Zone, ZoneStatusChange

ZONES_PER_PAGE = 12


def zone_list(request):
    """Every zone, filterable by province, status and sector through the shared ZoneFilterSet."""
    zones = (
        zones_with_pledge_totals(Zone.objects.select_related("developer"))
        .prefetch_related("sectors")
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
        # The map shows this page's zones, the same as the cards under it: no query of its own.
        "zone_map": zone_map(page.object_list),
    }
    return render(request, "public/zone_list.html", context)


LARGEST_PLEDGES_SHOWN = 25


def zone_detail(request, slug):
    """One zone: who builds it, where, what it offers, how far its rollout has come."""
    zone = get_object_or_404(
        zones_with_pledge_totals(Zone.objects.select_related("developer")).prefetch_related(
            "sectors",
            "incentives",
            Prefetch(
                "status_changes",
                queryset=ZoneStatusChange.objects.order_by("changed_on", "id"),
            ),
        ),
        slug=slug,
    )
    # The largest only: a busy zone holds a fifth of a million-pledge programme (scale L).
    pledges = (
        Pledge.objects.active()
        .filter(zone=zone)
        .select_related("company")
        .order_by("-amount_usd", "-id")[:LARGEST_PLEDGES_SHOWN]
    )
    context = {
        "zone": zone,
        "rollout": _rollout_steps(zone.status),
        "pledges": pledges,
        "interested_company_count": zone.registrations.values("company").distinct().count(),
        "accepts_registrations": zone.status not in CLOSED_TO_REGISTRATION,
        # The operating zone: the same selector as the rollout report, and the public register.
        "operating": next(iter(operating_by_zone(Q(zone=zone))), None),
        "register": Enterprise.objects.public_register()
        .with_effective_status()
        .filter(zone=zone)
        .select_related("company")
        .order_by("company__name"),
        # Where this zone is, on the same map as the catalogue's: the zone alone, highlighted,
        # so the page needs no query for it.
        "zone_map": zone_map([zone], highlight=zone),
    }
    return render(request, "public/zone_detail.html", context)


def _rollout_steps(current):
    reached = ROLLOUT_STEPS.index(current) if current in ROLLOUT_STEPS else -1
    return [
        {"label": step.label, "done": index <= reached, "current": index == reached}
        for index, step in enumerate(ROLLOUT_STEPS)
    ]
