#!/usr/bin/env python
"""EXPLAIN ANALYZE the slowest SQL of each benchmarked endpoint at a scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/registry_bench \
        .venv/bin/python bench/explain.py --scale L --only "report investment" --top 3

Runs each endpoint once in-process (django.test.Client, as bench/run.py counts queries),
keeps the `--top` slowest statements and prints PostgreSQL's plan for each with actual
timings and buffers. Needs the scale's database that bench/run.py builds; writes the
output to bench/results/explain-<scale>-<timestamp>.txt as well.
"""

import argparse
import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    ENDPOINTS,
    RESULTS,
    bench_environment,
    credentials,
    scale_database_url,
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("S", "M", "L"), default="S")
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--top", type=int, default=2, help="slowest statements per endpoint")
    args = parser.parse_args()

    database_url, _ = scale_database_url(args.scale)
    os.environ.update(bench_environment(database_url))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _, partner_key = credentials()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    lines = []
    for name, _kind, path, who in ENDPOINTS:
        if only and name not in only:
            continue
        client = Client()
        extra = {}
        if who == "staff":
            client.force_login(user)
        elif who == "partner":
            extra["HTTP_AUTHORIZATION"] = f"Api-Key {partner_key}"
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path, **extra).status_code
        queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(q["time"]) for q in queries)
        lines.append(f"=== {name} {path}: HTTP {status}, {len(queries)} queries, {total:.3f} s")
        for query in queries[: args.top]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            lines += [f"--- {float(query['time']):.3f} s", query["sql"], plan, ""]
    text = "\n".join(lines)
    print(text)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"explain-{args.scale}-{stamp}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
