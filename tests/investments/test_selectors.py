"""Pledge totals applied to zones (investments.selectors)."""

import datetime
from decimal import Decimal

import pytest

from investments.selectors import zones_with_pledge_totals
from investments.services import disbursement_record, pledge_record
from tests.factories import CompanyFactory, ExchangeRateFactory, PledgeFactory, ZoneFactory
from zones.models import Zone

pytestmark = pytest.mark.django_db


def test_zone_totals_match_hand_computed_sums_across_two_currencies():
    ExchangeRateFactory(currency="PKR", date=datetime.date(2026, 1, 1), rate_to_usd="0.004")
    busy, quiet = ZoneFactory(), ZoneFactory()
    company = CompanyFactory()
    usd = pledge_record(
        company=company,
        zone=busy,
        amount=Decimal("2500000.00"),
        currency="USD",
        pledged_on=datetime.date(2026, 2, 1),
    )
    pledge_record(
        company=company,
        zone=busy,
        amount=Decimal("500000000"),  # PKR 500 million at 0.004 = USD 2 million
        currency="PKR",
        pledged_on=datetime.date(2026, 2, 1),
    )
    PledgeFactory(zone=busy, amount=Decimal("999"), status="cancelled")
    disbursement_record(
        pledge=usd, amount=Decimal("1000000"), disbursed_on=datetime.date(2026, 3, 1)
    )

    zones = {zone.pk: zone for zone in zones_with_pledge_totals(Zone.objects.all())}

    assert zones[busy.pk].pledged_usd == Decimal("4500000.00")
    assert zones[busy.pk].realized_usd == Decimal("1000000.00")
    assert zones[busy.pk].pledge_count == 2
    assert zones[quiet.pk].pledged_usd == Decimal("0")
    assert zones[quiet.pk].realized_usd == Decimal("0")
    assert zones[quiet.pk].pledge_count == 0


def test_totals_are_not_multiplied_when_a_zone_has_many_pledges_and_registrations():
    zone = ZoneFactory()
    for _ in range(3):
        PledgeFactory(zone=zone, amount=Decimal("10"))
    annotated = zones_with_pledge_totals(Zone.objects.all()).get(pk=zone.pk)
    assert annotated.pledged_usd == Decimal("30")


def test_with_pledge_totals_costs_one_query(django_assert_num_queries):
    for _ in range(5):
        PledgeFactory()
    with django_assert_num_queries(1):
        rows = list(zones_with_pledge_totals(Zone.objects.all()))
    assert len(rows) == 5
