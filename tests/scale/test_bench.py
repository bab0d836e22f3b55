"""The benchmark's own logic: database naming, percentiles, targets, the raw-SQL floors."""

import pytest
from django.db import connection

from bench.raw_sql import RAW_SQL
from bench.run import (
    ENDPOINTS,
    percentile,
    render,
    scale_database_url,
    target_met,
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
