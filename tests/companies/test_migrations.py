"""companies.0004: the limits as constraints; rows that break them are listed, not cleaned."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("companies", "0003_scale_indexes")]
AFTER = [("companies", "0004_submission_constraints")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's newest migration: later migrations were unapplied to reach BEFORE."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_schema():
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def old_registration(apps, reference, **values):
    company = apps.get_model("companies", "Company").objects.create(
        name=f"Company {reference}", normalized_name=f"company {reference}".lower(),
        origin="global", country="GB",
    )  # fmt: skip
    return apps.get_model("companies", "InterestRegistration").objects.create(
        reference=reference, status_token=reference, company=company, channel="web", **values
    )


def test_rows_over_the_limits_stop_the_migration_and_are_listed(old_schema):
    old_registration(old_schema, "TZR-JOBS-0001", planned_jobs=20_000_000)
    old_registration(old_schema, "TZR-LONG-0001", message="m" * 6000)
    old_registration(old_schema, "TZR-FINE-0001", planned_jobs=10)
    with pytest.raises(RuntimeError) as stopped:
        migrate(AFTER)
    text = str(stopped.value)
    assert "2 interest registration(s) break the new limits" in text
    assert "TZR-JOBS-0001: planned_investment_usd=None, planned_jobs=20000000" in text
    assert "TZR-LONG-0001" in text and "message length=6000" in text
    assert "TZR-FINE-0001" not in text
    # Nothing of 0004 was applied; correcting the rows lets it through.
    registrations = old_schema.get_model("companies", "InterestRegistration").objects
    registrations.filter(reference="TZR-JOBS-0001").update(planned_jobs=10_000_000)
    registrations.filter(reference="TZR-LONG-0001").update(message="m" * 5000)
    migrate(AFTER)


def test_a_clean_database_migrates(old_schema):
    old_registration(old_schema, "TZR-FINE-0002", planned_jobs=10, message="ok")
    migrate(AFTER)
