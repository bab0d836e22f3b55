"""Query-count guards: no list, report or changelist may cost more queries as data grows.

A page or report whose query count rises with the rows is an N+1 that stays invisible on
demo data and takes seconds at a million pledges (docs/scale.md). The API lists are guarded
in tests/api/test_partner_lists.py (5 and 100 rows a page); here every report, in JSON and
CSV, and every changelist registered on the admin site, with 2 and then 20 of everything.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company
from core.paginators import EstimatedCountPaginator
from investments.services import disbursement_record
from partners.models import IdempotencyRecord, PartnerKey
from programme.models import Tombstone
from tests.factories import (
    ContactFactory,
    ExchangeRateFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    TargetFactory,
    UserFactory,
    ZoneFactory,
    ZoneStatusChangeFactory,
)

pytestmark = pytest.mark.django_db

REPORTS = ("rollout", "investment", "companies")
# A report is a fixed set of grouped queries plus one per target (there are three targets
# below, one per metric family), whatever the number of zones.
REPORT_CEILING = 20
CHANGELIST_CEILING = 16


def grow(count):
    """`count` more of every kind of row the reports and changelists show."""
    sector = SectorFactory()
    for n in range(count):
        zone = ZoneFactory(status="operational", target_opening_date=datetime.date(2026, 1, 1))
        zone.sectors.add(sector)
        zone.incentives.add(IncentiveFactory())
        ZoneStatusChangeFactory(zone=zone)
        registration = InterestRegistrationFactory(zones=[zone])
        pledge = PledgeFactory(zone=zone, company=registration.company, status="in_progress")
        disbursement_record(
            pledge=pledge, amount=Decimal("1000.00"), disbursed_on=datetime.date(2026, 4, 1)
        )
        ContactFactory(company=registration.company)
        ExchangeRateFactory(currency="PKR", date=datetime.date(2020, 1, 1) + datetime.timedelta(n))
        user = UserFactory()
        PartnerKey.objects.create_key(name=f"Key {user.username}", organisation="PBS")
        Tombstone.objects.create(resource="zone", object_id=str(zone.pk))
        IdempotencyRecord.objects.create(
            user=user,
            key=f"key-{user.username}",
            request_fingerprint="0" * 64,
            response_status=201,
            response_body={},
        )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture(autouse=True)
def _fast_key_hashing(settings):
    # Partner keys and users are hashed on creation; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def targets(db):
    for metric in ("pledged_usd", "zones_operational", "companies_interested"):
        TargetFactory(metric=metric)


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("output", ("json", "csv"))
def test_a_report_costs_the_same_for_2_and_20_zones(client, targets, name, output):
    url = f"/api/v1/reports/{name}/?format={output}"
    grow(2)
    few = queries_for(client, url)
    grow(18)
    many = queries_for(client, url)
    assert few == many <= REPORT_CEILING


def test_a_filtered_report_costs_the_same_for_2_and_20_zones(client, targets):
    grow(2)
    url = "/api/v1/reports/investment/?date_from=2026-01-01&province=" + "Sindh"
    few = queries_for(client, url)
    grow(18)
    assert queries_for(client, url) == few


def changelist_urls():
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def test_every_registered_changelist_is_guarded():
    # A model newly registered on the admin site is picked up by the test below; this pins
    # that the busy ones are among them.
    urls = changelist_urls()
    for name in ("zones_zone", "companies_company", "investments_pledge"):
        assert reverse(f"admin:{name}_changelist") in urls
    assert reverse("admin:companies_interestregistration_changelist") in urls


@pytest.mark.parametrize("url", changelist_urls())
def test_every_changelist_costs_the_same_for_2_and_20_rows(client, staff_user, url):
    client.force_login(staff_user)
    grow(2)
    few = queries_for(client, url)
    grow(18)
    many = queries_for(client, url)
    assert few == many <= CHANGELIST_CEILING, url


def test_the_dashboard_costs_the_same_for_2_and_20_zones(client, staff_user, targets):
    client.force_login(staff_user)
    grow(2)
    few = queries_for(client, reverse("admin:index"))
    grow(18)
    assert queries_for(client, reverse("admin:index")) == few


def test_the_public_home_page_costs_the_same_for_2_and_20_zones(client, targets):
    grow(2)
    few = queries_for(client, "/")
    grow(18)
    assert queries_for(client, "/") == few


# --- the estimated count for huge changelists ----------------------------------------------


class EstimateAnyTable(EstimatedCountPaginator):
    ESTIMATE_ABOVE = 0


def analyse(model):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics")
def test_an_unfiltered_huge_table_is_counted_from_postgresql_statistics(db):
    grow(3)
    analyse(Company)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [Company._meta.db_table],
        )
        estimate = cursor.fetchone()[0]
    paginator = EstimateAnyTable(Company.objects.order_by("name"), 100)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == estimate
    assert "count(" not in queries[0]["sql"].lower()


def test_a_filtered_queryset_is_counted_exactly(db):
    grow(3)
    analyse_if_postgresql = connection.vendor == "postgresql"
    if analyse_if_postgresql:
        analyse(Company)
    queryset = Company.objects.filter(pk__in=Company.objects.values("pk")[:2])
    assert EstimateAnyTable(queryset, 100).count == 2


def test_a_small_table_is_counted_exactly(db):
    grow(3)
    if connection.vendor == "postgresql":
        analyse(Company)
    # Below ESTIMATE_ABOVE (100,000) rows, and on SQLite always: count(*).
    assert EstimatedCountPaginator(Company.objects.all(), 100).count == 3
