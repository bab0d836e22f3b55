#!/usr/bin/env python
"""A mixed partner workload against gunicorn on PostgreSQL: `make loadtest`.

It (re)uses the database `registry_load` (migrate + seed_demo, both idempotent) on the
server named by DATABASE_URL (default postgres://postgres@127.0.0.1:5432), or with
`--scale S|M|L` the benchmark's generated database at that scale; it makes a fresh
partner key, starts gunicorn on 127.0.0.1 with production settings (DEBUG=0), and runs
partner clients from threads for --seconds: zone list and detail, pledge list, the three
reports (the investment one also as CSV), the interest list, and POST interests/ with a
fresh Idempotency-Key each. It prints throughput, p50/p99 latency per kind and overall,
and the answers that were not 2xx by status. Exit status 1 on any 5xx (the target is none)
or when nothing succeeded. gunicorn is stopped at the end whatever happens.

The throttles are lifted (as in bench/run.py): this measures the registry, not the limits.
"""

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402 - bench/run.py's server and HTTP helpers

DATABASE_NAME = "registry_load"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load runs")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--max-requests", type=int, default=200_000, help="a safety bound")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--seed", type=int, default=1, help="the workload mix's random seed")
    parser.add_argument(
        "--scale",
        choices=("S", "M", "L"),
        help="load the benchmark's generated data at this scale (bench/run.py's database, "
        "built if missing) instead of seed_demo's programme in registry_load",
    )
    return parser.parse_args()


def load_database_url():
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urllib.parse.urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("ops/loadtest.py needs PostgreSQL: DATABASE_URL=postgres://… (or unset).")
    return urllib.parse.urlunsplit(parts._replace(path=f"/{DATABASE_NAME}"))


def prepare(env, database_url, scale=None):
    """Database, schema, data, static manifest and a partner key; returns the key."""
    if scale:
        # The benchmark's own database and rows (generate_data --seed 1), reused when they
        # match the scale. The registrations the load posts are not generated rows, so
        # they leave the reuse check alone.
        name = urllib.parse.urlsplit(database_url).path.lstrip("/")
        generation = argparse.Namespace(scale=scale, seed=1, regenerate=False)
        os.environ.update(env)  # prepare_data counts the rows through the ORM
        import django

        django.setup()
        bench.prepare_data(generation, database_url, name, env)
    else:
        if not bench.database_exists(database_url, DATABASE_NAME):
            bench.recreate_database(database_url, DATABASE_NAME)
        bench.manage("migrate", "--noinput", "-v0", env=env)
        bench.manage("seed_demo", env=env, quiet=True)
    bench.manage("collectstatic", "--noinput", "-v0", env=env)  # DEBUG=0 needs the manifest
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from zones.models import Zone

    _, _, partner_key = bench.credentials()
    zone_slugs = list(Zone.objects.values_list("slug", flat=True))
    connections.close_all()
    if not zone_slugs:
        sys.exit("seed_demo left no zones; cannot build the workload.")
    return partner_key, zone_slugs


def interest_body(zone_slugs, rng):
    # Mostly new companies, sometimes an existing spelling: both paths of the service run.
    company = rng.choice([f"Load Test Company {uuid.uuid4().hex[:10]}", "Load Test Shared Ltd"])
    return {
        "company_name": company,
        "origin": "domestic",
        "country": "PK",
        "contact_name": "Load Tester",
        "contact_email": f"load+{uuid.uuid4().hex[:8]}@example.org",
        "zones": rng.sample(zone_slugs, k=min(2, len(zone_slugs))),
        "planned_investment_usd": "1000000.00",
        "planned_jobs": 10,
    }


def workload(zone_slugs, rng):
    """(kind, method, path, body or None) — weighted like a partner's sync and reporting."""
    mix = [
        (20, lambda: ("zones list", "GET", "/api/v1/zones/?page_size=50", None)),
        (15, lambda: ("zone detail", "GET", f"/api/v1/zones/{rng.choice(zone_slugs)}/", None)),
        (15, lambda: ("pledges list", "GET", "/api/v1/pledges/?page_size=50", None)),
        (10, lambda: ("interests list", "GET", "/api/v1/interests/?page_size=50", None)),
        (8, lambda: ("report rollout", "GET", "/api/v1/reports/rollout/", None)),
        (8, lambda: ("report investment", "GET", "/api/v1/reports/investment/", None)),
        (
            6,
            lambda: (
                "report investment csv",
                "GET",
                "/api/v1/reports/investment/?format=csv",
                None,
            ),
        ),
        (6, lambda: ("report companies", "GET", "/api/v1/reports/companies/", None)),
        (
            12,
            lambda: ("post interest", "POST", "/api/v1/interests/", interest_body(zone_slugs, rng)),
        ),
    ]
    weights = [weight for weight, _ in mix]
    makers = [maker for _, maker in mix]
    while True:
        yield rng.choices(makers, weights)[0]()


