"""Companies, interests and pledges: each filter, query counts, and garbage input."""

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest

from investments.services import pledge_record
from tests.factories import (
    CompanyFactory,
    ExchangeRateFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

LIST_PATHS = ("zones", "developers", "incentives", "companies", "interests", "pledges", "deletions")


def ids(response, key="id"):
    assert response.status_code == 200, response.content
    return sorted(row[key] for row in response.json()["results"])


@pytest.fixture
def data():
    software, fintech = SectorFactory(slug="software"), SectorFactory(slug="fintech")
    karachi = ZoneFactory(slug="karachi", province="Sindh", city="Karachi")
    lahore = ZoneFactory(slug="lahore", province="Punjab", city="Lahore")
    local = CompanyFactory(name="Local Soft", origin="domestic", country="PK", sector=software,
                           size="small")  # fmt: skip
    foreign = CompanyFactory(name="Global Pay", origin="global", country="DE", sector=fintech,
                             size="large")  # fmt: skip
    r_local = InterestRegistrationFactory(
        company=local, zones=[karachi, lahore], status="accepted", channel="web",
        planned_investment_usd=Decimal("100000"), target_date=datetime.date(2026, 9, 1),
    )  # fmt: skip
    r_foreign = InterestRegistrationFactory(
        company=foreign, zones=[lahore], status="received", channel="api",
        planned_investment_usd=Decimal("9000000"), target_date=datetime.date(2027, 9, 1),
    )  # fmt: skip
    ExchangeRateFactory(currency="PKR", date=datetime.date(2026, 1, 1))
    p_usd = PledgeFactory(company=local, zone=karachi, amount=Decimal("500000"),
                          pledged_on=datetime.date(2026, 2, 1), status="committed",
                          registration=r_local)  # fmt: skip
    p_pkr = pledge_record(company=foreign, zone=lahore, amount=Decimal("280000000"),
                          currency="PKR", pledged_on=datetime.date(2026, 7, 1))  # fmt: skip
    return {
        "karachi": karachi, "lahore": lahore, "local": local, "foreign": foreign,
        "r_local": r_local, "r_foreign": r_foreign, "p_usd": p_usd, "p_pkr": p_pkr,
    }  # fmt: skip


def test_pkr_pledge_is_shown_with_its_usd_equivalent(partner_client, data):
    row = partner_client.get(f"/api/v1/pledges/{data['p_pkr'].pk}/").json()
    assert (row["amount"], row["currency"], row["amount_usd"]) == (
        "280000000.00",
        "PKR",
        "1000000.01",
    )
    assert row["zone"]["slug"] == "lahore"
    assert row["company"]["name"] == "Global Pay"


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        ("status=committed", ["p_usd"]),
        ("status__in=announced,realized", ["p_pkr"]),
        ("currency=pkr", ["p_pkr"]),
        ("currency__in=USD,EUR", ["p_usd"]),
        ("zone=karachi", ["p_usd"]),
        ("zone__in=karachi,lahore", ["p_usd", "p_pkr"]),
        ("province=punjab", ["p_pkr"]),
        ("province__in=Sindh", ["p_usd"]),
        ("city=karachi", ["p_usd"]),
        ("origin=global", ["p_pkr"]),
        ("country=de", ["p_pkr"]),
        ("country__in=PK", ["p_usd"]),
        ("sector=software", ["p_usd"]),
        ("sector__in=fintech,other", ["p_pkr"]),
        ("pledged_on=2026-02-01", ["p_usd"]),
        ("pledged_on__gte=2026-03-01", ["p_pkr"]),
        ("pledged_on__lte=2026-03-01", ["p_usd"]),
        ("amount__gte=1000000", ["p_pkr"]),
        ("amount_usd__gte=600000", ["p_pkr"]),
        ("amount_usd__lte=600000", ["p_usd"]),
        ("realized_usd__gte=1", []),
        ("realized_usd__lte=0", ["p_usd", "p_pkr"]),
        ("search=Global", ["p_pkr"]),
    ),
)
def test_pledge_filters(partner_client, data, query, expected):
    assert ids(partner_client.get(f"/api/v1/pledges/?{query}")) == sorted(
        data[name].pk for name in expected
    )


