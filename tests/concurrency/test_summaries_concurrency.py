"""Pledge summary rows under parallel writers on PostgreSQL: no lost update, no deadlock.

Every write adds its difference to shared rows (one zone, one company, one quarter), so
this is where a read-modify-write would lose figures. The test ends with verify_totals'
own check: zero differences between the summary rows and a fresh aggregate.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from investments import summaries
from investments.models import Pledge, ZonePledgeTotal
from investments.services import disbursement_record, pledge_delete, pledge_record, pledge_update
from tests.concurrency.test_services_concurrency import run_in_parallel
from tests.factories import CompanyFactory, ZoneFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
]

D = Decimal
STATUSES = ["announced", "committed", "in_progress", "realized", "cancelled"]


def test_parallel_pledges_tranches_status_changes_and_deletes_leave_no_difference():
    zones = [ZoneFactory(), ZoneFactory()]
    companies = [CompanyFactory(origin="domestic"), CompanyFactory(origin="global")]
    day = datetime.date(2026, 2, 1)
    existing = [
        pledge_record(
            company=companies[index % 2],
            zone=zones[index % 2],
            amount=D("10000"),
            currency="USD",
            pledged_on=day,
        )
        for index in range(24)
    ]

    def write(index):
        # Four kinds of writer at once, all on the same two zones and companies.
        pledge = existing[index % 12]
        kind = index % 4
        if kind == 0:
            return pledge_record(
                company=companies[index % 2],
                zone=zones[(index // 4) % 2],
                amount=D(1000 + index),
                currency="USD",
                pledged_on=day + datetime.timedelta(days=index * 7),
            )
        if kind == 1:
            return disbursement_record(
                pledge=pledge, amount=D(10 + index), disbursed_on=day + datetime.timedelta(days=90)
            )
        if kind == 2:
            return pledge_update(
                pledge=pledge, status=STATUSES[(index // 4) % 4], zone=zones[(index + 1) % 2]
            )
        # Deletes take the other twelve pledges: a tranche for a deleted pledge would fail.
        return pledge_delete(pledge=existing[12 + index // 4])

    results, errors = run_in_parallel(write, 48)

    assert errors == []
    assert len(results) == 48
    assert Pledge.objects.count() == 24 + 12 - 12
    assert summaries.differences() == []
    totals = ZonePledgeTotal.objects.all()
    assert sum(row.pledge_count for row in totals) == Pledge.objects.count()


def test_parallel_first_pledges_in_a_new_zone_create_its_summary_rows_once():
    zone, company = ZoneFactory(), CompanyFactory()

    def first_pledge(index):
        return pledge_record(
            company=company,
            zone=zone,
            amount=D("500"),
            currency="USD",
            pledged_on=datetime.date(2026, 4, 1),
        )

    _, errors = run_in_parallel(first_pledge, 30)

    assert errors == []
    row = ZonePledgeTotal.objects.get(zone=zone, status="announced")
    assert (row.pledge_count, row.amount_usd) == (30, D("15000.00"))
    assert summaries.differences() == []
