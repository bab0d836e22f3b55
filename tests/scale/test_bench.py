"""The benchmark's own logic: database naming, percentiles, targets, the raw-SQL floors."""

import pytest
from django.db import connection

from bench.bare import path_for as bare_path_for
from bench.raw_sql import RAW_SQL
from bench.run import (
    ENDPOINTS,
    percentile,
    render,
    scale_database_url,
    target_met,
)
from tests.factories import (
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    StaffUserFactory,
    ZoneFactory,
)


def test_each_scale_gets_its_own_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/registry_bench")

    url, name = scale_database_url("M")

    assert name == "registry_bench_m"
    assert url == "postgres://postgres@127.0.0.1:5432/registry_bench_m"


def test_refuses_a_database_that_is_not_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db.sqlite3")

    with pytest.raises(SystemExit):
        scale_database_url("S")


def test_percentile_picks_the_nearest_rank():
    values = list(range(1, 21))  # 1 … 20

    assert percentile(values, 0.95) == 19
    assert percentile(values, 0.5) == 10
    assert percentile([7.0], 0.95) == 7.0


@pytest.mark.parametrize(
    ("kind", "median", "ratio", "met"),
    [
        ("list", 49.9, 30.0, True),
        ("list", 50.1, 1.0, False),
        ("admin", 300.0, 99.0, True),
        ("admin", 301.0, 1.0, False),
        ("report", 900.0, 1.5, True),
        ("report", 10.0, 1.6, False),
        ("report", 10.0, None, False),
        ("public", 999.0, None, None),
    ],
)
def test_targets_of_issue_6(kind, median, ratio, met):
    assert target_met(kind, median, ratio) is met


def test_every_benchmarked_endpoint_has_a_raw_sql_floor():
    assert {name for name, *_ in ENDPOINTS} <= set(RAW_SQL)


def test_the_table_marks_missed_targets_and_skipped_endpoints():
    results = {
        "scale": "S",
        "database": "registry_bench_s",
        "data": {"zones": 20, "pledges": 10_000},
        "workers": 4,
        "requests": 30,
        "load_average_at_start": [0.5, 0.4, 0.3],
        "endpoints": [
            {
                "name": "api zones",
                "kind": "list",
                "median_ms": 80.0,
                "p95_ms": 95.0,
                "samples": 30,
                "queries": 6,
                "raw_sql_ms": 4.0,
                "ratio_to_raw": 20.0,
                "target_met": False,
            },
            {"name": "admin pledges", "kind": "admin", "skipped": "HTTP 404"},
        ],
        "load": {},
    }

    text = render(results)

    assert "| api zones " in text and "| NO " in text
    assert "HTTP 404" in text
    assert "10,000 pledges" in text


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL")
@pytest.mark.parametrize("name", sorted(RAW_SQL))
def test_raw_sql_floor_runs_against_the_current_schema(name):
    # A renamed column or table must break this test, not a benchmark run at scale L.
    with connection.cursor() as cursor:
        for statement in RAW_SQL[name]:
            cursor.execute(statement)
            cursor.fetchall()


def test_the_table_shows_the_ratio_to_the_bare_view():
    row = {
        "name": "api pledges",
        "kind": "list",
        "median_ms": 30.0,
        "p95_ms": 40.0,
        "samples": 30,
        "queries": 3,
        "raw_sql_ms": 3.0,
        "ratio_to_raw": 10.0,
        "bare_median_ms": 7.5,
        "ratio_to_bare": 4.0,
        "target_met": True,
    }
    report = {**row, "name": "report rollout", "kind": "report"}
    del report["bare_median_ms"], report["ratio_to_bare"]
    results = {
        "scale": "S",
        "database": "registry_bench_s",
        "data": {"pledges": 10},
        "workers": 4,
        "requests": 30,
        "load_average_at_start": [0.5, 0.4, 0.3],
        "endpoints": [row, report],
        "load": {},
    }

    lines = render(results).splitlines()

    header = [cell.strip() for cell in lines[2].strip("|").split("|")]
    pledges = [cell.strip() for cell in lines[4].strip("|").split("|")]
    rollout = [cell.strip() for cell in lines[5].strip("|").split("|")]
    assert header[5:9] == ["raw SQL ms", "× raw", "bare ms", "× bare"]
    assert pledges[5:9] == ["3.0", "10.0", "7.5", "4.0"]
    assert rollout[7:9] == ["—", "—"]


def test_every_api_list_has_a_bare_view_and_nothing_else_does():
    lists = {name for name, kind, *_ in ENDPOINTS if kind == "list"}

    assert {name for name, *_ in ENDPOINTS if bare_path_for(name)} == lists
    assert bare_path_for("report investment") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "api_path"),
    [(name, path) for name, kind, path, _ in ENDPOINTS if kind == "list"],
)
def test_the_bare_view_serves_the_same_page_as_the_api_list(name, api_path, client, settings):
    settings.ROOT_URLCONF = "bench.bare"
    zones = ZoneFactory.create_batch(3)
    zones[0].incentives.add(IncentiveFactory(), IncentiveFactory())
    for zone in zones:
        PledgeFactory(zone=zone)
    InterestRegistrationFactory(zones=zones[:2])
    staff = StaffUserFactory()
    client.force_login(staff)

    api = client.get(api_path).json()
    bare = client.get(bare_path_for(name))

    assert bare.status_code == 200
    body = bare.json()
    assert body["count"] == api["count"] > 0
    assert [row["id"] for row in body["results"]] == [row["id"] for row in api["results"]]


def test_an_unknown_bare_view_is_a_404(client, settings, db):
    settings.ROOT_URLCONF = "bench.bare"

    assert client.get("/bench-bare/api-nothing/").status_code == 404
