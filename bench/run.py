#!/usr/bin/env python
"""Benchmark the registry on PostgreSQL at a chosen scale: `make bench SCALE=S|M|L`.

For each API list endpoint (page_size=100), each report, the busiest admin changelists
and the public home page it measures, through gunicorn over loopback HTTP: the median
and p95 latency, the SQL queries one request sends (counted in-process through
django.test.Client), and the ratio to hand-written SQL doing the same work (bench/
raw_sql.py, timed with psycopg alone). It then loads the zone list and the investment
report from several threads for a bounded time and reports the throughput.

Each scale has its own database, named after DATABASE_URL's with the scale appended
(registry_bench_s, registry_bench_m, registry_bench_l), so that the slow L data is
generated once and reused: it is (re)built with migrate + generate_data only when its
generated row counts do not match the scale (or with --regenerate). Results go to
bench/results/<scale>-<timestamp>.json and .md. See bench/README.md.
"""

import argparse
import datetime
import http.client
import io
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/registry_bench"
BENCH_USERNAME = "bench-admin"

sys.path.insert(0, str(ROOT))
from bench.raw_sql import RAW_SQL  # noqa: E402

AS_OF = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()

# (name, kind, path, who): kind decides the target; who decides the credentials sent.
ENDPOINTS = [
    ("api zones", "list", "/api/v1/zones/?page_size=100", "partner"),
    ("api developers", "list", "/api/v1/developers/?page_size=100", "partner"),
    ("api incentives", "list", "/api/v1/incentives/?page_size=100", "partner"),
    ("api companies", "list", "/api/v1/companies/?page_size=100", "partner"),
    ("api interests", "list", "/api/v1/interests/?page_size=100", "partner"),
    ("api pledges", "list", "/api/v1/pledges/?page_size=100", "partner"),
    ("report rollout", "report", "/api/v1/reports/rollout/", "partner"),
    ("report investment", "report", "/api/v1/reports/investment/", "partner"),
    ("report companies", "report", "/api/v1/reports/companies/", "partner"),
    # The same report as it stood 30 days ago, rebuilt from the change history (ADR 0706).
    ("report investment as_of", "report", f"/api/v1/reports/investment/?as_of={AS_OF}", "partner"),
    ("admin zones", "admin", "/admin/zones/zone/", "staff"),
    ("admin companies", "admin", "/admin/companies/company/", "staff"),
    ("admin pledges", "admin", "/admin/investments/pledge/", "staff"),
    ("admin registrations", "admin", "/admin/companies/interestregistration/", "staff"),
    ("public home", "public", "/", "anonymous"),
]
LOAD_ENDPOINTS = ("api zones", "report investment")
MIN_SAMPLES = 5

# The targets of issue 6, in milliseconds or as ratios.
LIST_MEDIAN_MS = 50
ADMIN_MEDIAN_MS = 300
REPORT_RAW_RATIO = 1.5
REPORT_GROWTH_L_OVER_M = 3.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=("S", "M", "L"), default="S")
    parser.add_argument("--seed", type=int, default=1, help="generate_data seed (default 1)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint")
    parser.add_argument("--raw-repeats", type=int, default=15, help="timings of each raw SQL")
    parser.add_argument(
        "--endpoint-seconds",
        type=float,
        default=30.0,
        help="time budget per endpoint; slower ones get fewer requests (at least 5)",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--load-threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="per load test")
    parser.add_argument("--load-max-requests", type=int, default=5_000, help="per load test")
    parser.add_argument("--only", default="", help="comma-separated endpoint names to run")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data anyway")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    return parser.parse_args()


# --- the database ----------------------------------------------------------------------


def scale_database_url(scale):
    parts = urllib.parse.urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/run.py needs a PostgreSQL DATABASE_URL (postgres://…).")
    name = f"{parts.path.lstrip('/') or 'registry_bench'}_{scale.lower()}"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), name


def maintenance_conninfo(database_url):
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres"))


