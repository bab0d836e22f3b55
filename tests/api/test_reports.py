"""Report figures against sums computed here, in plain Python, from the factory data."""

import csv
import datetime
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from companies.models import InterestRegistration
from investments.models import Pledge
from investments.services import disbursement_record
from programme import reports
from tests.factories import (
    CompanyFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    TargetFactory,
    ZoneFactory,
)
from zones.models import Zone

pytestmark = pytest.mark.django_db

D = Decimal
COMMITTED_STATUSES = {"committed", "in_progress", "realized"}


def quarter(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@pytest.fixture
def programme():
    """Two provinces, pledges in every status over several quarters, some realised."""
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
    software, fintech = SectorFactory(slug="software"), SectorFactory(slug="fintech")
    domestic = [CompanyFactory(origin="domestic", sector=software) for _ in range(3)]
    foreign = [CompanyFactory(origin="global", country="DE", sector=fintech) for _ in range(2)]
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
    disbursement_record(pledge=pledges[4], amount=D("300000.00"),
                        disbursed_on=datetime.date(2026, 10, 5))  # fmt: skip
    registrations = [
        InterestRegistrationFactory(company=domestic[0], zones=[karachi], status="accepted"),
        InterestRegistrationFactory(company=domestic[1], zones=[karachi, hyderabad]),
        InterestRegistrationFactory(company=foreign[0], zones=[karachi], status="under_review"),
        InterestRegistrationFactory(company=foreign[1], zones=[lahore], status="declined"),
        InterestRegistrationFactory(company=foreign[1], zones=[hyderabad]),
    ]
    TargetFactory(slug="pledged-1-5bn", metric="pledged_usd", target_value=D("1500000000"))
    TargetFactory(slug="twelve-zones", metric="zones_operational", target_value=D("12"))
    return {"pledges": Pledge.objects.all(), "registrations": registrations}


def expected_investment(pledges):
    """The investment report's figures, summed in Python."""
    pledges = list(pledges)
    active = [p for p in pledges if p.status != "cancelled"]
    committed = [p for p in pledges if p.status in COMMITTED_STATUSES]
    return {
        "pledged_usd": sum((p.amount_usd for p in active), D("0")),
        "committed_usd": sum((p.amount_usd for p in committed), D("0")),
        "realized_usd": sum((p.realized_usd for p in active), D("0")),
        "pledge_count": len(active),
    }


def as_money(value):
    return f"{value:.2f}"


def test_investment_totals_match_independent_sums(api_client, programme):
    body = api_client.get("/api/v1/reports/investment/").json()
    expected = expected_investment(Pledge.objects.all())
    assert body["totals"] == {
        "pledged_usd": as_money(expected["pledged_usd"]),
        "committed_usd": as_money(expected["committed_usd"]),
        "realized_usd": as_money(expected["realized_usd"]),
        "pledge_count": expected["pledge_count"],
    }
    assert body["totals"]["pledged_usd"] == "6670001.25"  # a figure a person can check by hand


def test_investment_by_zone_origin_status_match(api_client, programme):
    body = api_client.get("/api/v1/reports/investment/").json()
    pledges = list(Pledge.objects.select_related("zone", "company"))
    for row in body["by_zone"]:
        expected = expected_investment(p for p in pledges if p.zone.slug == row["zone"])
        assert row["pledged_usd"] == as_money(expected["pledged_usd"])
        assert row["committed_usd"] == as_money(expected["committed_usd"])
        assert row["realized_usd"] == as_money(expected["realized_usd"])
        assert row["pledge_count"] == expected["pledge_count"]
    assert {row["zone"] for row in body["by_zone"]} == set(Zone.objects.values_list("slug", flat=1))
    assert body["by_zone"][0]["zone"] == "karachi"  # largest first
    for row in body["by_origin"]:
        expected = expected_investment(p for p in pledges if p.company.origin == row["origin"])
        assert row["pledged_usd"] == as_money(expected["pledged_usd"])
        assert row["pledge_count"] == expected["pledge_count"]
    for row in body["by_status"]:
        in_status = [p for p in pledges if p.status == row["status"]]
        assert row["amount_usd"] == as_money(sum((p.amount_usd for p in in_status), D("0")))
        assert row["pledge_count"] == len(in_status)
    assert [row["status"] for row in body["by_status"]] == [
        "announced", "committed", "in_progress", "realized", "cancelled",
    ]  # fmt: skip


def test_investment_by_quarter_counts_pledges_by_pledge_date_and_money_by_payment(
    api_client, programme
):
    body = api_client.get("/api/v1/reports/investment/").json()
    pledged, committed = defaultdict(D), defaultdict(D)
    for pledge in Pledge.objects.all():
        if pledge.status != "cancelled":
            pledged[quarter(pledge.pledged_on)] += pledge.amount_usd
        if pledge.status in COMMITTED_STATUSES:
            committed[quarter(pledge.pledged_on)] += pledge.amount_usd
    realized = {"2026-Q1": D("400000"), "2026-Q3": D("1000000"), "2026-Q4": D("300000")}
    rows = {row["quarter"]: row for row in body["by_quarter"]}
    assert list(rows) == sorted(rows)
    assert set(rows) == set(pledged) | set(realized)
    for name, row in rows.items():
        assert row["pledged_usd"] == as_money(pledged.get(name, 0))
        assert row["committed_usd"] == as_money(committed.get(name, 0))
        assert row["realized_usd"] == as_money(realized.get(name, 0))
    assert rows["2026-Q2"]["quarter_start"] == "2026-04-01"
    total_realized = sum(D(row["realized_usd"]) for row in body["by_quarter"])
    assert as_money(total_realized) == body["totals"]["realized_usd"]


def test_investment_report_filtered_by_province_and_dates(api_client, programme):
    body = api_client.get(
        "/api/v1/reports/investment/?province=sindh&date_from=2026-02-01&date_to=2026-06-30"
    ).json()
    in_scope = [
        p
        for p in Pledge.objects.select_related("zone")
        if p.zone.province == "Sindh"
        and datetime.date(2026, 2, 1) <= p.pledged_on <= datetime.date(2026, 6, 30)
    ]
    expected = expected_investment(in_scope)
    assert body["totals"]["pledged_usd"] == as_money(expected["pledged_usd"])
    assert body["totals"]["pledge_count"] == expected["pledge_count"] == 2
    assert {row["zone"] for row in body["by_zone"]} == {"karachi", "hyderabad"}
    assert body["filters"]["province"] == "sindh"


def test_investment_report_filtered_by_zones_slug_or_id(api_client, programme):
    lahore = Zone.objects.get(slug="lahore")
    body = api_client.get(f"/api/v1/reports/investment/?zone=karachi,{lahore.pk}").json()
    in_scope = Pledge.objects.filter(zone__slug__in=("karachi", "lahore"))
    assert body["totals"]["pledged_usd"] == as_money(expected_investment(in_scope)["pledged_usd"])
    assert sorted(body["filters"]["zone_ids"]) == sorted(
        Zone.objects.filter(slug__in=("karachi", "lahore")).values_list("pk", flat=True)
    )


def test_funnel_from_registration_to_realised(api_client, programme):
    funnel = {
        row["stage"]: row for row in api_client.get("/api/v1/reports/investment/").json()["funnel"]
    }
    registrations = programme["registrations"]
    pledges = list(Pledge.objects.all())
    active = [p for p in pledges if p.status != "cancelled"]
    realized = [p for p in active if p.realized_usd > 0]
    assert funnel["registered"]["count"] == len(registrations)
    assert funnel["registered"]["company_count"] == len({r.company_id for r in registrations})
    assert funnel["accepted"]["count"] == 1
    assert funnel["pledged"]["count"] == len(active)
    assert funnel["pledged"]["company_count"] == len({p.company_id for p in active})
    assert funnel["realized"]["count"] == len(realized)
    assert funnel["realized"]["amount_usd"] == as_money(sum(p.realized_usd for p in realized))
    assert list(funnel) == ["registered", "accepted", "pledged", "committed", "realized"]


def test_investment_targets_measure_the_whole_programme(api_client, programme):
    body = api_client.get("/api/v1/reports/investment/?province=Punjab").json()
    (target,) = body["targets"]
    active = [p for p in Pledge.objects.all() if p.status != "cancelled"]
    assert target["slug"] == "pledged-1-5bn"
    assert target["current_value"] == as_money(sum(p.amount_usd for p in active))
    assert target["percent_reached"] == "0.4"  # 6.67m of 1.5bn


def test_rollout_report(api_client, programme):
    body = api_client.get("/api/v1/reports/rollout/").json()
    zones = list(Zone.objects.all())
    by_status = Counter(z.status for z in zones)
    assert {row["status"]: row["zone_count"] for row in body["by_status"]} == {
        status: by_status.get(status, 0)
        for status in ("proposed", "approved", "under_development", "operational",
                       "suspended", "cancelled")
    }  # fmt: skip
    provinces = {row["province"]: row for row in body["by_province"]}
    assert provinces["Sindh"]["zone_count"] == 2
    assert provinces["Sindh"]["operational_count"] == 1
    assert provinces["Sindh"]["under_development_count"] == 1
    openings = {row["quarter"]: row for row in body["openings_by_quarter"]}
    planned = Counter(
        quarter(z.target_opening_date)
        for z in zones
        if z.target_opening_date and z.status != "cancelled"
    )
    actual = Counter(quarter(z.actual_opening_date) for z in zones if z.actual_opening_date)
    assert {q: row["planned_openings"] for q, row in openings.items()} == {
        q: planned.get(q, 0) for q in openings
    }
    assert {q: row["actual_openings"] for q, row in openings.items()} == {
        q: actual.get(q, 0) for q in openings
    }
    assert openings["2026-Q4"]["planned_openings"] == 1  # Gwadar's cancellation removed it
    assert body["totals"] == {"zone_count": 4, "operational_count": 1}
    assert [t["slug"] for t in body["targets"]] == ["twelve-zones"]
    assert body["targets"][0]["current_value"] == "1.00"


def test_rollout_report_date_range_applies_to_openings(api_client, programme):
    body = api_client.get("/api/v1/reports/rollout/?date_from=2026-04-01&date_to=2026-12-31").json()
    quarters = [row["quarter"] for row in body["openings_by_quarter"]]
    assert quarters == ["2026-Q2", "2026-Q4"]
    assert body["totals"]["zone_count"] == 4  # the status tallies are not dated


def test_companies_report(api_client, programme):
    body = api_client.get("/api/v1/reports/companies/").json()
    registrations = list(
        InterestRegistration.objects.select_related("company__sector").prefetch_related("zones")
    )
    companies = {r.company for r in registrations}
    assert body["totals"] == {
        "registration_count": len(registrations),
        "company_count": len(companies),
    }
    assert {row["origin"]: row["company_count"] for row in body["by_origin"]} == {
        "domestic": sum(c.origin == "domestic" for c in companies),
        "global": sum(c.origin == "global" for c in companies),
    }
    assert {row["sector"]: row["company_count"] for row in body["by_sector"]} == dict(
        Counter(c.sector.slug for c in companies)
    )
    for row in body["by_zone"]:
        for_zone = [r for r in registrations if row["zone"] in {z.slug for z in r.zones.all()}]
        assert row["registration_count"] == len(for_zone)
        assert row["company_count"] == len({r.company_id for r in for_zone})
    statuses = Counter(r.status for r in registrations)
    for row in body["by_status"]:
        assert row["registration_count"] == statuses.get(row["status"], 0)


def test_companies_report_filtered_by_zone_counts_a_two_zone_registration_once(
    api_client, programme
):
    body = api_client.get("/api/v1/reports/companies/?zone=karachi,hyderabad").json()
    in_scope = [
        r
        for r in InterestRegistration.objects.prefetch_related("zones")
        if {z.slug for z in r.zones.all()} & {"karachi", "hyderabad"}
    ]
    assert body["totals"]["registration_count"] == len(in_scope) == 4


def test_companies_report_date_range_applies_to_registration_date(api_client, programme):
    body = api_client.get("/api/v1/reports/companies/?date_to=2000-01-01").json()
    assert body["totals"] == {"registration_count": 0, "company_count": 0}


# --- CSV -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ("rollout", "investment", "companies"))
def test_each_report_downloads_as_csv(api_client, programme, name):
    response = api_client.get(f"/api/v1/reports/{name}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{name}-report.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["section"] == "totals"
    json_body = api_client.get(f"/api/v1/reports/{name}/").json()
    expected_rows = sum(
        len(value) if isinstance(value, list) else 1
        for key, value in json_body.items()
        if key != "filters"
    )
    assert len(rows) == expected_rows


def test_investment_csv_figures_equal_the_json(api_client, programme):
    rows = list(
        csv.DictReader(
            io.StringIO(api_client.get("/api/v1/reports/investment/?format=csv").content.decode())
        )
    )
    json_body = api_client.get("/api/v1/reports/investment/").json()
    by_zone = [row for row in rows if row["section"] == "by_zone"]
    assert [(r["zone"], r["pledged_usd"]) for r in by_zone] == [
        (r["zone"], r["pledged_usd"]) for r in json_body["by_zone"]
    ]
    (totals,) = [row for row in rows if row["section"] == "totals"]
    assert totals["pledged_usd"] == json_body["totals"]["pledged_usd"]


def test_csv_is_also_negotiated_by_accept_header(api_client, programme):
    response = api_client.get("/api/v1/reports/rollout/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")


def test_csv_defuses_spreadsheet_formulas(api_client, db):
    ZoneFactory(name='=HYPERLINK("http://evil.example")', slug="evil")
    text = api_client.get("/api/v1/reports/investment/?format=csv").content.decode()
    assert "'=HYPERLINK" in text


def test_errors_stay_json_when_csv_was_asked_for(api_client, db):
    response = api_client.get("/api/v1/reports/investment/?format=csv&date_from=yesterday")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "date_from" in response.json()["errors"]


# --- invalid filters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    (
        ("date_from=2026-13-01", "date_from"),
        ("date_to=soon", "date_to"),
        ("date_from=2026-05-01&date_to=2026-01-01", "date_to"),
        ("zone=atlantis", "zone"),
        ("zone=99999999999999999999999", "zone"),
        ("province=%00", "province"),
    ),
)
@pytest.mark.parametrize("name", ("rollout", "investment", "companies"))
def test_invalid_report_filters_are_400_with_field_errors(api_client, db, name, query, field):
    response = api_client.get(f"/api/v1/reports/{name}/?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]


# --- one function, many surfaces ----------------------------------------------------


def test_programme_summary_agrees_with_the_investment_report(api_client, programme):
    summary = reports.programme_summary()
    totals = api_client.get("/api/v1/reports/investment/").json()["totals"]
    assert as_money(summary.pledged_usd) == totals["pledged_usd"]
    assert as_money(summary.committed_usd) == totals["committed_usd"]
    assert as_money(summary.realized_usd) == totals["realized_usd"]
    assert summary.pledge_count == totals["pledge_count"]
    assert summary.zones_by_status["operational"] == 1
    assert {t.slug for t in summary.targets} == {"pledged-1-5bn", "twelve-zones"}


def test_aggregate_filters_agree_with_the_pledge_querysets(programme):
    """reports.COUNTS_TOWARDS_PROGRAMME / COMMITTED spell PledgeQuerySet.active()/committed()."""
    assert set(Pledge.objects.filter(reports.COUNTS_TOWARDS_PROGRAMME)) == set(
        Pledge.objects.active()
    )
    assert set(Pledge.objects.filter(reports.COMMITTED)) == set(Pledge.objects.committed())


def test_zone_totals_in_the_zone_list_agree_with_the_report(api_client, programme):
    zones = {z["slug"]: z for z in api_client.get("/api/v1/zones/").json()["results"]}
    for row in api_client.get("/api/v1/reports/investment/").json()["by_zone"]:
        assert zones[row["zone"]]["pledged_usd"] == row["pledged_usd"]
        assert zones[row["zone"]]["realized_usd"] == row["realized_usd"]


@pytest.mark.parametrize("name", ("rollout", "investment", "companies"))
def test_report_query_count_does_not_grow_with_the_data(
    api_client, programme, django_assert_max_num_queries, name
):
    with django_assert_max_num_queries(20):
        api_client.get(f"/api/v1/reports/{name}/")
    for _ in range(10):
        PledgeFactory(zone=ZoneFactory())
        InterestRegistrationFactory()
    TargetFactory(metric="realized_usd")
    with django_assert_max_num_queries(21):
        api_client.get(f"/api/v1/reports/{name}/")