def run_load(port, partner_key, zone_slugs, args):
    lock = threading.Lock()
    latencies = collections.defaultdict(list)  # kind -> ms, for 2xx answers
    not_ok = collections.Counter()  # (kind, status) for everything else
    budget = [args.max_requests]
    deadline = time.monotonic() + args.seconds

    def client(index):
        rng = random.Random(args.seed * 1000 + index)  # noqa: S311 - a workload mix, not a secret
        for kind, method, path, body in workload(zone_slugs, rng):
            if time.monotonic() >= deadline:
                return
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            headers = {"Authorization": f"Api-Key {partner_key}", "Accept": "application/json"}
            payload = None
            if body is not None:
                headers.update({"Content-Type": "application/json",
                                "Idempotency-Key": str(uuid.uuid4())})  # fmt: skip
                payload = json.dumps(body)
            if kind.endswith("csv"):
                headers["Accept"] = "text/csv"
            started = time.perf_counter()
            try:
                status, _, _ = bench.request(
                    port, path, method=method, headers=headers, body=payload, timeout=args.timeout
                )
            except OSError as error:
                status = type(error).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if isinstance(status, int) and 200 <= status < 300:
                    latencies[kind].append(elapsed)
                else:
                    not_ok[(kind, status)] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.threads)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + args.timeout + 10)
    return latencies, not_ok, time.monotonic() - started


def summary_line(label, values, width):
    p50 = bench.percentile(values, 0.50)
    p99 = bench.percentile(values, 0.99)
    return f"  {label:<{width}} {len(values):>7} {p50:>9.1f} {p99:>9.1f}"


def report(latencies, not_ok, elapsed, args):
    everything = [ms for values in latencies.values() for ms in values]
    failures = sum(not_ok.values())
    total = len(everything) + failures
    print(f"\nLoad: {args.threads} threads, {args.workers} gunicorn workers, {elapsed:.1f} s")
    print(f"Requests: {total} ({len(everything)} 2xx), {total / elapsed:.1f} requests/s")
    width = max([len(k) for k in latencies] + [len("overall")])
    print(f"  {'kind':<{width}} {'2xx':>7} {'p50 ms':>9} {'p99 ms':>9}")
    for kind in sorted(latencies):
        print(summary_line(kind, latencies[kind], width))
    if everything:
        print(summary_line("overall", everything, width))
    by_status = collections.Counter()
    for (_, status), count in not_ok.items():
        by_status[status] += count
    if by_status:
        print("Not 2xx, by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(
            by_status.items(), key=lambda item: str(item[0]))))  # fmt: skip
        for (kind, status), count in sorted(not_ok.items(), key=lambda item: str(item[0])):
            print(f"  {kind}: {status} × {count}")
    else:
        print("Not 2xx, by status: none")
    server_errors = sum(n for s, n in by_status.items() if not isinstance(s, int) or s >= 500)
    return everything, server_errors


def main():
    args = parse_args()
    database_url = bench.scale_database_url(args.scale)[0] if args.scale else load_database_url()
    env = bench.bench_environment(database_url)
    partner_key, zone_slugs = prepare(env, database_url, args.scale)
    with tempfile.TemporaryDirectory(prefix="loadtest-") as logs:
        bench.RESULTS = Path(logs)  # gunicorn's log goes here, not into bench/results
        server = bench.Server(env, args.workers)
        try:
            print(f"gunicorn on 127.0.0.1:{server.port}; loading for {args.seconds:.0f} s …")
            latencies, not_ok, elapsed = run_load(server.port, partner_key, zone_slugs, args)
        finally:
            server.stop()
            log_tail = Path(server.log.name).read_text(errors="replace")[-3000:]
    successes, server_errors = report(latencies, not_ok, elapsed, args)
    if server_errors:
        print(f"\nFAIL: {server_errors} server error(s) or dropped connection(s). gunicorn log:")
        print(log_tail)
        return 1
    if not successes:
        print("\nFAIL: no request succeeded.")
        return 1
    print("\nOK: no 5xx.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
