"""Writes for zones that carry rules: the rollout's status history."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from .choices import ZONE_STATUS_TRANSITIONS, ZoneStatus
from .models import Zone, ZoneStatusChange


@transaction.atomic
def zone_change_status(
    *,
    zone: Zone,
    status: str,
    changed_on: datetime.date,
    note: str = "",
    user: User | None = None,
    set_opening_date: bool = True,
) -> ZoneStatusChange:
    """Move a zone to `status`, recording the step in its history.

    A zone's first move to operational dates its opening, unless the caller knows the
    opening date better (an import stating when a zone opened, before it was registered).
    """
    locked = Zone.objects.select_for_update().get(pk=zone.pk)
    has_history = locked.status_changes.exists()
    # The first recorded step may state any status (a zone entered mid-rollout).
    if has_history and status not in ZONE_STATUS_TRANSITIONS[ZoneStatus(locked.status)]:
        allowed = ", ".join(
            sorted(ZoneStatus(s).label for s in ZONE_STATUS_TRANSITIONS[ZoneStatus(locked.status)])
        )
        raise ValidationError(
            {
                "status": ValidationError(
                    f"A zone that is {ZoneStatus(locked.status).label.lower()} cannot become "
                    f"{ZoneStatus(status).label.lower() if status in ZoneStatus.values else status}"
                    f". Allowed next: {allowed or 'none (cancellation is final)'}.",
                    code="invalid_transition",
                )
            }
        )
    latest = locked.status_changes.order_by("-changed_on", "-id").first()
    if latest and changed_on < latest.changed_on:
        raise ValidationError(
            {
                "changed_on": ValidationError(
                    f"The last recorded step is dated {latest.changed_on:%Y-%m-%d}; a new step "
                    f"cannot be dated earlier.",
                    code="out_of_order",
                )
            }
        )
    change = ZoneStatusChange(
        zone=locked, status=status, changed_on=changed_on, note=note, changed_by=user
    )
    change.full_clean()
    change.save()
    locked.status = status
    update_fields = ["status", "updated"]
    if set_opening_date and status == ZoneStatus.OPERATIONAL and locked.actual_opening_date is None:
        locked.actual_opening_date = changed_on
        update_fields.append("actual_opening_date")
    locked.save(update_fields=update_fields)
    zone.refresh_from_db()
    return change
