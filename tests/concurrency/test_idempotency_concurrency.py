"""Races through a real HTTP server: 50 clients at once, each on its own connection.

tests/concurrency/test_services_concurrency.py races the services directly; here the
requests go through the whole stack (middleware, DRF, the form view) on the live server's
threads, each with its own PostgreSQL connection, so that any check-then-act outside the
database's constraints would show. PostgreSQL only, like the other races (SQLite
serialises every writer).
"""

import json
import re
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bench import run as bench  # its HTTP helpers: request(), cookies_from()
from companies.models import Company, Contact, InterestRegistration
from partners.models import IdempotencyRecord, PartnerKey
from tests.factories import ZoneFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level races need PostgreSQL"),
]

CLIENTS = 50


def all_at_once(task, count=CLIENTS):
    """Run task(i) in `count` threads released together by a barrier; return the results."""
    start = threading.Barrier(count)

    def worker(index):
        start.wait()
        return task(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))


def send(port, path, **kwargs):
    """bench.request(), retried when the connection is reset before an answer.

    The live server's listen queue is short (Django's WSGIServer: 10), so some of 50
    simultaneous connections are reset; a client retries those, which is safe here by
    design: the same Idempotency-Key, or the same one-time form token.
    """
    for attempt in range(10):
        try:
            return bench.request(port, path, **kwargs)
        except (ConnectionResetError, ConnectionRefusedError, BrokenPipeError):
            time.sleep(0.05 * (attempt + 1))
    return bench.request(port, path, **kwargs)


@pytest.fixture
def port(live_server, settings):
    # The form's limit (20/h per address) would answer most of the 50 with 429 before the
    # race is reached; the partner limit (1200/minute) is far above 50.
    settings.PUBLIC_REGISTRATION_RATE = "100000/h"
    return urllib.parse.urlsplit(live_server.url).port


def test_fifty_posts_with_one_idempotency_key_register_once(port):
    zone = ZoneFactory(slug="karachi", status="approved")
    key = PartnerKey.objects.create_key(name="Race", organisation="PBS")[1]
    body = json.dumps({
        "company_name": "Indus Cloud (Pvt) Ltd", "origin": "domestic", "country": "PK",
        "contact_name": "Ayesha Khan", "contact_email": "ayesha@induscloud.example",
        "zones": [zone.slug],
    })  # fmt: skip
    headers = {
        "Authorization": f"Api-Key {key}",
        "Content-Type": "application/json",
        "Idempotency-Key": "retry-storm-1",
    }

    def post(_):
        status, response_headers, content = send(
            port, "/api/v1/interests/", method="POST", headers=headers, body=body, timeout=60
        )
        replayed = dict(response_headers).get("Idempotent-Replayed") == "true"
        return status, replayed, json.loads(content)

    answers = all_at_once(post)

    registration = InterestRegistration.objects.get()
    assert IdempotencyRecord.objects.count() == 1
    assert Company.objects.count() == 1
    # A race loser waits for the winner's row and replays its answer: no 409, no 5xx.
    assert [status for status, _, _ in answers] == [201] * CLIENTS
    assert {answer["reference"] for _, _, answer in answers} == {registration.reference}
    assert sum(not replayed for _, replayed, _ in answers) == 1


def test_fifty_web_forms_for_one_company_make_one_company(port):
    ZoneFactory(slug="karachi", status="approved")
    spellings = ["Acme Ltd", "ACME LIMITED", "Acme (Pvt.) Ltd", "acme private limited"]

    def open_form():
        """GET /register/ like a browser: the CSRF cookie, its form token and the form's."""
        status, headers, page = send(port, "/register/")
        assert status == 200
        cookies = bench.cookies_from(headers)
        fields = dict(re.findall(rb'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
        return cookies, {name.decode(): value.decode() for name, value in fields.items()}

    forms = [open_form() for _ in range(CLIENTS)]

    def submit(index):
        cookies, hidden = forms[index]
        form = urllib.parse.urlencode({
            **hidden, "company_name": spellings[index % len(spellings)], "origin": "domestic",
            "country": "PK", "zones": "karachi", "contact_name": "Ayesha Khan",
            "contact_email": f"ayesha{index % 3}@acme.example", "consent": "on",
        })  # fmt: skip
        status, _, _ = send(
            port, "/register/", method="POST", body=form, timeout=60,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        )  # fmt: skip
        return status

    statuses = all_at_once(submit)

    # 302 to the confirmation, or 200 with "already received" for a repeat within minutes.
    assert set(statuses) <= {200, 302}, statuses
    assert 302 in statuses
    assert Company.objects.count() == 1
    assert Contact.objects.count() == 3  # one per distinct email, however many raced
    assert InterestRegistration.objects.count() >= 1
