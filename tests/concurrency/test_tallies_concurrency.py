"""Registration tallies under parallel writers on PostgreSQL: each company counted once.

A tally's `members` moves only when a member row goes from none to some or back, so a race
between two first registrations of one company is exactly where a count would go wrong.
"""

import pytest
from django.db import connection, transaction

from companies import summaries
from companies.models import InterestRegistration
from companies.services import registration_submit, registration_transition
from core import tallies
from tests.concurrency.test_services_concurrency import run_in_parallel
from tests.factories import (
    CompanyFactory,
    InterestRegistrationFactory,
    StaffUserFactory,
    ZoneFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
]


def test_parallel_first_registrations_of_one_company_count_it_once():
    zone = ZoneFactory()

    def submit(index):
        return registration_submit(
            company_name="Indus Robotics Ltd",
            origin="domestic",
            country="PK",
            zones=[zone],
            contact_name="Sara Ahmed",
            contact_email="sara@indus.example",
        )

    _, errors = run_in_parallel(submit, 20)

    assert errors == []
    every = tallies.totals(summaries.BY_STATUS)[summaries.ALL_STATUSES]
    assert (every.count, every.members) == (20, 1)
    assert tallies.totals(summaries.BY_ZONE)[str(zone.pk)].members == 1
    assert summaries.verify() == []


def test_parallel_submissions_reviews_zone_changes_and_deletes_leave_no_difference():
    zones = [ZoneFactory(), ZoneFactory()]
    companies = [CompanyFactory(origin=("domestic", "global")[i % 2]) for i in range(3)]
    existing = [
        InterestRegistrationFactory(company=companies[i % 3], zones=[zones[i % 2]])
        for i in range(24)
    ]
    reviewer = StaffUserFactory()

    def write(index):
        kind = index % 4
        if kind == 0:
            return registration_submit(
                company=companies[index % 3], zones=zones[: 1 + index % 2], channel="api"
            )
        if kind == 1:
            return registration_transition(
                registration=existing[index // 4], status="under_review", user=reviewer
            )
        if kind == 2:
            # On the registrations under review at the same time; deletes take the others
            # (Django's delete collects the zone links first, so a link added meanwhile
            # would fail the delete, as it should).
            with transaction.atomic():
                existing[index // 4].zones.add(zones[(index + 1) % 2])
            return None
        return InterestRegistration.objects.get(pk=existing[12 + index // 4].pk).delete()

    _, errors = run_in_parallel(write, 48)

    assert errors == []
    assert InterestRegistration.objects.count() == 24 + 12 - 12
    assert summaries.verify() == []
