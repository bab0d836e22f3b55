"""The public register, plots and the performance report through the API."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.disclosure import suppress
from enterprises.models import AnnualReturn
from partners.models import PartnerKey
from tests.factories import (
    AnnualReturnFactory,
    EnterpriseFactory,
    PlotFactory,
    StaffUserFactory,
    ZoneFactory,
    accepted_return,
    date_writes_since,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def partner():
    client = APIClient()
    _, key = PartnerKey.objects.create_key(name="Statistics office", organisation="PBS")
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


@pytest.fixture
def staff():
    client = APIClient()
    client.force_login(StaffUserFactory(username="registry-staff"))
    return client


# --- The public register --------------------------------------------------------------------


def test_register_lists_issued_licences_with_computed_status_and_no_returns(anonymous):
    zone = ZoneFactory(status="operational", slug="kz")
    current = EnterpriseFactory(zone=zone)
    lapsed = EnterpriseFactory(zone=zone, issued_on=D(2015, 1, 1), expires_on=D(2020, 1, 1))
    EnterpriseFactory(zone=zone, status="applied", licence_number=None, issued_on=None,
                      expires_on=None)  # fmt: skip
    accepted_return(current)

    response = anonymous.get("/api/v1/enterprises/", {"zone": "kz"})

    assert response.status_code == 200
    statuses = {row["licence_number"]: row["status"] for row in response.json()["results"]}
    assert statuses == {current.licence_number: "licensed", lapsed.licence_number: "expired"}
    row = response.json()["results"][0]
    assert set(row) == {
        "id", "licence_number", "company", "zone", "status", "activities", "issued_on",
        "expires_on", "created", "updated",
    }  # fmt: skip
    assert set(row["company"]) == {"id", "name", "origin", "country"}


def test_register_filters_by_computed_status_and_updated_since(anonymous):
    EnterpriseFactory()
    lapsed = EnterpriseFactory(issued_on=D(2015, 1, 1), expires_on=D(2020, 1, 1))
    expired = anonymous.get("/api/v1/enterprises/", {"status": "expired"}).json()
    assert [row["id"] for row in expired["results"]] == [lapsed.pk]
    licensed = anonymous.get("/api/v1/enterprises/", {"status": "licensed"}).json()
    assert lapsed.pk not in [row["id"] for row in licensed["results"]]
    future = anonymous.get("/api/v1/enterprises/", {"updated_since": "2999-01-01"}).json()
    assert future["count"] == 0


@pytest.mark.parametrize(
    "query", [{"status": "nonsense"}, {"zone_id": "-3"}, {"updated_since": "x"}]
)
def test_register_bad_filters_are_400_with_field_errors(anonymous, query):
    response = anonymous.get("/api/v1/enterprises/", query)
    assert response.status_code == 400
    assert set(query) <= set(response.json()["errors"])


def test_register_query_count_does_not_grow_with_rows(anonymous, django_assert_max_num_queries):
    for _ in range(3):
        EnterpriseFactory()
    with django_assert_max_num_queries(4):
        anonymous.get("/api/v1/enterprises/")
    for _ in range(20):
        EnterpriseFactory()
    with django_assert_max_num_queries(4):
        assert anonymous.get("/api/v1/enterprises/").json()["count"] == 23


# --- Plots ----------------------------------------------------------------------------------


def test_plots_are_for_partners_and_staff_only(anonymous, partner, staff):
    enterprise = EnterpriseFactory()
    PlotFactory(zone=enterprise.zone, status="allocated", enterprise=enterprise, number="Q-1")
    assert anonymous.get("/api/v1/plots/").status_code == 401
    for client in (partner, staff):
        response = client.get("/api/v1/plots/", {"status": "allocated"})
        assert response.status_code == 200
        row = response.json()["results"][0]
        assert row["holder"] == {
            "licence_number": enterprise.licence_number,
            "company": enterprise.company.name,
        }


def test_plots_filters(partner):
    zone = ZoneFactory(slug="pz")
    PlotFactory(zone=zone, kind="office", area_m2=Decimal("500"))
    PlotFactory(zone=zone, kind="land", area_m2=Decimal("5000"))
    PlotFactory(kind="land")
    body = partner.get("/api/v1/plots/", {"zone": "pz", "area_m2__gte": "1000"}).json()
    assert [row["kind"] for row in body["results"]] == ["land"]
    assert partner.get("/api/v1/plots/", {"kind": "castle"}).status_code == 400


def test_plots_query_count_does_not_grow_with_rows(partner, django_assert_max_num_queries):
    def rows(n):
        for _ in range(n):
            enterprise = EnterpriseFactory()
            PlotFactory(zone=enterprise.zone, status="occupied", enterprise=enterprise)

    rows(2)
    with django_assert_max_num_queries(6):
        partner.get("/api/v1/plots/")
    rows(20)
    with django_assert_max_num_queries(6):
        assert partner.get("/api/v1/plots/").json()["count"] == 22


# --- Reports --------------------------------------------------------------------------------


@pytest.fixture
def three_and_two():
    """Zone A: three enterprises with accepted returns; zone B: two (disclosive)."""
    zone_a = ZoneFactory(status="operational", slug="zone-a", name="A zone")
    zone_b = ZoneFactory(status="operational", slug="zone-b", name="B zone")
    for index in range(3):
        accepted_return(EnterpriseFactory(zone=zone_a), employees_total=100 + index)
    for _ in range(2):
        accepted_return(EnterpriseFactory(zone=zone_b))
    return zone_a, zone_b


def test_performance_matches_sums_computed_independently(staff, three_and_two):
    body = staff.get("/api/v1/reports/performance/").json()
    year = body["by_year"][0]
    expected = AnnualReturn.objects.filter(status="accepted").aggregate(
        jobs=Sum("employees_total"), women=Sum("employees_women"), exports=Sum("exports_usd")
    )
    assert year["fiscal_year"] == "2025-26"
    assert year["enterprise_count"] == 5
    assert year["employees_total"] == expected["jobs"]
    assert year["employees_women"] == expected["women"]
    assert Decimal(year["exports_usd"]) == expected["exports"]
    # Staff see every figure, the small zone's too.
    assert not any(row["suppressed"] for row in body["by_zone_and_year"])


def test_partners_and_public_never_see_a_group_of_fewer_than_three(
    anonymous, partner, three_and_two
):
    for client in (anonymous, partner):
        rows = client.get("/api/v1/reports/performance/").json()["by_zone_and_year"]
        by_zone = {row["zone"]: row for row in rows}
        assert by_zone["zone-b"]["suppressed"] is True
        assert by_zone["zone-b"]["employees_total"] is None
        assert by_zone["zone-b"]["exports_usd"] is None
        # Zone A would give zone B away by subtraction from the year's total: blanked too.
        assert by_zone["zone-a"]["suppressed"] is True
        # The year's total is over five enterprises: shown.
        year = client.get("/api/v1/reports/performance/").json()["by_year"][0]
        assert year["suppressed"] is False and year["employees_total"] == 503


def test_secondary_suppression_spares_groups_when_two_are_blanked():
    rows = [{"fiscal_year": "2025-26", "enterprise_count": n, "jobs": 10 * n} for n in (1, 2, 5, 9)]
    out = suppress(rows, figures=("jobs",), total_group=lambda row: row["fiscal_year"])
    assert [row["suppressed"] for row in out] == [True, True, False, False]
    rows = rows[1:]
    out = suppress(rows, figures=("jobs",), total_group=lambda row: row["fiscal_year"])
    assert [row["suppressed"] for row in out] == [True, True, False]


def test_compliance_counts_on_time_late_and_overdue(anonymous):
    since = timezone.now()
    enterprise = EnterpriseFactory()
    accepted_return(enterprise, "2024-25", due_on=D(2025, 10, 28), submitted_on=D(2025, 10, 1))
    accepted_return(enterprise, "2025-26", due_on=D(2026, 10, 28), submitted_on=D(2026, 11, 2))
    AnnualReturnFactory(fiscal_year="2025-26", due_on=D(2026, 10, 28))
    AnnualReturnFactory(fiscal_year="2026-27", due_on=D(2027, 10, 28))
    # Read as of a past day, the report sees the registry as it stood then.
    date_writes_since(since, D(2026, 11, 20))

    body = anonymous.get("/api/v1/reports/performance/", {"as_of": "2026-11-28"}).json()
    by_year = {row["fiscal_year"]: row for row in body["compliance"]}
    assert by_year["2024-25"]["filed_on_time_count"] == 1
    assert by_year["2025-26"]["filed_late_count"] == 1
    assert by_year["2025-26"]["overdue_count"] == 1
    assert by_year["2026-27"]["not_yet_due_count"] == 1
    assert body["filters"]["as_of"] == "2026-11-28"


def test_performance_csv_and_bad_query(anonymous, three_and_two):
    response = anonymous.get("/api/v1/reports/performance/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    sections = {row["section"] for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert sections == {"by_year", "by_zone_and_year", "compliance"}
    bad = anonymous.get("/api/v1/reports/performance/", {"as_of": "2026-13-01", "zone": "nowhere"})
    assert bad.status_code == 400
    assert {"as_of", "zone"} <= set(bad.json()["errors"])


def test_performance_date_range_selects_fiscal_years(staff, three_and_two):
    accepted_return(EnterpriseFactory(), "2024-25")
    body = staff.get(
        "/api/v1/reports/performance/", {"date_from": "2025-07-01", "date_to": "2026-06-30"}
    ).json()
    assert [row["fiscal_year"] for row in body["by_year"]] == ["2025-26"]
    body = staff.get("/api/v1/reports/performance/", {"date_to": "2026-06-29"}).json()
    assert [row["fiscal_year"] for row in body["by_year"]] == ["2024-25"]


def test_performance_query_count_is_flat(anonymous, django_assert_max_num_queries):
    for _ in range(3):
        accepted_return(EnterpriseFactory())
    with django_assert_max_num_queries(5):
        anonymous.get("/api/v1/reports/performance/")
    for _ in range(20):
        accepted_return(EnterpriseFactory(zone=ZoneFactory()))
    with django_assert_max_num_queries(5):
        anonymous.get("/api/v1/reports/performance/")


def test_rollout_gains_licences_and_occupancy_per_zone(anonymous):
    zone = ZoneFactory(status="operational", slug="rz")
    holder = EnterpriseFactory(zone=zone)
    EnterpriseFactory(zone=zone, issued_on=D(2015, 1, 1), expires_on=D(2020, 1, 1))
    PlotFactory(zone=zone, area_m2=Decimal("3000"), status="occupied", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("1000"), status="allocated", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("6000"))

    body = anonymous.get("/api/v1/reports/rollout/").json()
    (row,) = body["operating_by_zone"]
    assert (row["zone"], row["licensed_count"], row["expired_count"]) == ("rz", 1, 1)
    assert (row["plot_count"], row["occupied_plot_count"], row["allocated_plot_count"]) == (3, 1, 1)
    assert row["occupied_area_m2"] == "3000.00"
    assert row["occupancy_pct"] == "40.0"


def test_schema_documents_the_new_endpoints(anonymous):
    paths = anonymous.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert {"/api/v1/enterprises/", "/api/v1/plots/", "/api/v1/reports/performance/"} <= set(paths)


def test_zone_page_shows_licences_occupancy_and_the_register(client):
    zone = ZoneFactory(status="operational", slug="page-zone")
    holder = EnterpriseFactory(zone=zone, company__name="Visible Software Ltd")
    accepted_return(holder)
    PlotFactory(zone=zone, area_m2=Decimal("1000"), status="occupied", enterprise=holder)
    PlotFactory(zone=zone, area_m2=Decimal("3000"))

    content = client.get("/zones/page-zone/").content.decode()

    assert "1 licensed enterprise" in content
    assert "25.0 %" in content
    assert holder.licence_number in content and "Visible Software Ltd" in content
    assert "employees" not in content.lower()  # no return figure of one enterprise


@pytest.mark.parametrize("day", ["0001-01-01", "0127-05-02", "9999-12-31"])
def test_performance_takes_any_valid_date(anonymous, day):
    for key in ("date_from", "date_to"):
        assert anonymous.get("/api/v1/reports/performance/", {key: day}).status_code == 200


def test_zone_page_query_count_is_flat_in_enterprises(client, django_assert_max_num_queries):
    from tests.admin.test_admin import query_count

    zone = ZoneFactory(status="operational", slug="busy-zone")

    def licensed(n):
        for _ in range(n):
            holder = EnterpriseFactory(zone=zone)
            PlotFactory(zone=zone, status="occupied", enterprise=holder)

    licensed(2)
    with django_assert_max_num_queries(9):
        few = query_count(client, "/zones/busy-zone/")
    licensed(20)
    with django_assert_max_num_queries(9):
        many = query_count(client, "/zones/busy-zone/")
    assert few == many
