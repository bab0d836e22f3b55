"""api.serializers.RowSerializer writes exactly what DRF's own path writes, only faster."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers

from api.fields import MoneyField
from api.serializers import RowSerializer
from enterprises.api.serializers import PerformanceReportSerializer
from programme import reports
from programme.api.serializers import (
    CompaniesReportSerializer,
    InvestmentReportSerializer,
    RolloutReportSerializer,
)
from programme.performance import performance_report
from tests.factories import (
    EnterpriseFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    PlotFactory,
    TargetFactory,
    ZoneFactory,
    accepted_return,
)

pytestmark = pytest.mark.django_db

REPORTS = [
    (reports.rollout_report, RolloutReportSerializer),
    (reports.investment_report, InvestmentReportSerializer),
    (reports.companies_report, CompaniesReportSerializer),
    (lambda: performance_report(disclosure_control=False), PerformanceReportSerializer),
]


@pytest.fixture
def programme():
    zones = [ZoneFactory(province="Sindh"), ZoneFactory(province="Punjab")]
    for index, zone in enumerate(zones):
        PledgeFactory(zone=zone, amount=Decimal(1000 + index), status="committed")
        PledgeFactory(zone=zone, status="cancelled")
        InterestRegistrationFactory(zones=[zone], status="accepted")
        enterprise = EnterpriseFactory(zone=zone)
        PlotFactory(zone=zone, status="allocated", enterprise=enterprise)
        PlotFactory(zone=zone)
        accepted_return(enterprise, employees_total=40 + index, exports_usd=Decimal("1234.50"))
    TargetFactory()


def rows_of(serializer, data):
    """Every (row serializer, row) pair the report body is written from."""
    for name, field in serializer.fields.items():
        value = data[name] if isinstance(data, dict) else getattr(data, name)
        if isinstance(field, serializers.ListSerializer) and isinstance(field.child, RowSerializer):
            yield from ((field.child, row) for row in value)


@pytest.mark.parametrize("report, serializer_class", REPORTS)
def test_every_report_row_is_written_as_drf_would_write_it(programme, report, serializer_class):
    body = report()
    pairs = list(rows_of(serializer_class(), body))
    assert len(pairs) >= 4
    for row_serializer, row in pairs:
        assert row_serializer._plain_fields is not None, type(row_serializer).__name__
        fast = row_serializer.to_representation(row)
        assert fast == serializers.Serializer.to_representation(row_serializer, row)
        assert list(fast) == list(row_serializer.fields)


def test_a_null_stays_null_and_money_keeps_its_cents():
    class Row(RowSerializer):
        name = serializers.CharField()
        amount = MoneyField(allow_null=True)
        day = serializers.DateField(allow_null=True)

    written = Row().to_representation({"name": "A", "amount": Decimal("2.5"), "day": None})
    assert written == {"name": "A", "amount": "2.50", "day": None}


def test_a_missing_value_is_an_error_not_a_silent_null():
    class Row(RowSerializer):
        name = serializers.CharField()
        amount = MoneyField()

    with pytest.raises(KeyError):
        Row().to_representation({"name": "A"})


def test_a_nested_or_dotted_field_takes_drfs_own_path():
    class Inner(RowSerializer):
        day = serializers.DateField()

    class Nested(RowSerializer):
        inner = Inner()

    class Dotted(RowSerializer):
        year = serializers.IntegerField(source="day.year")

    row = {"inner": {"day": datetime.date(2026, 1, 2)}, "day": datetime.date(2026, 1, 2)}
    assert Nested()._plain_fields is None
    assert Nested().to_representation(row) == {"inner": {"day": "2026-01-02"}}
    assert Dotted()._plain_fields is None
    assert Dotted().to_representation(row) == {"year": 2026}