def test_pledge_filters_by_ids_and_registration(partner_client, data):
    karachi, foreign = data["karachi"], data["foreign"]
    assert ids(partner_client.get(f"/api/v1/pledges/?zone_id={karachi.pk}")) == [data["p_usd"].pk]
    assert ids(partner_client.get(f"/api/v1/pledges/?zone_id__in={karachi.pk},999")) == [
        data["p_usd"].pk
    ]
    assert ids(partner_client.get(f"/api/v1/pledges/?company_id={foreign.pk}")) == [
        data["p_pkr"].pk
    ]
    assert ids(partner_client.get(f"/api/v1/pledges/?company_id__in={foreign.pk}")) == [
        data["p_pkr"].pk
    ]
    reference = data["r_local"].reference.lower()
    assert ids(partner_client.get(f"/api/v1/pledges/?registration={reference}")) == [
        data["p_usd"].pk
    ]
    developer = karachi.developer
    assert ids(partner_client.get(f"/api/v1/pledges/?developer={developer.slug}")) == [
        data["p_usd"].pk
    ]
    assert ids(partner_client.get(f"/api/v1/pledges/?developer_id={developer.pk}")) == [
        data["p_usd"].pk
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        ("origin=domestic", ["local"]),
        ("origin__in=global,domestic", ["local", "foreign"]),
        ("country=de", ["foreign"]),
        ("country__in=PK,FR", ["local"]),
        ("sector=fintech", ["foreign"]),
        ("sector__in=software", ["local"]),
        ("size=large", ["foreign"]),
        ("size__in=small,micro", ["local"]),
        ("zone=karachi", ["local"]),
        ("zone__in=karachi,lahore", ["local", "foreign"]),
        ("pledged_usd__gte=600000", ["foreign"]),
        ("pledged_usd__lte=600000", ["local"]),
        ("search=soft", ["local"]),
    ),
)
def test_company_filters(partner_client, data, query, expected):
    assert ids(partner_client.get(f"/api/v1/companies/?{query}")) == sorted(
        data[name].pk for name in expected
    )


def test_company_filters_by_zone_and_sector_ids(partner_client, data):
    lahore, local = data["lahore"], data["local"]
    assert ids(partner_client.get(f"/api/v1/companies/?zone_id={lahore.pk}")) == sorted(
        [data["local"].pk, data["foreign"].pk]
    )
    assert ids(partner_client.get(f"/api/v1/companies/?zone_id__in={data['karachi'].pk}")) == [
        local.pk
    ]
    assert ids(partner_client.get(f"/api/v1/companies/?sector_id={local.sector_id}")) == [local.pk]
    assert ids(partner_client.get(f"/api/v1/companies/?sector_id__in={local.sector_id}")) == [
        local.pk
    ]


def test_company_totals(partner_client, data):
    row = partner_client.get(f"/api/v1/companies/{data['foreign'].pk}/").json()
    assert (row["pledged_usd"], row["pledge_count"], row["registration_count"]) == (
        "1000000.01",
        1,
        1,
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    (
        ("status=accepted", ["r_local"]),
        ("status__in=received,under_review", ["r_foreign"]),
        ("channel=api", ["r_foreign"]),
        ("channel__in=web,staff", ["r_local"]),
        ("zone=karachi", ["r_local"]),
        ("zone__in=karachi,lahore", ["r_local", "r_foreign"]),
        ("province=sindh", ["r_local"]),
        ("origin=global", ["r_foreign"]),
        ("country=PK", ["r_local"]),
        ("country__in=DE,FR", ["r_foreign"]),
        ("sector=software", ["r_local"]),
        ("sector__in=fintech", ["r_foreign"]),
        ("planned_investment_usd__gte=1000000", ["r_foreign"]),
        ("planned_investment_usd__lte=1000000", ["r_local"]),
        ("target_date__gte=2027-01-01", ["r_foreign"]),
        ("target_date__lte=2027-01-01", ["r_local"]),
        ("search=Local", ["r_local"]),
    ),
)
def test_interest_filters(partner_client, data, query, expected):
    assert ids(partner_client.get(f"/api/v1/interests/?{query}")) == sorted(
        data[name].pk for name in expected
    )


def test_interest_filters_by_ids_and_reference(partner_client, data):
    karachi, local = data["karachi"], data["local"]
    r_local = data["r_local"]
    assert ids(partner_client.get(f"/api/v1/interests/?zone_id={karachi.pk}")) == [r_local.pk]
    assert ids(partner_client.get(f"/api/v1/interests/?zone_id__in={karachi.pk}")) == [r_local.pk]
    assert ids(partner_client.get(f"/api/v1/interests/?company_id={local.pk}")) == [r_local.pk]
    assert ids(partner_client.get(f"/api/v1/interests/?company_id__in={local.pk}")) == [r_local.pk]
    assert ids(partner_client.get(f"/api/v1/interests/?reference={r_local.reference}")) == [
        r_local.pk
    ]


def test_a_registration_for_two_matching_zones_is_listed_once(partner_client, data):
    body = partner_client.get("/api/v1/interests/?zone__in=karachi,lahore").json()
    assert body["count"] == 2


