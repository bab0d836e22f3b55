"""Reads for the operating zone: effective licence status, occupancy, return compliance."""

import datetime
from decimal import Decimal
from typing import Any, Self

from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import (
    EXPIRING_STATUSES,
    ISSUED_STATUSES,
    OPEN_RETURN_STATUSES,
    TAKEN_PLOT_STATUSES,
    LicenceStatus,
    PlotStatus,
    ReturnStatus,
)

AREA_SUM = models.DecimalField(max_digits=16, decimal_places=2)


def _today(as_of: datetime.date | None) -> datetime.date:
    return as_of or timezone.localdate()


def licence_expired_q(as_of: datetime.date) -> Q:
    """A licence that was live and whose expiry date has passed on `as_of`."""
    return Q(status__in=EXPIRING_STATUSES, expires_on__lt=as_of)


def licence_in_force_q(as_of: datetime.date) -> Q:
    """Licensed (not suspended) on `as_of`: issued by then and not yet expired."""
    return Q(status=LicenceStatus.LICENSED, issued_on__lte=as_of, expires_on__gte=as_of)


class EnterpriseQuerySet(models.QuerySet):
    def with_effective_status(self, as_of: datetime.date | None = None) -> Self:
        """Annotate effective_status: the stored status, or `expired` once past expiry."""
        return self.annotate(
            effective_status=Case(
                When(licence_expired_q(_today(as_of)), then=Value(LicenceStatus.EXPIRED.value)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def in_force(self, as_of: datetime.date | None = None) -> Self:
        return self.filter(licence_in_force_q(_today(as_of)))

    def expired(self, as_of: datetime.date | None = None) -> Self:
        return self.filter(licence_expired_q(_today(as_of)))

    def expiring_within(self, days: int, as_of: datetime.date | None = None) -> Self:
        """Live licences whose expiry falls in the next `days` days (expired ones excluded)."""
        today = _today(as_of)
        return self.filter(
            status__in=EXPIRING_STATUSES,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )

    def public_register(self) -> Self:
        """Licences that were issued: the register anyone may read (applications are not)."""
        return self.filter(status__in=ISSUED_STATUSES)

    def count_by_effective_status(self, as_of: datetime.date | None = None) -> dict[str, int]:
        counts = dict.fromkeys(LicenceStatus.values, 0)
        counts.update(
            self.with_effective_status(as_of)
            .order_by()
            .values("effective_status")
            .annotate(n=Count("pk"))
            .values_list("effective_status", "n")
        )
        return counts


class PlotQuerySet(models.QuerySet):
    def taken(self) -> Self:
        return self.filter(status__in=TAKEN_PLOT_STATUSES)

    def occupancy(self) -> dict[str, Any]:
        """Plot counts and areas (m²) by status over this queryset, in one query."""
        zero = Value(Decimal("0"), output_field=AREA_SUM)

        def area(condition: Q | None = None) -> Coalesce:
            return Coalesce(Sum("area_m2", filter=condition), zero, output_field=AREA_SUM)

        totals = self.order_by().aggregate(
            plot_count=Count("pk"),
            allocated_count=Count("pk", filter=Q(status=PlotStatus.ALLOCATED)),
            occupied_count=Count("pk", filter=Q(status=PlotStatus.OCCUPIED)),
            reserved_count=Count("pk", filter=Q(status=PlotStatus.RESERVED)),
            total_area_m2=area(),
            allocated_area_m2=area(Q(status=PlotStatus.ALLOCATED)),
            occupied_area_m2=area(Q(status=PlotStatus.OCCUPIED)),
        )
        for key in ("total_area_m2", "allocated_area_m2", "occupied_area_m2"):
            totals[key] = Decimal(totals[key]).quantize(Decimal("0.01"))
        totals["occupancy_pct"] = occupancy_pct(
            totals["allocated_area_m2"] + totals["occupied_area_m2"], totals["total_area_m2"]
        )
        return totals


def occupancy_pct(taken_area: Decimal, total_area: Decimal) -> Decimal | None:
    """Share of the area that is allocated or occupied, to one decimal; None without plots."""
    if not total_area:
        return None
    return (Decimal(100) * taken_area / total_area).quantize(Decimal("0.1"))


def return_overdue_q(as_of: datetime.date) -> Q:
    """Past its due date and not (or no longer) with the authority."""
    return Q(status__in=OPEN_RETURN_STATUSES, due_on__lt=as_of)


class AnnualReturnQuerySet(models.QuerySet):
    def overdue(self, as_of: datetime.date | None = None) -> Self:
        return self.filter(return_overdue_q(_today(as_of)))

    def with_compliance(self, as_of: datetime.date | None = None) -> Self:
        """Annotate is_overdue and filed_late (submitted after the due date)."""
        return self.annotate(
            is_overdue=Case(
                When(return_overdue_q(_today(as_of)), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            filed_late=Case(
                When(submitted_on__gt=F("due_on"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def accepted(self) -> Self:
        return self.filter(status=ReturnStatus.ACCEPTED)
