"""Races between real PostgreSQL connections: the database, not luck, decides them.

SQLite serialises every writer, so these races only exist on PostgreSQL; the
suite runs them there (CI's second pass).
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from companies.models import Company, Contact, InterestRegistration
from companies.services import registration_submit
from investments.services import disbursement_record, pledge_record, pledge_update
from tests.factories import CompanyFactory, ZoneFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
]


def run_in_parallel(task, count):
    """Run task(i) in `count` threads released together; return results and errors."""
    start = threading.Barrier(count)

    def worker(index):
        try:
            start.wait()
            return task(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(worker, index) for index in range(count)]
    results, errors = [], []
    for future in futures:
        try:
            results.append(future.result())
        except Exception as exc:
            errors.append(exc)
    return results, errors


def test_parallel_submissions_for_one_company_create_it_once():
    zone = ZoneFactory()
    spellings = ["Acme Ltd", "ACME LIMITED", "Acme (Pvt.) Ltd", "acme private limited"]

    def submit(index):
        return registration_submit(
            company_name=spellings[index % len(spellings)],
            origin="domestic",
            country="PK",
            zones=[zone],
            contact_name="Ayesha Khan",
            contact_email="ayesha@acme.example" if index % 2 else "AYESHA@acme.example",
        )

    results, errors = run_in_parallel(submit, 20)

    assert errors == []
    assert Company.objects.count() == 1
    assert Contact.objects.count() == 1
    assert InterestRegistration.objects.count() == 20
    assert {registration.company_id for registration in results} == {Company.objects.get().pk}


def test_parallel_disbursements_lose_no_update():
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("1000"),
        currency="USD",
        pledged_on=datetime.date(2026, 1, 1),
    )

    def disburse(index):
        return disbursement_record(
            pledge=pledge, amount=Decimal("30"), disbursed_on=datetime.date(2026, 2, 1)
        )

    # 40 × 30 = 1,200 asked for, 1,000 pledged: exactly 33 tranches fit.
    results, errors = run_in_parallel(disburse, 40)

    pledge.refresh_from_db()
    assert len(results) == 33
    assert len(errors) == 7
    assert pledge.realized_amount == Decimal("990")
    assert pledge.realized_usd == Decimal("990")
    assert pledge.disbursements.count() == 33


def test_parallel_edits_of_different_pledge_fields_all_survive():
    pledge = pledge_record(
        company=CompanyFactory(),
        zone=ZoneFactory(),
        amount=Decimal("1000"),
        currency="USD",
        pledged_on=datetime.date(2026, 1, 1),
    )
    edits = [
        {"status": "committed"},
        {"description": "Board approval received"},
        {"amount": Decimal("2500")},
    ]

    _, errors = run_in_parallel(lambda index: pledge_update(pledge=pledge, **edits[index]), 3)

    assert errors == []
    pledge.refresh_from_db()
    assert pledge.status == "committed"
    assert pledge.description == "Board approval received"
    assert pledge.amount == Decimal("2500")
    assert pledge.amount_usd == Decimal("2500.00")
