"""The performance figures equal a plain GROUP BY with COUNT(DISTINCT) over the returns."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from enterprises.models import AnnualReturn
from enterprises.selectors import (
    RETURN_FIGURES,
    performance_by_year,
    performance_by_zone_and_year,
)
from tests.factories import AnnualReturnFactory, EnterpriseFactory, ZoneFactory, accepted_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def returns():
    zones = [ZoneFactory(slug=f"zone-{letter}", name=f"Zone {letter}") for letter in "bac"]
    for index, zone in enumerate(zones):
        for number in range(index + 1):
            enterprise = EnterpriseFactory(zone=zone)
            accepted_return(enterprise, "2024-25", employees_total=40 + 10 * number + index)
            accepted_return(enterprise, "2025-26", exports_usd=0, investment_usd=Decimal("3.5"))
    # A return not yet accepted counts nowhere.
    AnnualReturnFactory(enterprise=EnterpriseFactory(zone=zones[0]), fiscal_year="2024-25")
    return zones


def grouped(*group):
    rows = (
        AnnualReturn.objects.filter(status="accepted")
        .order_by(*group)
        .values(*group)
        .annotate(
            enterprise_count=Count("enterprise_id", distinct=True),
            return_count=Count("pk"),
            **{figure: Sum(figure) for figure in RETURN_FIGURES},
        )
    )
    return [
        {name: (value or 0) if name in RETURN_FIGURES else value for name, value in row.items()}
        for row in rows
    ]


def test_by_zone_and_year_and_by_year_equal_the_distinct_group_by(returns):
    by_zone = performance_by_zone_and_year(Q(), Q())
    expected = grouped("fiscal_year", "enterprise__zone__slug", "enterprise__zone__name")
    assert [
        {
            **{name: row[name] for name in ("fiscal_year", "enterprise_count", "return_count")},
            "enterprise__zone__slug": row["zone"],
            "enterprise__zone__name": row["zone_name"],
            **{figure: row[figure] for figure in RETURN_FIGURES},
        }
        for row in by_zone
    ] == expected
    assert len(by_zone) == 6
    assert performance_by_year(by_zone) == grouped("fiscal_year")
    assert performance_by_year(by_zone)[1]["exports_usd"] == Decimal("0.00")


def test_a_zone_filter_keeps_its_zone_only(returns):
    rows = performance_by_zone_and_year(Q(enterprise__zone__slug="zone-c"), Q())
    assert {row["zone"] for row in rows} == {"zone-c"}
    assert performance_by_year(rows)[0]["enterprise_count"] == 3
