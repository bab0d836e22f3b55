"""The database itself refuses what the rules forbid, whoever writes the row."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from enterprises.models import AnnualReturn, Enterprise, Plot
from tests.factories import (
    AnnualReturnFactory,
    EnterpriseFactory,
    PlotFactory,
    StaffUserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db


def refused(queryset, **changes):
    """True when the database rejects `changes` applied to `queryset`."""
    try:
        with transaction.atomic():
            queryset.update(**changes)
    except IntegrityError:
        return True
    return False


def test_expiry_must_follow_issue_in_the_database():
    enterprise = EnterpriseFactory()
    rows = Enterprise.objects.filter(pk=enterprise.pk)
    assert refused(rows, expires_on=enterprise.issued_on)
    assert refused(rows, expires_on=enterprise.issued_on - datetime.timedelta(days=1))


def test_expired_is_never_a_stored_status():
    enterprise = EnterpriseFactory()
    assert refused(Enterprise.objects.filter(pk=enterprise.pk), status="expired")


def test_issued_licence_needs_number_and_dates():
    enterprise = EnterpriseFactory()
    assert refused(Enterprise.objects.filter(pk=enterprise.pk), licence_number=None)
    assert refused(Enterprise.objects.filter(pk=enterprise.pk), expires_on=None)


def test_recommender_cannot_be_approver_in_the_database():
    user = StaffUserFactory()
    enterprise = EnterpriseFactory(status="applied", licence_number=None, recommended_by=user)
    assert refused(Enterprise.objects.filter(pk=enterprise.pk), approved_by=user)
    assert not refused(Enterprise.objects.filter(pk=enterprise.pk), approved_by=StaffUserFactory())


def test_licence_numbers_are_unique():
    first = EnterpriseFactory()
    second = EnterpriseFactory()
    assert refused(Enterprise.objects.filter(pk=second.pk), licence_number=first.licence_number)


def test_one_live_licence_per_company_and_zone():
    enterprise = EnterpriseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseFactory(company=enterprise.company, zone=enterprise.zone, status="applied")
    # A revoked licence does not block a new application.
    Enterprise.objects.filter(pk=enterprise.pk).update(status="revoked")
    EnterpriseFactory(company=enterprise.company, zone=enterprise.zone, status="applied")


def test_plot_numbers_unique_per_zone_only():
    plot = PlotFactory(number="A-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlotFactory(zone=plot.zone, number="A-1")
    PlotFactory(number="A-1")  # another zone


def test_plot_area_and_lease_dates_checked():
    plot = PlotFactory()
    rows = Plot.objects.filter(pk=plot.pk)
    assert refused(rows, area_m2=Decimal("0"))
    assert refused(
        rows, lease_starts_on=datetime.date(2026, 1, 1), lease_ends_on=datetime.date(2025, 1, 1)
    )


def test_plot_is_held_exactly_when_not_vacant():
    plot = PlotFactory()
    enterprise = EnterpriseFactory(zone=plot.zone)
    rows = Plot.objects.filter(pk=plot.pk)
    assert refused(rows, status="allocated")  # allocated to nobody
    assert refused(rows, enterprise=enterprise)  # vacant but held
    assert not refused(rows, status="allocated", enterprise=enterprise)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the composite foreign key is PostgreSQL's"
)
def test_plot_holder_from_another_zone_refused_by_postgresql():
    plot = PlotFactory()
    elsewhere = EnterpriseFactory(zone=ZoneFactory(status="operational"))
    assert refused(Plot.objects.filter(pk=plot.pk), status="allocated", enterprise=elsewhere)
    # Nor can a holder be moved to another zone under its plots.
    holder = EnterpriseFactory(zone=plot.zone)
    Plot.objects.filter(pk=plot.pk).update(status="allocated", enterprise=holder)
    assert refused(Enterprise.objects.filter(pk=holder.pk), zone=elsewhere.zone)


@pytest.mark.parametrize(
    "changes",
    [
        {"employees_total": 10, "employees_women": 11, "employees_foreign": 0},
        {"employees_total": 10, "employees_women": 0, "employees_foreign": 11},
        {"employees_total": 2_000_000},
        {"exports_usd": Decimal("-1")},
        {"investment": Decimal("-5")},
        {"fiscal_year": "2025/26"},
        {"currency": "pkr"},
        {"status": "submitted"},  # filed without figures
    ],
)
def test_annual_return_figures_checked_in_the_database(changes):
    annual_return = AnnualReturnFactory()
    assert refused(AnnualReturn.objects.filter(pk=annual_return.pk), **changes)


def test_one_return_per_enterprise_and_year():
    annual_return = AnnualReturnFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReturnFactory(enterprise=annual_return.enterprise, fiscal_year="2025-26")


def test_model_clean_reports_women_above_total_on_the_field():
    annual_return = AnnualReturnFactory.build(
        enterprise=EnterpriseFactory(), employees_total=5, employees_women=9
    )
    with pytest.raises(ValidationError) as caught:
        annual_return.full_clean()
    assert "employees_women" in caught.value.message_dict


def test_effective_status_reads_expired_from_the_dates():
    enterprise = EnterpriseFactory(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2021, 1, 1)
    )
    assert enterprise.status == "licensed"
    assert enterprise.current_status() == "expired"
    assert enterprise.get_effective_status_display() == "Expired"
