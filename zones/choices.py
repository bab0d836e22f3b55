"""Zone enums and the rollout's transition table, shared by models, querysets and services."""

from django.db import models


class ZoneStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    UNDER_DEVELOPMENT = "under_development", "Under development"
    OPERATIONAL = "operational", "Operational"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


# Which status may follow which: the rollout runs forward; suspension can be
# lifted to any active stage; cancellation is final.
ZONE_STATUS_TRANSITIONS = {
    ZoneStatus.PROPOSED: {ZoneStatus.APPROVED, ZoneStatus.CANCELLED},
    ZoneStatus.APPROVED: {
        ZoneStatus.UNDER_DEVELOPMENT,
        ZoneStatus.SUSPENDED,
        ZoneStatus.CANCELLED,
    },
    ZoneStatus.UNDER_DEVELOPMENT: {
        ZoneStatus.OPERATIONAL,
        ZoneStatus.SUSPENDED,
        ZoneStatus.CANCELLED,
    },
    ZoneStatus.OPERATIONAL: {ZoneStatus.SUSPENDED},
    ZoneStatus.SUSPENDED: {
        ZoneStatus.APPROVED,
        ZoneStatus.UNDER_DEVELOPMENT,
        ZoneStatus.OPERATIONAL,
        ZoneStatus.CANCELLED,
    },
    ZoneStatus.CANCELLED: set(),
}

# The forward rollout that pages draw as steps; suspension and cancellation are notices.
ROLLOUT_STEPS = (
    ZoneStatus.PROPOSED,
    ZoneStatus.APPROVED,
    ZoneStatus.UNDER_DEVELOPMENT,
    ZoneStatus.OPERATIONAL,
)

# A zone in these states takes no new registrations.
CLOSED_TO_REGISTRATION = (ZoneStatus.CANCELLED,)


class IncentiveKind(models.TextChoices):
    TAX_WAIVER = "tax_waiver", "Tax waiver"
    CUSTOMS_EXEMPTION = "customs_exemption", "Customs-duty exemption"
    OTHER = "other", "Other"
