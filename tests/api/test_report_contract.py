"""The reports' JSON and CSV, byte for byte, against files partners' parsers were built on.

Any change to a report's shape, order or number format shows here as a diff. When a change
is intended, regenerate the files with `UPDATE_REPORT_CONTRACT=1 pytest <this file>`, read
the diff and say in the commit (and CHANGELOG) what partners will see.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest

from investments.services import disbursement_record
from tests.factories import (
    CompanyFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    TargetFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "expected" / "reports"
D = Decimal

# Every report, whole programme and narrowed (no zone ids: ids differ between databases).
CASES = [
    (report, variant, query)
    for report in ("rollout", "investment", "companies")
    for variant, query in (
        ("programme", ""),
        ("sindh-2026h1", "province=sindh&date_from=2026-01-01&date_to=2026-06-30"),
    )
]


@pytest.fixture
def programme():
    """Every value that reaches a report is spelled out: no factory sequence leaks in."""
    karachi = ZoneFactory(
        slug="karachi",
        name="Karachi",
        province="Sindh",
        status="operational",
        target_opening_date=datetime.date(2026, 2, 1),
        actual_opening_date=datetime.date(2026, 5, 10),
    )
    hyderabad = ZoneFactory(
        slug="hyderabad",
        name="Hyderabad",
        province="Sindh",
        status="under_development",
        target_opening_date=datetime.date(2026, 11, 30),
    )
    lahore = ZoneFactory(
        slug="lahore",
        name="Lahore",
        province="Punjab",
        status="approved",
        target_opening_date=datetime.date(2027, 1, 15),
    )
    ZoneFactory(
        slug="gwadar",
        name="Gwadar",
        province="Balochistan",
        status="cancelled",
        target_opening_date=datetime.date(2026, 11, 1),
    )
    software = SectorFactory(slug="software", name="Software")
    fintech = SectorFactory(slug="fintech", name="Fintech, payments")
    domestic = [
        CompanyFactory(name=f"Domestic {n}", origin="domestic", sector=software) for n in range(3)
    ]
    foreign = [
        CompanyFactory(name=f"Global {n}", origin="global", country="DE", sector=fintech)
        for n in range(2)
    ]
    no_sector = CompanyFactory(name="Unsorted", origin="domestic", sector=None)
    pledges = [
        PledgeFactory(company=domestic[0], zone=karachi, amount=D("1000000.00"),
                      pledged_on=datetime.date(2026, 1, 10), status="committed"),
        PledgeFactory(company=domestic[1], zone=karachi, amount=D("250000.50"),
                      pledged_on=datetime.date(2026, 2, 20), status="announced"),
        PledgeFactory(company=foreign[0], zone=karachi, amount=D("5000000.00"),
                      pledged_on=datetime.date(2026, 4, 2), status="in_progress"),
        PledgeFactory(company=foreign[1], zone=hyderabad, amount=D("750000.25"),
                      pledged_on=datetime.date(2026, 5, 15), status="cancelled"),
        PledgeFactory(company=domestic[2], zone=lahore, amount=D("300000.00"),
                      pledged_on=datetime.date(2026, 8, 1), status="realized"),
        PledgeFactory(company=foreign[1], zone=lahore, amount=D("120000.75"),
                      pledged_on=datetime.date(2026, 12, 31), status="announced"),
    ]  # fmt: skip
    disbursement_record(
        pledge=pledges[0], amount=D("400000.00"), disbursed_on=datetime.date(2026, 3, 1)
    )
    disbursement_record(
        pledge=pledges[2], amount=D("1000000.00"), disbursed_on=datetime.date(2026, 7, 1)
    )
    disbursement_record(
        pledge=pledges[4], amount=D("300000.00"), disbursed_on=datetime.date(2026, 10, 5)
    )
    InterestRegistrationFactory(company=domestic[0], zones=[karachi], status="accepted")
    InterestRegistrationFactory(
        company=domestic[1], zones=[karachi, hyderabad], planned_investment_usd=D("2500.50")
    )
    InterestRegistrationFactory(company=foreign[0], zones=[karachi], status="under_review")
    InterestRegistrationFactory(company=foreign[1], zones=[lahore], status="declined")
    InterestRegistrationFactory(company=foreign[1], zones=[hyderabad])
    InterestRegistrationFactory(company=no_sector, zones=[lahore], status="withdrawn")
    for slug, metric, value, extra in (
        ("pledged-1-5bn", "pledged_usd", D("1500000000"), {"baseline_value": D("0")}),
        ("realised-500m", "realized_usd", D("500000000"), {}),
        ("twelve-zones", "zones_operational", D("12"), {}),
        ("sixty-companies", "companies_interested", D("60"), {}),
        ("it-exports", "it_exports_usd", D("5000000000"), {"baseline_value": D("1440000000")}),
        ("it-exports-2", "it_exports_usd", D("2123000000"), {"reported_value": D("1700000000")}),
    ):
        TargetFactory(slug=slug, name=f"Target {slug}", metric=metric, target_value=value, **extra)


def check(path: Path, content: bytes):
    if os.environ.get("UPDATE_REPORT_CONTRACT"):
        path.write_bytes(content)
    assert content == path.read_bytes(), f"{path.name} changed"


@pytest.mark.parametrize(("report", "variant", "query"), CASES)
def test_report_json_is_unchanged(api_client, programme, report, variant, query):
    response = api_client.get(f"/api/v1/reports/{report}/?{query}")
    assert response.status_code == 200
    check(EXPECTED / f"{report}-{variant}.json", response.content)


@pytest.mark.parametrize(("report", "variant", "query"), CASES)
def test_report_csv_is_unchanged(api_client, programme, report, variant, query):
    response = api_client.get(f"/api/v1/reports/{report}/?format=csv&{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{report}-report.csv"'
    check(EXPECTED / f"{report}-{variant}.csv", response.content)
