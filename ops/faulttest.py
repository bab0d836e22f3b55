#!/usr/bin/env python
"""PostgreSQL stopped and started under load: `make faulttest`.

The shared PostgreSQL is never touched. This creates a throwaway cluster of its own
(initdb as the `postgres` OS user into a temporary directory, on a free loopback port),
migrates and seeds it, starts gunicorn against it and runs partner clients: POST
interests/ (each acknowledged 201 reference is recorded; a 503 is retried later with the
same Idempotency-Key, as a careful partner would) and GETs of the zone list and a report.
After --before seconds it stops PostgreSQL (`pg_ctl stop -m fast`) for --outage seconds,
starts it again and keeps the load going for --after seconds.

It then prints the requests, answers by status (a 503 with a JSON body during the gap is
expected; any other 5xx, a non-JSON 503 or a dropped connection is a failure), the
recovery time (from PostgreSQL accepting connections again to the first 2xx), and checks
that every acknowledged registration is in the database exactly once. Exit status 1 on any
failure. gunicorn and the cluster are removed at the end whatever happens.
"""

import argparse
import collections
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402 - bench/run.py's server and HTTP helpers

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE_NAME = "registry_fault"
MESSAGE_PREFIX = "faulttest "


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL is down")
    parser.add_argument("--after", type=float, default=10.0, help="seconds of load after")
    parser.add_argument("--threads", type=int, default=6, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    return parser.parse_args()


# --- the throwaway cluster -----------------------------------------------------------------


def as_postgres(*command):
    """Run a PostgreSQL binary as the postgres OS user (initdb refuses to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # Our own fixed binaries and paths, no shell.
    return subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True)  # noqa: S603


class Cluster:
    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="faultpg-"))
        self.data = self.directory / "data"
        self.port = bench.free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        as_postgres(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                    "--no-sync", "-E", "UTF8")  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=on"
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w",
                    "-l", self.directory / "postgres.log", "start")  # fmt: skip

    def stop(self, mode="fast"):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def running(self):
        return (self.data / "postmaster.pid").exists()

    def remove(self):
        if self.running():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def prepare(cluster, env):
    with psycopg.connect(bench.maintenance_conninfo(cluster.url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    bench.manage("migrate", "--noinput", "-v0", env=env)
    bench.manage("seed_demo", env=env, quiet=True)
    bench.manage("collectstatic", "--noinput", "-v0", env=env)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    from zones.models import Zone

    _, _, partner_key = bench.credentials()
    zone_slugs = list(Zone.objects.values_list("slug", flat=True)[:2])
    connections.close_all()  # the cluster is about to go away under this process too
    return partner_key, zone_slugs


# --- the load --------------------------------------------------------------------------


class Recorder:
    """Every answer with its time; acknowledged and outstanding registrations by key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []  # (monotonic time, kind, status, json_ok)
        self.acknowledged = {}  # idempotency key -> reference
        self.bodies = {}  # idempotency key -> body, kept until acknowledged

    def add(self, kind, status, json_ok):
        with self.lock:
            self.answers.append((time.monotonic(), kind, status, json_ok))


def is_json(body):
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def client(port, partner_key, zone_slugs, recorder, deadline, timeout):
    """Alternate POSTs and GETs until deadline["at"] (moved once the restart time is known)."""
    headers = {"Authorization": f"Api-Key {partner_key}", "Accept": "application/json"}
    pending = None  # (key, body) of a POST not acknowledged yet: retried, never replaced
    turn = 0
    while time.monotonic() < deadline["at"]:
        turn += 1
        if turn % 2:
            if pending is None:
                key = str(uuid.uuid4())
                pending = (key, {
                    "company_name": f"Fault Test {key[:8]}",
                    "origin": "domestic",
                    "country": "PK",
                    "contact_name": "Fault Tester",
                    "contact_email": f"fault+{key[:8]}@example.org",
                    "zones": zone_slugs,
                    "message": MESSAGE_PREFIX + key,
                })  # fmt: skip
            kind, method, path = "post interest", "POST", "/api/v1/interests/"
            body = json.dumps(pending[1])
            extra = {"Content-Type": "application/json", "Idempotency-Key": pending[0]}
        else:
            kind, method, body, extra = "get", "GET", None, {}
            path = "/api/v1/zones/" if turn % 4 == 0 else "/api/v1/reports/rollout/"
        try:
            status, _, content = bench.request(
                port, path, method=method, headers={**headers, **extra}, body=body,
                timeout=timeout,
            )  # fmt: skip
        except OSError as error:
            recorder.add(kind, type(error).__name__, False)
            continue
        recorder.add(kind, status, is_json(content))
        if kind == "post interest" and status == 201:
            with recorder.lock:
                recorder.acknowledged[pending[0]] = json.loads(content)["reference"]
            pending = None
        elif status == 503:
            time.sleep(0.2)  # the answer says Retry-After; a short pause keeps the test short
    if pending is not None:
        with recorder.lock:
            recorder.bodies[pending[0]] = pending[1]


def check_writes(cluster, recorder):
    """Each acknowledged key: its reference is stored, and its registration exists once."""
    with psycopg.connect(cluster.url) as conn:
        rows = conn.execute(
            "SELECT reference, message FROM companies_interestregistration WHERE message LIKE %s",
            [MESSAGE_PREFIX + "%"],
        ).fetchall()
    stored_references = {reference for reference, _ in rows}
    per_key = collections.Counter(message.removeprefix(MESSAGE_PREFIX) for _, message in rows)
    lost = [ref for ref in recorder.acknowledged.values() if ref not in stored_references]
    duplicated = [key for key, count in per_key.items() if count > 1]
    return len(rows), lost, duplicated


def main():
    args = parse_args()
    if not (PG_BIN / "initdb").exists():
        sys.exit(f"No initdb in {PG_BIN}; set PG_BIN to PostgreSQL's bin directory.")
    cluster = server = None
    logs = Path(tempfile.mkdtemp(prefix="faulttest-logs-"))
    bench.RESULTS = logs  # gunicorn's log goes here, not into bench/results
    events = {}
    recorder = Recorder()
    try:
        cluster = Cluster()
        cluster.start()
        print(f"Throwaway PostgreSQL on 127.0.0.1:{cluster.port} in {cluster.directory}")
        env = bench.bench_environment(cluster.url)
        # Short connect timeouts: while the database is down a request fails fast with 503.
        env["PGCONNECT_TIMEOUT"] = "3"
        partner_key, zone_slugs = prepare(cluster, env)
        server = bench.Server(env, args.workers)
        print(f"gunicorn on 127.0.0.1:{server.port}; load {args.before:.0f} s, "
              f"outage {args.outage:.0f} s, load {args.after:.0f} s after restart …")  # fmt: skip

        started = time.monotonic()
        # Provisional, so that the clients stop even if the restart hangs; set properly below.
        deadline = {"at": started + args.before + args.outage + args.after + 60}
        threads = [
            threading.Thread(
                target=client,
                args=(server.port, partner_key, zone_slugs, recorder, deadline, args.timeout),
                daemon=True,
            )
            for _ in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        events["stop issued"] = time.monotonic()
        cluster.stop("fast")
        events["stopped"] = time.monotonic()
        time.sleep(args.outage)
        events["start issued"] = time.monotonic()
        cluster.start()
        events["accepting"] = time.monotonic()
        deadline["at"] = events["accepting"] + args.after
        for thread in threads:
            thread.join(timeout=args.after + args.timeout + 30)
        events["load ended"] = time.monotonic()
        stored, lost, duplicated = check_writes(cluster, recorder)
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.remove()
    return report(recorder, events, started, stored, lost, duplicated, logs)


def report(recorder, events, started, stored, lost, duplicated, logs):
    answers = recorder.answers
    by_status = collections.Counter(str(status) for _, _, status, _ in answers)
    by_kind = collections.Counter((kind, str(status)) for _, kind, status, _ in answers)
    bad_503 = sum(1 for _, _, status, json_ok in answers if status == 503 and not json_ok)
    failures = sum(
        1 for _, _, status, _ in answers
        if not isinstance(status, int) or (status >= 500 and status != 503)
    )  # fmt: skip
    after_restart = [
        t for t, _, status, _ in answers
        if t >= events["accepting"] and isinstance(status, int) and status < 300
    ]  # fmt: skip
    first_503 = [t for t, _, status, _ in answers if status == 503]
    recovery = (min(after_restart) - events["accepting"]) if after_restart else None
    print(f"\nRequests: {len(answers)} over {events['load ended'] - started:.1f} s")
    print("By status: " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items())))
    for (kind, status), count in sorted(by_kind.items()):
        print(f"  {kind}: {status} × {count}")
    print(f"PostgreSQL down from {events['stop issued'] - started:.1f} s to "
          f"{events['accepting'] - started:.1f} s (stop took "
          f"{events['stopped'] - events['stop issued']:.2f} s, start took "
          f"{events['accepting'] - events['start issued']:.2f} s)")  # fmt: skip
    if first_503:
        print(f"503s: first at {min(first_503) - started:.1f} s, last at "
              f"{max(first_503) - started:.1f} s; not JSON: {bad_503}")  # fmt: skip
    if recovery is None:
        print("Recovery: no 2xx after the restart")
    else:
        print(f"Recovery: first 2xx {recovery * 1000:.0f} ms after PostgreSQL accepted connections")
    print(f"Writes: {len(recorder.acknowledged)} acknowledged (201), {stored} stored, "
          f"{len(lost)} acknowledged but lost, {len(duplicated)} stored twice, "
          f"{len(recorder.bodies)} still unacknowledged at the end")  # fmt: skip
    problems = []
    if failures:
        problems.append(f"{failures} 5xx other than 503, or dropped connections")
    if bad_503:
        problems.append(f"{bad_503} 503 answers without a JSON body")
    if lost or duplicated:
        problems.append(f"lost {lost[:5]}, duplicated {duplicated[:5]}")
    if recovery is None:
        problems.append("never recovered")
    if problems:
        print("\nFAIL: " + "; ".join(problems))
        print(f"gunicorn log: {logs / 'gunicorn.log'}")
        return 1
    shutil.rmtree(logs, ignore_errors=True)
    print("\nOK: only 503 during the outage, every acknowledged write kept, recovered.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
