"""Pledge and target enums, and which pledge states count for what."""

from django.db import models


class PledgeStatus(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    COMMITTED = "committed", "Committed"
    IN_PROGRESS = "in_progress", "In progress"
    REALIZED = "realized", "Realised"
    CANCELLED = "cancelled", "Cancelled"


# A pledge in these states is money the company has bound itself to.
COMMITTED_STATUSES = (PledgeStatus.COMMITTED, PledgeStatus.IN_PROGRESS, PledgeStatus.REALIZED)


class TargetMetric(models.TextChoices):
    PLEDGED_USD = "pledged_usd", "Private investment pledged (USD)"
    REALIZED_USD = "realized_usd", "Private investment realised (USD)"
    ZONES_OPERATIONAL = "zones_operational", "Zones operational"
    COMPANIES_INTERESTED = "companies_interested", "Companies registered"
    IT_EXPORTS_USD = "it_exports_usd", "IT exports per year (USD)"


# Metrics measured in US dollars (shown as money).
MONEY_METRICS = (TargetMetric.PLEDGED_USD, TargetMetric.REALIZED_USD, TargetMetric.IT_EXPORTS_USD)
