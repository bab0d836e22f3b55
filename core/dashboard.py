"""The admin site with the programme dashboard on its index page.

Django builds `admin.site` from the admin app's `default_site`, so the registry swaps in
`RegistryAdminConfig` for `django.contrib.admin` (settings, "Admin" block) and every
`@admin.register` in the apps lands on `RegistryAdminSite`. This module is imported while the
app registry is still loading, so models are imported inside the functions, never at the top.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# How many rows the "awaiting review" and "latest changes" panels show.
DASHBOARD_ROWS = 10


class RegistryAdminConfig(AdminConfig):
    default_site = "core.dashboard.RegistryAdminSite"


class RegistryAdminSite(admin.AdminSite):
    site_header = "Technology Zones Registry"
    site_title = "Zones Registry admin"
    index_title = "Programme workbench"

    def index(self, request, extra_context=None):
        context = {"dashboard": admin_dashboard(request)}
        context.update(extra_context or {})
        return super().index(request, extra_context=context)


def _bar_rows(pairs):
    """[(label, value)] → rows with the bar's share of the largest value, for SVG widths."""
    largest = max((value for _, value in pairs), default=0) or 1
    return [
        {"label": label, "value": value, "percent": round(100 * float(value) / float(largest), 1)}
        for label, value in pairs
    ]


def zone_status_rows(zones_by_status):
    from zones.models import ZoneStatus

    return _bar_rows(
        [(status.label, zones_by_status.get(status.value, 0)) for status in ZoneStatus]
    )


def money_rows(summary):
    """Pledged, committed and realised USD side by side, against the largest money target."""
    from investments.models import TargetMetric

    money_targets = [
        target
        for target in summary["targets"]
        if target["metric"] in (TargetMetric.PLEDGED_USD, TargetMetric.REALIZED_USD)
    ]
    pairs = [
        ("Pledged (active)", summary["pledged_usd"]),
        ("Committed", summary["committed_usd"]),
        ("Realised", summary["realized_usd"]),
    ]
    pairs += [(f"Target: {target['name']}", target["target_value"]) for target in money_targets]
    return _bar_rows(pairs)


def latest_changes(limit=DASHBOARD_ROWS):
    """The newest history records across zones, companies, registrations and pledges.

    One query per history table (each already limited), merged in Python: a UNION across
    tables with different columns is not worth its SQL for ten rows.
    """
    from django.urls import NoReverseMatch, reverse

    from companies.models import Company, InterestRegistration
    from investments.models import Pledge
    from zones.models import Zone

    labels = {
        Zone: lambda record: record.name,
        Company: lambda record: record.name,
        InterestRegistration: lambda record: record.reference,
        Pledge: lambda record: f"Pledge #{record.id}: {record.amount:,} {record.currency}",
    }
    kinds = {"+": "added", "~": "changed", "-": "deleted"}
    changes = []
    for model, label in labels.items():
        records = model.history.select_related("history_user").order_by("-history_date")[:limit]
        for record in records:
            try:
                url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
                    args=(record.id,),
                )
            except NoReverseMatch:
                url = ""
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "kind": kinds.get(record.history_type, record.history_type),
                    "model": model._meta.verbose_name,
                    "label": label(record),
                    "url": url if record.history_type != "-" else "",
                }
            )
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:limit]


def admin_dashboard(request):
    """Everything the admin index shows, from the same report functions the API uses."""
    from companies.models import InterestRegistration
    from investments import reports

    summary = reports.programme_summary()
    awaiting = []
    if request.user.has_perm("companies.view_interestregistration"):
        awaiting = list(
            InterestRegistration.objects.awaiting_review()
            .select_related("company")
            .order_by("created")[:DASHBOARD_ROWS]
        )
    return {
        "summary": summary,
        "zone_status_rows": zone_status_rows(summary["zones_by_status"]),
        "money_rows": money_rows(summary),
        "awaiting_review": awaiting,
        "latest_changes": latest_changes(),
    }
