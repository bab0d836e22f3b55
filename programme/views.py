"""The public home page: the programme's headline figures and the zones attracting most money."""

from dataclasses import asdict

from django.shortcuts import render

from companies.choices import Origin
from core.charts import bar_rows, percent, progress_percent
from investments.choices import MONEY_METRICS, TargetMetric
from investments.selectors import zones_with_pledge_totals
from zones.choices import ZoneStatus
from zones.models import Zone

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
    pledged_target = next(
        (t for t in summary.targets if t.metric == TargetMetric.PLEDGED_USD), None
    )
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
            pledged_target.percent_reached if pledged_target else None
        ),
        "other_targets": [
            {
                **asdict(target),
                "bar_percent": progress_percent(target.percent_reached),
                "is_money": target.metric in MONEY_METRICS,
            }
            for target in summary.targets
            if target is not pledged_target
        ],
        "featured_zones": featured_zones,
    }
    return render(request, "public/home.html", context)
