"""A backup restored elsewhere gives the same report figures (README "Backups")."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from programme.reports import programme_summary

PROJECT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)

# The same exclusions ops/backup.sh passes to dumpdata: rows that migrate recreates.
DUMP_OPTIONS = {
    "natural_foreign": True,
    "natural_primary": True,
    "exclude": ["contenttypes", "auth.permission", "sessions", "admin.logentry"],
}


def figures():
    return json.loads(json.dumps(asdict(programme_summary()), cls=DjangoJSONEncoder))


def history_row_counts():
    """Rows of every history table, the many-to-many ones included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.object_name.startswith("Historical")
    }


@pytest.mark.slow
def test_dumpdata_round_trip_leaves_every_figure_identical(tmp_path):
    call_command("seed_demo", verbosity=0)
    before = figures()
    history_before = history_row_counts()
    assert history_before["companies.HistoricalInterestRegistration_zones"] > 0
    backup = tmp_path / "registry.json"
    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP_OPTIONS)

    call_command("flush", interactive=False, verbosity=0)
    assert figures()["pledge_count"] == 0

    call_command("loaddata", str(backup), verbosity=0)
    assert figures() == before
    # Restoring adds no history of its own (setting a restored row's zones used to record a
    # spurious change, and on PostgreSQL to collide with the backup's own history rows).
    assert history_row_counts() == history_before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_pg_dump_and_pg_restore_round_trip_leaves_every_figure_identical(tmp_path):
    call_command("seed_demo", verbosity=0)
    before = figures()
    settings = connection.settings_dict
    source = (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    target_name = f"{settings['NAME']}_restored"
    target = source.rsplit("/", 1)[0] + f"/{target_name}"
    admin_url = source.rsplit("/", 1)[0] + "/postgres"
    backup = tmp_path / "registry.dump"
    environment = dict(os.environ, DATABASE_URL=source)

    subprocess.run(["bash", "ops/backup.sh", str(backup)], cwd=PROJECT, env=environment, check=True)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.execute(f'CREATE DATABASE "{target_name}"')
    try:
        subprocess.run(
            ["bash", "ops/restore.sh", str(backup)],
            cwd=PROJECT,
            env=dict(environment, DATABASE_URL=target),
            check=True,
        )
        restored = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "import json; from dataclasses import asdict; "
                "from django.core.serializers.json import DjangoJSONEncoder; "
                "from programme.reports import programme_summary; "
                "print(json.dumps(asdict(programme_summary()), cls=DjangoJSONEncoder))",
            ],
            cwd=PROJECT,
            env=dict(environment, DATABASE_URL=target),
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(restored.stdout.strip().splitlines()[-1]) == before
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
