"""What the admin index shows: the programme dashboard, from the shared report functions."""

import dataclasses

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from companies.choices import AWAITING_REVIEW
from companies.models import Company, Interaction, InterestRegistration
from core.charts import bar_rows
from core.formats import money
from investments.choices import MONEY_METRICS, TargetMetric
from investments.models import Pledge
from zones.choices import ZoneStatus
from zones.models import Zone

from .as_of import check_as_of
from .reports import programme_summary

# How many rows the "awaiting review" and "latest changes" panels show.
DASHBOARD_ROWS = 10


def zone_status_rows(zones_by_status):
    return bar_rows([(status.label, zones_by_status.get(status.value, 0)) for status in ZoneStatus])


def money_rows(summary):
    """Pledged, committed and realised USD side by side, against the largest money target."""
    money_targets = [
        target
        for target in summary.targets
        if target.metric in (TargetMetric.PLEDGED_USD, TargetMetric.REALIZED_USD)
    ]
    pairs = [
        ("Pledged (active)", summary.pledged_usd),
        ("Committed", summary.committed_usd),
        ("Realised", summary.realized_usd),
    ]
    pairs += [(f"Target: {target.name}", target.target_value) for target in money_targets]
    return bar_rows(pairs)


def target_rows(targets, today):
    """The targets as the dashboard shows them: each marked reached, overdue or on its way.

    Overdue means the due date has passed short of the goal: such a target must not look like
    any other progress bar.
    """
    rows = []
    for target in targets:
        share = target.percent_reached
        reached = share is not None and share >= 100
        rows.append(
            {
                **dataclasses.asdict(target),
                "reached": reached,
                "is_money": target.metric in MONEY_METRICS,
                "overdue": target.due_date < today and not reached,
                "bar_percent": min(share, 100) if share is not None else 0,
            }
        )
    return rows


def awaiting_review_url():
    """The registrations list narrowed to exactly what the "awaiting review" count counts."""
    changelist = reverse("admin:companies_interestregistration_changelist")
    return f"{changelist}?status__in={','.join(AWAITING_REVIEW)}"


def latest_changes(limit=DASHBOARD_ROWS):
    """The newest history records across zones, companies, registrations and pledges.

    One query per history table (each already limited), merged in Python: a UNION across
    tables with different columns is not worth its SQL for ten rows.
    """
    labels = {
        Zone: lambda record: record.name,
        Company: lambda record: record.name,
        InterestRegistration: lambda record: record.reference,
        Pledge: lambda record: f"Pledge #{record.id}: {money(record.amount, record.currency)}",
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


class AsOfForm(forms.Form):
    """`?as_of=` on the dashboard: its figures as they stood at the end of a past day."""

    as_of = forms.DateField(
        required=False,
        label="Figures as of",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[check_as_of],
        help_text="The end of a past day; empty for now.",
    )


def admin_dashboard(request):
    """Everything the admin index shows, from the same report functions the API uses."""
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None
    summary = programme_summary(as_of)
    awaiting = []
    if request.user.has_perm("companies.view_interestregistration"):
        awaiting = list(
            InterestRegistration.objects.awaiting_review()
            .select_related("company")
            .order_by("created")[:DASHBOARD_ROWS]
        )
    follow_ups = []
    if request.user.has_perm("companies.view_interaction"):
        follow_ups = list(
            Interaction.objects.follow_ups_due(timezone.localdate())
            .select_related("company", "officer")
            .order_by("next_follow_up_on", "company__name")[:DASHBOARD_ROWS]
        )
    return {
        "as_of_form": as_of_form,
        "as_of": as_of,
        "summary": summary,
        # The review queue is today's work, whatever day the figures are from.
        "awaiting_review_count": (
            InterestRegistration.objects.awaiting_review().count()
            if as_of
            else summary.registrations_awaiting_review
        ),
        "follow_ups_due": follow_ups,
        "zone_status_rows": zone_status_rows(summary.zones_by_status),
        "money_rows": money_rows(summary),
        "targets": target_rows(summary.targets, as_of or timezone.localdate()),
        "awaiting_review": awaiting,
        "awaiting_review_url": awaiting_review_url(),
        "latest_changes": latest_changes(),
    }
