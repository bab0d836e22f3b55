"""Programme figures. One function per report, shared by every surface.

The admin dashboard, the public home page and the API's reports call these
functions, so the figures they show cannot disagree.
"""

from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import Coalesce

from companies.models import Company, InterestRegistration
from core.query import MONEY
from zones.models import Zone

from .models import Disbursement, Pledge, Target, TargetMetric


def target_progress(target: Target) -> dict:
    """The current value of a target's metric within its window, and the share reached."""
    if target.metric == TargetMetric.PLEDGED_USD:
        current = (
            Pledge.objects.active()
            .filter(pledged_on__range=(target.start_date, target.due_date))
            .aggregate(v=Coalesce(Sum("amount_usd"), 0, output_field=MONEY))["v"]
        )
    elif target.metric == TargetMetric.REALIZED_USD:
        current = Disbursement.objects.filter(
            disbursed_on__range=(target.start_date, target.due_date)
        ).aggregate(v=Coalesce(Sum("amount_usd"), 0, output_field=MONEY))["v"]
    elif target.metric == TargetMetric.ZONES_OPERATIONAL:
        current = Decimal(Zone.objects.operational().count())
    elif target.metric == TargetMetric.COMPANIES_INTERESTED:
        current = Decimal(
            InterestRegistration.objects.order_by().values("company").distinct().count()
        )
    else:
        current = target.reported_value
    share = None
    if current is not None:
        share = (Decimal(current) / target.target_value * 100).quantize(Decimal("0.1"))
    return {
        "slug": target.slug,
        "name": target.name,
        "metric": target.metric,
        "target_value": target.target_value,
        "baseline_value": target.baseline_value,
        "current_value": current,
        "percent_reached": share,
        "start_date": target.start_date,
        "due_date": target.due_date,
    }


def programme_summary() -> dict:
    """Headline figures: zones by status, companies by origin, money pledged and realised."""
    totals = Pledge.objects.active().totals()
    committed = Pledge.objects.committed().totals()
    return {
        "zone_count": Zone.objects.count(),
        "zones_by_status": Zone.objects.count_by_status(),
        "companies_by_origin": Company.objects.count_by_origin(),
        "registrations_by_status": InterestRegistration.objects.count_by_status(),
        "registrations_awaiting_review": InterestRegistration.objects.awaiting_review().count(),
        "pledged_usd": totals["pledged_usd"],
        "committed_usd": committed["pledged_usd"],
        "realized_usd": totals["realized_usd"],
        "pledge_count": totals["pledge_count"],
        "targets": [target_progress(target) for target in Target.objects.all()],
    }
