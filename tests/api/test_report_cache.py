"""Reports are computed once per write, per filter and per kind of caller (core.datacache)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.datacache import GENERATION_KEY, cached, data_generation
from tests.enterprises.test_api import three_and_two  # noqa: F401  (a fixture)
from tests.factories import PledgeFactory, ZoneFactory

pytestmark = pytest.mark.django_db

REPORTS = ["rollout", "investment", "companies", "performance"]


def report_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response, len(queries)


@pytest.mark.parametrize("name", REPORTS)
def test_a_repeated_report_is_read_from_the_cache_until_the_next_write(api_client, name):
    PledgeFactory(zone=ZoneFactory(status="operational"))
    url = f"/api/v1/reports/{name}/"
    first, computed = report_queries(api_client, url)
    again, cached = report_queries(api_client, url)
    assert again.json() == first.json()
    assert cached == 0 < computed

    PledgeFactory(zone=ZoneFactory(status="operational", province="Punjab"))
    after_write, recomputed = report_queries(api_client, url)
    assert recomputed == computed
    if name in ("rollout", "investment"):
        assert after_write.json() != first.json()


def test_each_filter_has_its_own_entry(api_client):
    PledgeFactory(zone=ZoneFactory(status="operational", province="Sindh"))
    whole = api_client.get("/api/v1/reports/investment/").json()
    punjab = api_client.get("/api/v1/reports/investment/?province=Punjab").json()
    assert whole["totals"] != punjab["totals"]
    assert api_client.get("/api/v1/reports/investment/").json() == whole


def test_figures_staff_may_see_are_never_served_to_the_public_from_the_cache(
    staff_client,
    api_client,
    three_and_two,  # noqa: F811
):
    def zone_b(client):
        rows = client.get("/api/v1/reports/performance/").json()["by_zone_and_year"]
        return next(row for row in rows if row["zone"] == "zone-b")

    assert zone_b(staff_client)["suppressed"] is False  # staff first: cached for staff
    public = zone_b(api_client)
    assert public["suppressed"] is True and public["employees_total"] is None


def test_a_commit_moves_the_generation_again(django_capture_on_commit_callbacks):
    before = data_generation()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ZoneFactory()
    assert callbacks
    assert data_generation() >= before + 2  # once at the write, once at the commit


def test_a_lost_counter_never_comes_back_as_an_old_number(api_client):
    before = data_generation()
    cache.delete(GENERATION_KEY)
    assert data_generation() > before


def test_with_the_cache_off_every_read_computes(settings, api_client):
    settings.REPORT_CACHE_SECONDS = 0
    _, first = report_queries(api_client, "/api/v1/reports/rollout/")
    _, second = report_queries(api_client, "/api/v1/reports/rollout/")
    assert second == first > 0


def test_a_cache_server_that_is_down_still_gets_the_result(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    assert cached("report.test", ("whole programme",), lambda: "computed") == "computed"
    ZoneFactory()  # and a write is not refused because the counter cannot move
