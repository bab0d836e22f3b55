"""Races on PostgreSQL: the row locks, not luck, decide who wins.

SQLite serialises every writer, so these races only exist on PostgreSQL; CI's PostgreSQL pass
runs them.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from enterprises import services
from enterprises.models import Enterprise, LicenceEvent, Plot
from tests.concurrency.test_services_concurrency import run_in_parallel
from tests.factories import EnterpriseFactory, PlotFactory, StaffUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
]


def test_two_concurrent_allocations_of_one_plot_one_wins():
    first = EnterpriseFactory()
    second = EnterpriseFactory(zone=first.zone)
    plot = PlotFactory(zone=first.zone)
    contenders = [first, second]

    def allocate(index):
        return services.plot_allocate(
            plot=plot, enterprise=contenders[index], lease_starts_on=datetime.date(2025, 10, 1)
        )

    results, errors = run_in_parallel(allocate, 2)

    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert "already allocated" in errors[0].messages[0]
    plot.refresh_from_db()
    assert plot.status == "allocated"
    assert plot.enterprise_id == results[0].enterprise_id


def test_concurrent_licensing_of_one_application_issues_one_licence():
    enterprise = EnterpriseFactory(
        status="approved", licence_number=None, issued_on=None, expires_on=None
    )
    user = StaffUserFactory()

    def issue(index):
        return services.enterprise_issue_licence(
            enterprise=enterprise,
            user=user,
            issued_on=datetime.date(2026, 1, 1),
            expires_on=datetime.date(2031, 1, 1),
        )

    results, errors = run_in_parallel(issue, 4)

    assert len(results) == 1
    assert all("cannot become licensed" in error.messages[0] for error in errors)
    assert LicenceEvent.objects.filter(enterprise=enterprise, kind="issued").count() == 1
    assert Enterprise.objects.get(pk=enterprise.pk).licence_number is not None


def test_revocation_racing_an_allocation_leaves_no_plot_with_an_unlicensed_holder():
    enterprise = EnterpriseFactory()
    plot = PlotFactory(zone=enterprise.zone)

    def act(index):
        if index == 0:
            return services.enterprise_revoke(
                enterprise=enterprise,
                user=None,
                revoked_on=datetime.date(2026, 1, 1),
                reason="Ceased trading",
            )
        return services.plot_allocate(
            plot=plot, enterprise=enterprise, lease_starts_on=datetime.date(2025, 10, 1)
        )

    run_in_parallel(act, 2)

    assert Plot.objects.get(pk=plot.pk).status == "vacant"
