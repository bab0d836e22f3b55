"""Reads: expiry computed from dates, occupancy, overdue returns."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import AnnualReturn, Enterprise, Plot
from tests.factories import AnnualReturnFactory, EnterpriseFactory, PlotFactory, ZoneFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_licence_past_expiry_reads_expired_without_anyone_touching_it():
    current = EnterpriseFactory(expires_on=D(2030, 1, 1))
    lapsed = EnterpriseFactory(issued_on=D(2020, 1, 1), expires_on=D(2024, 12, 31))
    revoked = EnterpriseFactory(status="revoked", issued_on=D(2020, 1, 1), expires_on=D(2021, 1, 1))

    statuses = dict(
        Enterprise.objects.with_effective_status(D(2026, 1, 1)).values_list(
            "pk", "effective_status"
        )
    )
    assert statuses == {current.pk: "licensed", lapsed.pk: "expired", revoked.pk: "revoked"}
    assert list(Enterprise.objects.expired(D(2026, 1, 1))) == [lapsed]
    assert list(Enterprise.objects.in_force(D(2026, 1, 1))) == [current]
    # On its last day the licence is still in force.
    assert list(Enterprise.objects.in_force(D(2024, 12, 31)).filter(pk=lapsed.pk)) == [lapsed]


def test_expiring_within_sixty_days():
    soon = EnterpriseFactory(expires_on=D(2026, 2, 15))
    EnterpriseFactory(expires_on=D(2026, 6, 1))
    EnterpriseFactory(issued_on=D(2020, 1, 1), expires_on=D(2025, 12, 1))  # already expired
    assert list(Enterprise.objects.expiring_within(60, D(2026, 1, 1))) == [soon]


def test_count_by_effective_status():
    EnterpriseFactory()
    EnterpriseFactory(issued_on=D(2020, 1, 1), expires_on=D(2021, 1, 1))
    EnterpriseFactory(status="applied", licence_number=None, issued_on=None, expires_on=None)
    counts = Enterprise.objects.count_by_effective_status(D(2026, 1, 1))
    assert (counts["licensed"], counts["expired"], counts["applied"], counts["revoked"]) == (
        1,
        1,
        1,
        0,
    )


def test_occupancy_by_count_and_area():
    zone = ZoneFactory(status="operational")
    holder = EnterpriseFactory(zone=zone)
    PlotFactory(zone=zone, area_m2=Decimal("1000"), status="allocated", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("3000"), status="occupied", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("500"), status="reserved", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("5500"))

    totals = Plot.objects.filter(zone=zone).occupancy()
    assert totals["plot_count"] == 4
    assert (totals["allocated_count"], totals["occupied_count"]) == (1, 1)
    assert totals["total_area_m2"] == Decimal("10000.00")
    assert totals["occupied_area_m2"] == Decimal("3000.00")
    assert totals["occupancy_pct"] == Decimal("40.0")
    assert Plot.objects.none().occupancy()["occupancy_pct"] is None


def test_overdue_and_filed_late():
    due_past = AnnualReturnFactory(due_on=D(2025, 10, 28), fiscal_year="2024-25")
    AnnualReturnFactory(due_on=D(2026, 10, 28))  # not yet due
    returned = AnnualReturnFactory(due_on=D(2025, 10, 28), fiscal_year="2024-25", status="due")
    AnnualReturn.objects.filter(pk=returned.pk).update(
        status="returned",
        employees_total=1,
        employees_women=0,
        employees_foreign=0,
        exports_usd=0,
        domestic_sales_usd=0,
        investment_usd=0,
        submitted_on=D(2025, 11, 5),
    )
    as_of = D(2026, 1, 1)
    assert set(AnnualReturn.objects.overdue(as_of)) == {due_past, returned}
    flags = {
        row.pk: (row.is_overdue, row.filed_late)
        for row in AnnualReturn.objects.with_compliance(as_of)
    }
    assert flags[returned.pk] == (True, True)
    assert flags[due_past.pk] == (True, False)
    assert due_past.is_overdue(as_of)
