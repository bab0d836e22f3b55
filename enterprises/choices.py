"""Licence, plot and annual-return enums with their transition tables."""

from django.db import models


class LicenceStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    APPROVED = "approved", "Approved"
    LICENSED = "licensed", "Licensed"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    SURRENDERED = "surrendered", "Surrendered"
    # Never stored: a licence past its expiry date reads as expired everywhere (see
    # EnterpriseQuerySet.with_effective_status), so nobody has to flip it on the day.
    EXPIRED = "expired", "Expired"


STORED_LICENCE_STATUSES = tuple(s for s in LicenceStatus if s != LicenceStatus.EXPIRED)

# Statuses that carry an issued licence (a number, an issue and an expiry date).
ISSUED_STATUSES = (
    LicenceStatus.LICENSED,
    LicenceStatus.SUSPENDED,
    LicenceStatus.REVOKED,
    LicenceStatus.SURRENDERED,
)

# Statuses whose licence lapses on its expiry date.
EXPIRING_STATUSES = (LicenceStatus.LICENSED, LicenceStatus.SUSPENDED)

# A company holds at most one live application or licence per zone.
LIVE_STATUSES = (
    LicenceStatus.APPLIED,
    LicenceStatus.APPROVED,
    LicenceStatus.LICENSED,
    LicenceStatus.SUSPENDED,
)

LICENCE_STATUS_TRANSITIONS = {
    LicenceStatus.APPLIED: {LicenceStatus.APPROVED},
    LicenceStatus.APPROVED: {LicenceStatus.LICENSED},
    LicenceStatus.LICENSED: {
        LicenceStatus.SUSPENDED,
        LicenceStatus.REVOKED,
        LicenceStatus.SURRENDERED,
    },
    LicenceStatus.SUSPENDED: {
        LicenceStatus.LICENSED,
        LicenceStatus.REVOKED,
        LicenceStatus.SURRENDERED,
    },
    LicenceStatus.REVOKED: set(),
    LicenceStatus.SURRENDERED: set(),
}


class LicenceEventKind(models.TextChoices):
    ISSUED = "issued", "Issued"
    RENEWED = "renewed", "Renewed"
    AMENDED = "amended", "Amended"
    SUSPENDED = "suspended", "Suspended"
    REINSTATED = "reinstated", "Reinstated"
    REVOKED = "revoked", "Revoked"
    SURRENDERED = "surrendered", "Surrendered"


class PlotKind(models.TextChoices):
    LAND = "land", "Serviced land"
    OFFICE = "office", "Built office space"
    WAREHOUSE = "warehouse", "Warehouse or factory shed"
    SHARED = "shared", "Shared or co-working space"


class PlotStatus(models.TextChoices):
    VACANT = "vacant", "Vacant"
    RESERVED = "reserved", "Reserved"
    ALLOCATED = "allocated", "Allocated"
    OCCUPIED = "occupied", "Occupied"


# A plot in these states is held by an enterprise.
HELD_PLOT_STATUSES = (PlotStatus.RESERVED, PlotStatus.ALLOCATED, PlotStatus.OCCUPIED)
# Occupancy counts allocated and occupied plots (a reservation is not yet a tenancy).
TAKEN_PLOT_STATUSES = (PlotStatus.ALLOCATED, PlotStatus.OCCUPIED)


class ReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned to filer"


# Returns still waiting on the filer: overdue once past their due date.
OPEN_RETURN_STATUSES = (ReturnStatus.DUE, ReturnStatus.RETURNED)
# Returns that carry figures.
FILED_RETURN_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, ReturnStatus.RETURNED)

RETURN_STATUS_TRANSITIONS = {
    ReturnStatus.DUE: {ReturnStatus.SUBMITTED},
    ReturnStatus.SUBMITTED: {ReturnStatus.ACCEPTED, ReturnStatus.RETURNED},
    ReturnStatus.RETURNED: {ReturnStatus.SUBMITTED},
    ReturnStatus.ACCEPTED: set(),
}