@pytest.mark.parametrize(
    ("path", "query", "field"),
    (
        ("pledges", "status=maybe", "status"),
        ("pledges", "zone_id=abc", "zone_id"),
        ("pledges", "zone_id=99999999999999999999999", "zone_id"),
        ("pledges", "amount_usd__gte=abc", "amount_usd__gte"),
        ("pledges", "pledged_on__gte=2026-02-30", "pledged_on__gte"),
        ("companies", "origin=martian", "origin"),
        ("companies", "size__in=tiny", "size__in"),
        ("companies", "zone_id__in=1,two", "zone_id__in"),
        ("interests", "channel=fax", "channel"),
        ("interests", "target_date__lte=someday", "target_date__lte"),
        ("interests", "company_id=-1", "company_id"),
        ("deletions", "resource=contact", "resource"),
    ),
)
def test_invalid_filter_values_are_400_with_the_field_named(partner_client, path, query, field):
    response = partner_client.get(f"/api/v1/{path}/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


# --- query counts ----------------------------------------------------------------------


def build_rows(count):
    """`count` of everything, each zone with sectors, incentives, history and pledges."""
    sector = SectorFactory()
    for _ in range(count):
        zone = ZoneFactory()
        zone.sectors.add(sector)
        zone.incentives.add(IncentiveFactory())
        registration = InterestRegistrationFactory(zones=[zone])
        PledgeFactory(zone=zone, company=registration.company, registration=registration)
        zone.status_changes.create(status="approved", changed_on=datetime.date(2026, 1, 1))


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("client_name", ("partner_client", "staff_client"))
def test_query_count_is_the_same_for_5_and_100_rows_a_page(
    request, django_assert_max_num_queries, path, client_name
):
    client = request.getfixturevalue(client_name)
    build_rows(100)
    # Authentication (key or session) + count + page + one per prefetched relation.
    budget = 12
    with django_assert_max_num_queries(budget):
        small = client.get(f"/api/v1/{path}/?page_size=5")
    with django_assert_max_num_queries(budget):
        large = client.get(f"/api/v1/{path}/?page_size=100")
    assert small.status_code == large.status_code == 200
    if path != "deletions":
        assert len(large.json()["results"]) == 100


def test_detail_query_counts_are_bounded(partner_client, django_assert_max_num_queries):
    build_rows(3)
    with django_assert_max_num_queries(8):
        assert partner_client.get("/api/v1/zones/?page_size=1").status_code == 200


# --- garbage in, never a 500 -------------------------------------------------------------

GARBAGE_VALUES = (
    "",
    " ",
    "%00",
    "null",
    "-1",
    "0",
    "1e999999",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "1,2,,3",
    "%FF%FE",
    "'; DROP TABLE zones; --",
    "<script>",
    "2026-02-30",
    "9999-12-31T23:59:59Z",
    quote("😀" * 50),
    "a" * 3000,
)


@pytest.mark.slow
@pytest.mark.parametrize("path", LIST_PATHS)
def test_garbage_query_strings_never_cause_a_500(partner_client, no_throttle, path):
    ZoneFactory(slug="karachi")
    filterset_params = partner_client.get("/api/v1/schema/?format=json").json()["paths"][
        f"/api/v1/{path}/"
    ]["get"]["parameters"]
    names = [p["name"] for p in filterset_params] + ["unknown", "page[size]", "format"]
    for name in names:
        for value in GARBAGE_VALUES:
            response = partner_client.get(f"/api/v1/{path}/?{name}={value}")
            assert response.status_code < 500, (name, value, response.content[:300])
            assert response["Content-Type"].startswith("application/json"), (name, value)


def _pledges_in_one_zone():
    zone = ZoneFactory()
    for status in ("announced", "committed", "cancelled"):
        PledgeFactory(zone=zone, status=status)
    PledgeFactory(status="realized")
    return f"zone={zone.slug}&status=cancelled"


def _registrations_in_one_zone():
    zone = ZoneFactory()
    for status in ("received", "accepted", "declined"):
        InterestRegistrationFactory(zones=[zone], status=status)
    InterestRegistrationFactory(status="accepted")
    return f"zone={zone.slug}&status=declined"


@pytest.mark.parametrize(
    "path, model, make",
    [
        ("pledges", "investments.Pledge", _pledges_in_one_zone),
        ("interests", "companies.InterestRegistration", _registrations_in_one_zone),
    ],
)
def test_an_unfiltered_list_counts_from_summary_rows_not_the_table(
    partner_client, path, model, make
):
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = apps.get_model(model)
    one_of_four = make()

    with CaptureQueriesContext(connection) as queries:
        page = partner_client.get(f"/api/v1/{path}/?page_size=2&ordering=-created")
    assert page.status_code == 200
    assert page.json()["count"] == table.objects.count() == 4
    assert len(page.json()["results"]) == 2
    quoted = f'"{table._meta.db_table}"'
    assert not any(
        "COUNT(" in query["sql"] and quoted in query["sql"] for query in queries.captured_queries
    )
    # A filter counts the rows it selects.
    assert partner_client.get(f"/api/v1/{path}/?{one_of_four}").json()["count"] == 1
    # Past the last page is still a clear 404, as with a counted list.
    assert partner_client.get(f"/api/v1/{path}/?page=9").status_code == 404