def database_exists(database_url, name):
    with psycopg.connect(maintenance_conninfo(database_url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def recreate_database(database_url, name):
    with psycopg.connect(maintenance_conninfo(database_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args, env, quiet=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=output)


def bench_environment(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        # The project's settings plus bench/bare.py's plain Django views beside the API.
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        # The throttles would turn a load test into a test of the throttles.
        API_ANON_RATE="1000000/minute",
        API_PARTNER_RATE="1000000/minute",
        API_USER_RATE="1000000/minute",
        # Time the computation, not the report cache (which would answer all but the first
        # request per worker): BENCH_REPORT_CACHE_SECONDS=60 measures what pollers get.
        REPORT_CACHE_SECONDS=os.environ.get("BENCH_REPORT_CACHE_SECONDS", "0"),
    )
    return env


def generated_counts():
    from companies.models import Company, InterestRegistration
    from investments.models import Pledge
    from programme.management.commands.generate_data import SYNTHETIC_MARK
    from zones.models import Zone

    zones = Zone.objects.filter(description=SYNTHETIC_MARK)
    companies = Company.objects.filter(description=SYNTHETIC_MARK)
    return {
        "zones": zones.count(),
        "companies": companies.count(),
        "pledges": Pledge.objects.filter(zone__in=zones).count(),
        "registrations": InterestRegistration.objects.filter(company__in=companies).count(),
    }


def prepare_data(args, database_url, name, env):
    """Migrate, and (re)build the data when its counts do not match the scale."""
    from django.db import connections

    from programme.management.commands.generate_data import SCALES

    wanted = SCALES[args.scale]
    if not database_exists(database_url, name):
        recreate_database(database_url, name)
    manage("migrate", "--noinput", "-v0", env=env)
    counts = generated_counts()
    # The scale also sizes the operating zone, which these counts leave out.
    if counts == {key: wanted[key] for key in counts} and not args.regenerate:
        print(f"Reusing database {name}: {counts}")
        return None
    print(f"Building database {name} at scale {args.scale} (had {counts}); this runs once.")
    connections.close_all()
    recreate_database(database_url, name)
    manage("migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    manage("generate_data", "--scale", args.scale, "--seed", str(args.seed), env=env)
    return time.monotonic() - started


def credentials():
    """A superuser for the changelists and a partner key for the API."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    password = secrets.token_urlsafe(24)
    user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    out = io.StringIO()
    call_command("create_partner_key", f"bench {datetime.datetime.now():%Y%m%d%H%M%S}",
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    return user, password, out.getvalue().strip()


# --- HTTP ------------------------------------------------------------------------------


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, stopped (with its workers) on exit."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.log = open(RESULTS / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [GUNICORN, "zones_project.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                if request(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def request(port, path, *, method="GET", headers=None, body=None, timeout=120.0):
    """One request on a new connection (gunicorn's sync workers close each one)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        content = response.read()
        return response.status, response.getheaders(), content
    finally:
        conn.close()


def cookies_from(headers):
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def admin_login(port, username, password):
    """Sign in through /admin/login/ like a person; returns the Cookie header to send.

    With DEBUG=0 the cookies are marked Secure, which cookie jars will not send over
    plain http, so the cookies are carried by hand.
    """
    status, headers, body = request(port, "/admin/login/")
    cookies = cookies_from(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not match or "csrftoken" not in cookies:
        raise SystemExit(f"/admin/login/ answered {status} without a CSRF form")
    form = urllib.parse.urlencode({
        "username": username, "password": password, "next": "/admin/",
        "csrfmiddlewaretoken": match.group(1).decode(),
    })  # fmt: skip
    status, headers, _ = request(
        port,
        "/admin/login/?next=/admin/",
        method="POST",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{port}/admin/login/",
        },
    )
    cookies.update(cookies_from(headers))
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Signing in to the admin failed (status {status}).")
    return "; ".join(f"{key}={value}" for key, value in cookies.items())


# --- measuring ---------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_http(port, path, headers, count, timeout, budget_seconds):
    """`count` requests, or fewer (at least MIN_SAMPLES) once `budget_seconds` have passed,
    so that a slow endpoint at L cannot stretch a run to hours."""
    latencies, statuses = [], set()
    deadline = time.monotonic() + budget_seconds
    for _ in range(count):
        if len(latencies) >= MIN_SAMPLES and time.monotonic() > deadline:
            break
        started = time.perf_counter()
        try:
            status, _, _ = request(port, path, headers=headers, timeout=timeout)
        except OSError:  # a timed-out request counts at the timeout, and is noted
            status = "timeout"
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    return latencies, statuses


def count_queries(path, who, user, partner_key):
    """Run the request in-process and count its SQL statements."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = {}
    if who == "staff":
        client.force_login(user)
    elif who == "partner":
        extra["HTTP_AUTHORIZATION"] = f"Api-Key {partner_key}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return response.status_code, len(captured.captured_queries)


def time_raw_sql(conn, statements, repeats, budget_seconds):
    # The floor is what a person who knows PostgreSQL gets: JIT compilation, which
    # costs more than it saves on these sub-second queries, is off for it.
    conn.execute("SET jit = off")
    timings = []
    deadline = time.monotonic() + budget_seconds
    for _ in range(repeats):
        if len(timings) >= MIN_SAMPLES and time.monotonic() > deadline:
            break
        started = time.perf_counter()
        for statement in statements:
            conn.execute(statement).fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def load_test(port, path, headers, *, threads, seconds, max_requests, timeout):
    """Bounded closed-loop load: `threads` clients, until time or request budget runs out."""
    lock = threading.Lock()
    latencies, errors = [], []
    budget = [max_requests]
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            started = time.perf_counter()
            try:
                status, _, _ = request(port, path, headers=headers, timeout=timeout)
            except OSError as error:
                status = repr(error)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (latencies if status == 200 else errors).append(elapsed)

    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=seconds + timeout + 5)
    elapsed = time.monotonic() - started
    return {
        "threads": threads,
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "errors": len(errors),
        "requests_per_second": round(len(latencies) / elapsed, 1) if elapsed else None,
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
    }


def target_for(kind):
    if kind == "list":
        return f"median ≤ {LIST_MEDIAN_MS} ms"
    if kind == "admin":
        return f"median ≤ {ADMIN_MEDIAN_MS} ms"
    if kind == "report":
        return f"≤ {REPORT_RAW_RATIO}× raw SQL"
    return ""


def target_met(kind, median, ratio):
    if kind == "list":
        return median <= LIST_MEDIAN_MS
    if kind == "admin":
        return median <= ADMIN_MEDIAN_MS
    if kind == "report":
        return ratio is not None and ratio <= REPORT_RAW_RATIO
    return None


def previous_medians(scale):
    """Report medians of the latest earlier run at `scale`, for the L-over-M growth target."""
    runs = sorted(RESULTS.glob(f"{scale}-*.json"))
    if not runs:
        return None, {}
    data = json.loads(runs[-1].read_text())
    return runs[-1].name, {
        row["name"]: row["median_ms"] for row in data["endpoints"] if row.get("median_ms")
    }


# --- output ------------------------------------------------------------------------------


def table(rows, headings):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headings)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headings), separator, *(line(r) for r in rows)])


def dash(value):
    return "—" if value is None else value


def render(results):
    headings = ["endpoint", "median ms", "p95 ms", "n", "queries", "raw SQL ms", "× raw",
                "bare ms", "× bare", "target", "met"]  # fmt: skip
    rows = []
    for row in results["endpoints"]:
        if row.get("skipped"):
            rows.append([row["name"], "—", "—", "—", "—", "—", "—", "—", "—",
                         target_for(row["kind"]), row["skipped"]])  # fmt: skip
            continue
        met = {True: "yes", False: "NO", None: ""}[row["target_met"]]
        rows.append([
            row["name"], row["median_ms"], row["p95_ms"], row.get("samples", ""), row["queries"],
            dash(row["raw_sql_ms"]), dash(row["ratio_to_raw"]),
            dash(row.get("bare_median_ms")), dash(row.get("ratio_to_bare")),
            target_for(row["kind"]), met,
        ])  # fmt: skip
    parts = [
        f"Scale {results['scale']} ({results['database']}): "
        + ", ".join(f"{v:,} {k}" for k, v in results["data"].items())
        + f"; {results['workers']} gunicorn workers; up to {results['requests']} requests each; "
        f"load average {results['load_average_at_start'][0]} at start.",
        "",
        table(rows, headings),
    ]
    if results["load"]:
        load_rows = [
            [name, r["threads"], r["seconds"], r["requests"], r["errors"],
             r["requests_per_second"], r["median_ms"], r["p95_ms"]]
            for name, r in results["load"].items()
        ]  # fmt: skip
        parts += [
            "",
            "Throughput under concurrent load:",
            "",
            table(
                load_rows,
                ["endpoint", "threads", "s", "ok", "errors", "req/s", "median ms", "p95 ms"],
            ),
        ]
    if results.get("growth"):
        growth_rows = [
            [name, g["m_median_ms"], g["l_median_ms"], g["ratio"], "yes" if g["met"] else "NO"]
            for name, g in results["growth"].items()
        ]
        parts += [
            "",
            f"Report latency at L over M ({results['growth_baseline']}), target ≤ "
            f"{REPORT_GROWTH_L_OVER_M}×:",
            "",
            table(growth_rows, ["report", "M median ms", "L median ms", "L/M", "met"]),
        ]
    return "\n".join(parts)


def main():
    args = parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    database_url, name = scale_database_url(args.scale)
    env = bench_environment(database_url)
    os.environ.update(env)

    import django

    django.setup()
    from bench.bare import path_for as bare_path_for  # needs the apps loaded

    generation_seconds = prepare_data(args, database_url, name, env)
    manage("collectstatic", "--noinput", "-v0", env=env)  # DEBUG=0 serves the manifest
    user, password, partner_key = credentials()

    from django.db import connections

    connections.close_all()
    counts = generated_counts()
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    endpoints = [e for e in ENDPOINTS if not only or e[0] in only]

    server = Server(env, args.workers)
    results = {
        "scale": args.scale,
        "database": name,
        "data": counts,
        "data_generation_seconds": round(generation_seconds, 1) if generation_seconds else None,
        "workers": args.workers,
        "requests": args.requests,
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        # The machine may be shared: a busy one inflates every figure.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "endpoints": [],
        "load": {},
    }
    try:
        staff_cookie = admin_login(server.port, BENCH_USERNAME, password)
        headers_for = {
            "partner": {"Authorization": f"Api-Key {partner_key}"},
            "staff": {"Cookie": staff_cookie},
            "anonymous": {},
        }
        with psycopg.connect(database_url, autocommit=True) as raw:
            for name_, kind, path, who in endpoints:
                row = {"name": name_, "kind": kind, "path": path}
                results["endpoints"].append(row)
                try:
                    status, _, body = request(
                        server.port, path, headers=headers_for[who], timeout=args.request_timeout
                    )
                except OSError:
                    status, body = f"timeout > {args.request_timeout:.0f} s", b""
                if status != 200:
                    row["skipped"] = f"HTTP {status}"
                    note = "not there yet" if status == 404 else body[:200].decode(errors="replace")
                    print(f"  {name_}: skipped, {path} answered {status} ({note})")
                    continue
                latencies, statuses = time_http(
                    server.port,
                    path,
                    headers_for[who],
                    args.requests,
                    args.request_timeout,
                    args.endpoint_seconds,
                )
                _, queries = count_queries(path, who, user, partner_key)
                raw_ms = None
                if name_ in RAW_SQL:
                    raw_ms = time_raw_sql(
                        raw, RAW_SQL[name_], args.raw_repeats, args.endpoint_seconds
                    )
                median = statistics.median(latencies)
                ratio = round(median / raw_ms, 2) if raw_ms else None
                # The same page from a plain Django view, timed the same way in this run.
                bare_ms = bare_ratio = None
                if bare_path := bare_path_for(name_):
                    bare_latencies, bare_statuses = time_http(
                        server.port,
                        bare_path,
                        {},
                        args.requests,
                        args.request_timeout,
                        args.endpoint_seconds,
                    )
                    if bare_statuses == {200}:
                        bare_ms = statistics.median(bare_latencies)
                        bare_ratio = round(median / bare_ms, 2)
                    else:
                        print(f"  {name_}: bare view {bare_path} answered {bare_statuses}")
                row.update(
                    median_ms=round(median, 1),
                    p95_ms=round(percentile(latencies, 0.95), 1),
                    samples=len(latencies),
                    queries=queries,
                    raw_sql_ms=round(raw_ms, 2) if raw_ms is not None else None,
                    ratio_to_raw=ratio,
                    bare_path=bare_path,
                    bare_median_ms=round(bare_ms, 1) if bare_ms is not None else None,
                    ratio_to_bare=bare_ratio,
                    statuses=sorted(map(str, statuses)),
                    response_bytes=len(body),
                    target_met=target_met(kind, median, ratio),
                )
                print(f"  {name_}: median {row['median_ms']} ms, p95 {row['p95_ms']} ms, "
                      f"{queries} queries, raw {row['raw_sql_ms']} ms, "
                      f"bare {row['bare_median_ms']} ms")  # fmt: skip
        for name_, _, path, who in endpoints:
            if name_ in LOAD_ENDPOINTS and not next(
                r for r in results["endpoints"] if r["name"] == name_
            ).get("skipped"):
                print(f"  load: {name_} with {args.load_threads} threads …")
                results["load"][name_] = load_test(
                    server.port, path, headers_for[who], threads=args.load_threads,
                    seconds=args.load_seconds, max_requests=args.load_max_requests,
                    timeout=args.request_timeout,
                )  # fmt: skip
    finally:
        server.stop()

    if args.scale == "L":
        baseline, m_medians = previous_medians("M")
        growth = {}
        for row in results["endpoints"]:
            if row["kind"] == "report" and row.get("median_ms") and row["name"] in m_medians:
                ratio = round(row["median_ms"] / m_medians[row["name"]], 2)
                growth[row["name"]] = {
                    "m_median_ms": m_medians[row["name"]],
                    "l_median_ms": row["median_ms"],
                    "ratio": ratio,
                    "met": ratio <= REPORT_GROWTH_L_OVER_M,
                }
        results["growth"], results["growth_baseline"] = growth, baseline
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_seconds"] = round(time.monotonic() - started, 1)

    text = render(results)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{args.scale}-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{args.scale}-{stamp}.md").write_text(text + "\n")
    print()
    print(text)
    print(f"\nWritten to bench/results/{args.scale}-{stamp}.json and .md "
          f"in {results['total_seconds']} s.")  # fmt: skip


if __name__ == "__main__":
    main()
