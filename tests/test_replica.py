"""Reads on a real streaming replica (ADR 0707): what it serves, and what it never may.

A session fixture starts a throwaway primary cluster of its own (initdb as the `postgres` OS
user, the way ops/faulttest.py does; the shared PostgreSQL is never touched), migrates it,
takes a `pg_basebackup -R` of it and starts that as a hot standby on another free port. Each
test runs one scenario of tests/replica_scenarios.py in a Django process with DATABASE_URL
on the primary and DATABASE_REPLICA_URL on the standby, with the standby's replay paused
(`pg_wal_replay_pause()`) where it must be told apart from the primary. Both clusters are
removed at the end whatever happens.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DATABASE_NAME = "registry_replica"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="streaming replication is PostgreSQL's: the fixture runs initdb, "
        "pg_basebackup and a hot standby, which SQLite has no equivalent of",
    ),
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason=f"no initdb in {PG_BIN}"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command):
    """A PostgreSQL binary as the postgres OS user (initdb and postgres refuse root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    # Our own fixed binaries and paths, no shell.
    return subprocess.run(
        [*prefix, *map(str, command)], check=True, capture_output=True, timeout=60
    )


class Node:
    """One cluster directory and port: the primary, or its standby."""

    def __init__(self, root, name):
        self.directory = root
        self.data = root / name
        self.log = root / f"{name}.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE_NAME}"

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w", "-t", "30",
                    "-l", self.log, "start")  # fmt: skip

    def stop(self, mode="fast"):
        if (self.data / "postmaster.pid").exists():
            as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def sql(self, statement, database=DATABASE_NAME):
        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchone() if cursor.description else None


def wait_for(condition, timeout=20.0, what="the standby"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psycopg.Error):
            if condition():
                return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="session")
def replication():
    root = Path(tempfile.mkdtemp(prefix="replicapg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary, standby = Node(root, "primary"), Node(root, "standby")
    try:
        as_postgres(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "-A", "trust",
                    "--no-sync", "-E", "UTF8")  # fmt: skip
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                       "fsync = off\nfull_page_writes = off\n")  # fmt: skip
        with (primary.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        primary.start()
        primary.sql(f'CREATE DATABASE "{DATABASE_NAME}"', database="postgres")
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=environment(primary.url), capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port,
                    "-U", "postgres", "-D", standby.data, "-R", "-X", "stream",
                    "-c", "fast", "--no-sync")  # fmt: skip
        standby.start()
        wait_for(lambda: standby.sql("SELECT pg_is_in_recovery()")[0], what="recovery mode")
        primary.sql("CREATE TABLE replica_probe (id int)")
        wait_for(lambda: standby.sql("SELECT to_regclass('replica_probe') IS NOT NULL")[0],
                 what="streaming replication")  # fmt: skip
        yield primary, standby
    finally:
        for node in (standby, primary):
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                node.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def environment(primary_url, replica_url=None, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(
        DATABASE_URL=primary_url,
        DJANGO_SETTINGS_MODULE="zones_project.settings",
        DEBUG="1",
        SECRET_KEY="replica-test-" + "k" * 40,
        CACHE_URL="locmem://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
        PGCONNECT_TIMEOUT="3",
        **extra,
    )
    env.pop("DATABASE_REPLICA_URL", None)
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


def scenario(replication, name, **extra):
    primary, standby = replication
    result = subprocess.run(
        [sys.executable, "-m", "tests.replica_scenarios", name],
        cwd=ROOT, env=environment(primary.url, standby.url, **extra),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def replay_paused(replication):
    """The standby stops applying WAL for one test: what is written meanwhile is not on it."""
    primary, standby = replication
    standby.sql("SELECT pg_wal_replay_pause()")
    wait_for(lambda: standby.sql("SELECT pg_get_wal_replay_pause_state()")[0] == "paused")
    yield
    standby.sql("SELECT pg_wal_replay_resume()")
    target = primary.sql("SELECT pg_current_wal_lsn()::text")[0]
    wait_for(lambda: standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0])


def test_public_pages_and_api_lists_read_the_replica(replication, replay_paused):
    seen = scenario(replication, "catalogue")
    for page in ("home", "zone_list", "api_list", "report"):
        assert seen[page]["status"] == 200, (page, seen[page])
        assert seen[page]["replica"] > 0, (page, seen[page])
    # Figures read on the replica are cached no longer than REPLICA_STICKY_SECONDS (10 here),
    # not the REPORT_CACHE_SECONDS a report from the primary is kept for.
    assert 0 < seen["report_cached_for"] <= 10
    # Replay is paused: the zone just written is not on the replica, so not listed yet …
    assert not seen["zone_list"]["shows"]
    assert not seen["api_list"]["shows"]
    # … while the admin and an API detail read the primary and have it.
    assert seen["admin"] == {**seen["admin"], "status": 200, "replica": 0, "shows": True}
    assert seen["api_detail"] == {**seen["api_detail"], "status": 200, "replica": 0, "shows": True}


def test_a_just_submitted_registration_is_never_missing(replication, replay_paused):
    seen = scenario(replication, "registration")
    assert seen["post"]["status"] == 302, seen["post"]
    assert "primary_until" in seen["post"]["cookies"]
    assert not seen["on_replica"]  # replay is paused: only the primary has it
    assert seen["done"] == {**seen["done"], "status": 200, "replica": 0, "shows": True}
    assert seen["status_page"] == {
        **seen["status_page"], "status": 200, "replica": 0, "shows": True,
    }  # fmt: skip
    # The browser that wrote reads the primary for a few seconds, even on routed pages;
    # another browser reads the (lagging) replica.
    assert seen["zones_after_post"] == {**seen["zones_after_post"], "replica": 0, "shows": True}
    assert seen["zones_other_browser"]["replica"] > 0
    assert not seen["zones_other_browser"]["shows"]


def test_reports_as_of_a_past_day_run_on_the_primary(replication, replay_paused):
    seen = scenario(replication, "as_of")
    for name in ("rollout", "investment", "companies", "performance"):
        assert seen[name]["status"] == 200, (name, seen[name])
        assert seen[name]["replica"] == 0, (name, seen[name])
    assert seen["live"]["status"] == 200
    assert seen["live"]["replica"] > 0
    assert seen["router"] == {"outside": "replica", "inside": "default"}


def test_a_replica_too_far_behind_is_passed_over(replication, replay_paused):
    seen = scenario(replication, "lagging", REPLICA_MAX_LAG_SECONDS="1", REPLICA_CHECK_SECONDS="0")
    assert seen["zone_list"] == {**seen["zone_list"], "status": 200, "replica": 0, "shows": True}


def test_pages_answer_from_the_primary_when_the_replica_is_down(replication):
    _, standby = replication
    standby.stop("fast")
    try:
        seen = scenario(replication, "stopped")
    finally:
        standby.start()
    for phase in ("mid_request", "checked"):
        for path, answer in seen[phase].items():
            assert answer["status"] == 200, (phase, path, answer)
            assert answer["replica"] == 0 or phase == "mid_request", (phase, path, answer)
