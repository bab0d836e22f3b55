"""The reference client (programme/sync_client.py) against a live server and busy writers.

While writer threads update, delete, re-create zones under the same slug, rename what
other rows show, and hold a transaction open across several syncs, a new partner makes
its first full sync with small pages and then syncs again and again. When the writers
stop, a last sync must leave a mirror equal, row for row and field for field, to what
the API serves. PostgreSQL only: SQLite has one writer at a time, so nothing commits
late or concurrently there (its ordering is pinned in tests/api/test_changes.py).
"""

import itertools
import json
import random
import threading
import time
from contextlib import nullcontext
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import SimpleRateThrottle

from companies.models import Company
from investments.models import Pledge
from partners.models import PartnerKey
from programme.api.changes import SOURCES
from programme.sync_client import Mirror
from tests.factories import (
    CompanyFactory,
    IncentiveFactory,
    InterestRegistrationFactory,
    PledgeFactory,
    SectorFactory,
    ZoneDeveloperFactory,
    ZoneFactory,
)
from zones.models import Incentive, Sector, Zone, ZoneDeveloper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent and late commits need PostgreSQL"
    ),
]

ROUNDS = 12


def database_as_the_api_shows_it():
    """{(resource, id): row} serialised exactly as the lists and the feed serialise rows."""
    rows = {}
    for resource, (queryset, serializer_class) in SOURCES.items():
        for instance in queryset.all():
            data = serializer_class(instance).data
            rows[resource, instance.pk] = json.loads(JSONRenderer().render(data))
    return rows


def worker(task):
    """Run task(round) ROUNDS times on this thread's own connection; keep the first error."""
    errors = []

    def run():
        try:
            for round_number in range(ROUNDS):
                task(round_number)
                time.sleep(0.02)
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.fixture
def programme():
    developer = ZoneDeveloperFactory()
    sectors = SectorFactory.create_batch(3)
    incentives = IncentiveFactory.create_batch(2)
    zones = ZoneFactory.create_batch(6, developer=developer)
    for zone in zones:
        zone.sectors.set(sectors[:2])
        zone.incentives.set(incentives)
    companies = CompanyFactory.create_batch(8, sector=sectors[0])
    for index, company in enumerate(companies):
        InterestRegistrationFactory(company=company, zones=zones[index % 3 : index % 3 + 2])
        PledgeFactory.create_batch(3, company=company, zone=zones[index % 4])
    return zones


def test_the_reference_client_mirrors_the_database_exactly_under_concurrent_writers(
    live_server, programme, monkeypatch
):
    # Many small pages on purpose: the point is interleaving, not the rate limit.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)
    _, key = PartnerKey.objects.create_key(name="Mirror", organisation="Test")
    developer = programme[0].developer
    rng = random.Random(7)
    serial = itertools.count()
    late_commit_open, late_commit_done = threading.Event(), threading.Event()
    late_rows = []

    def update_pledges(round_number):
        for pledge in Pledge.objects.order_by("?")[:3]:
            pledge.amount = pledge.amount_usd = Decimal(rng.randint(1_000, 9_000_000))
            pledge.status = rng.choice(("announced", "committed", "cancelled"))
            pledge.save()

    def delete_and_create(round_number):
        # Never the late transaction's pledge: the end of the test checks that it arrived.
        late_pledges = [pk for kind, pk in late_rows if kind == "pledge"]
        victim = Pledge.objects.exclude(pk__in=late_pledges).order_by("?").first()
        if victim is not None:
            victim.delete()
        PledgeFactory(company=Company.objects.order_by("?").first(), zone=programme[0])
        # A zone deleted and re-created under the same slug: a new id, the old one gone;
        # in one transaction on odd rounds, in two on even ones.
        with transaction.atomic(durable=False) if round_number % 2 else nullcontext():
            Zone.objects.filter(slug="phoenix").delete()
            ZoneFactory(slug="phoenix", name=f"Phoenix {round_number}", developer=developer)

    def rename(round_number):
        company = Company.objects.order_by("?").first()
        company.name = f"Renamed Company {next(serial)}"
        company.save()
        developer = ZoneDeveloper.objects.order_by("?").first()
        developer.name = f"Renamed Developer {next(serial)}"
        developer.save()
        sector = Sector.objects.order_by("?").first()
        sector.name = f"Renamed Sector {next(serial)}"
        sector.save()
        incentive = Incentive.objects.order_by("?").first()
        incentive.slug = f"incentive-renamed-{next(serial)}"
        incentive.save()
        zone = programme[rng.randrange(6)]
        zone.refresh_from_db()
        zone.name = f"Renamed Zone {next(serial)}"
        zone.save()

    def long_transaction(round_number):
        if round_number:
            return
        # Starts early (a low transaction id), writes, and commits after several syncs.
        with transaction.atomic():
            company = CompanyFactory(name="Late Committer Ltd")
            late_rows.append(("company", company.pk))
            pledge = PledgeFactory(company=company, zone=programme[1], amount=Decimal("4242.00"))
            late_rows.append(("pledge", pledge.pk))
            late_commit_open.set()
            time.sleep(3)
        late_commit_done.set()

    threads = [
        worker(task) for task in (long_transaction, update_pledges, delete_and_create, rename)
    ]
    late_commit_open.wait(timeout=30)

    mirror = Mirror(f"{live_server.url}/api/v1/", key=key, page_size=5)
    mirror.full_sync()  # the first sync, with data changing between its pages
    syncs_before_late_commit = 0
    while any(thread.is_alive() for thread, _ in threads):
        mirror.sync()
        if not late_commit_done.is_set():
            syncs_before_late_commit += 1
            # Not committed, so not in the mirror; the cursor must not pass it either.
            assert not set(late_rows) & set(mirror.rows)
        time.sleep(0.05)
    for thread, errors in threads:
        thread.join()
        assert not errors, errors

    expected = database_as_the_api_shows_it()
    # Transactions elsewhere on the server hold the watermark back for a while at most.
    deadline = time.monotonic() + 60
    while mirror.rows != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        mirror.sync()

    assert syncs_before_late_commit >= 1
    assert set(mirror.rows) == set(expected)
    different = [key for key in expected if mirror.rows[key] != expected[key]]
    assert not different, [(key, mirror.rows[key], expected[key]) for key in different[:3]]
    # The late transaction's rows arrived although later transactions had been synced.
    assert set(late_rows) <= set(mirror.rows)
    phoenixes = [row for (resource, _), row in mirror.rows.items() if resource == "zone"
                 and row["slug"] == "phoenix"]  # fmt: skip
    assert [row["name"] for row in phoenixes] == [f"Phoenix {ROUNDS - 1}"]
