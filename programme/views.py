"""The public home page: the programme's headline figures and the zones attracting most money."""

from django.shortcuts import render
from django.utils import timezone

from companies.choices import Origin
from core.charts import bar_rows, percent, progress_percent
from investments.choices import MONEY_METRICS, TargetMetric
from investments.selectors import target_local_names, zones_with_pledge_totals
from zones.choices import ZoneStatus
from zones.map import MAP_ZONE_FIELDS, zone_map
from zones.models import Zone

from .dashboard import target_rows
from .reports import programme_summary

HOME_FEATURED_ZONES = 6


def home(request):
    """Headline figures from the shared programme report, and the zones attracting most money."""
    summary = programme_summary()
    zones_by_status = summary.zones_by_status
    status_bars = [
        {"status": status, **row}
        for status, row in zip(
            ZoneStatus.values,
            bar_rows(
                (label, zones_by_status.get(status, 0)) for status, label in ZoneStatus.choices
            ),
            strict=True,
        )
    ]
    companies = summary.companies_by_origin
    company_total = sum(companies.values())
    # Marked the way the staff dashboard marks them, so an overdue target never looks on track.
    targets = target_rows(summary.targets, timezone.localdate())
    local_names = target_local_names()
    for target in targets:
        target["local_name"] = local_names.get(target["slug"], target["name"])
    pledged_target = next((t for t in targets if t["metric"] == TargetMetric.PLEDGED_USD), None)
    featured_zones = (
        zones_with_pledge_totals(
            Zone.objects.in_programme().open_for_registration().select_related("developer")
        )
        .prefetch_related("sectors")
        .order_by("-pledged_usd", "name")[:HOME_FEATURED_ZONES]
    )
    context = {
        "summary": summary,
        "status_bars": status_bars,
        "company_total": company_total,
        "domestic_percent": percent(companies.get(Origin.DOMESTIC, 0), company_total),
        "pledged_target": pledged_target,
        "pledged_percent_bar": progress_percent(
            pledged_target["percent_reached"] if pledged_target else None
        ),
        "other_targets": [
            {
                **target,
                "bar_percent": progress_percent(target["percent_reached"]),
                "is_money": target["metric"] in MONEY_METRICS,
            }
            for target in targets
            if target is not pledged_target
        ],
        "featured_zones": featured_zones,
        # One query: only the fields a marker needs, every zone of the programme.
        "zone_map": zone_map(Zone.objects.in_programme().only(*MAP_ZONE_FIELDS).order_by("name")),
    }
    return render(request, "public/home.html", context)
