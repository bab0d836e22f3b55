"""Partner webhooks: registered with a key, signed (Standard Webhooks), retried, never inward."""

import datetime
import http.server
import json
import threading

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from companies.services import registration_transition
from notifications import outbox
from notifications.models import Notification, WebhookDelivery, WebhookEndpoint
from notifications.services import webhook_endpoint_create
from partners.models import PartnerKey
from tests.factories import (
    InterestRegistrationFactory,
    PledgeFactory,
    StaffUserFactory,
    ZoneFactory,
)
from zones.services import zone_change_status

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"
DELIVERIES = "/api/v1/webhooks/deliveries/"


class Receiver:
    """An HTTP receiver on 127.0.0.1 that answers 500 to the first `fail` requests."""

    def __init__(self, fail: int = 0):
        self.fail = fail
        self.requests: list[tuple[dict, bytes, int]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                code = 500 if receiver.fail > 0 else 204
                receiver.fail -= 1
                receiver.requests.append((dict(self.headers), body, code))
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/registry"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_REQUIRE_HTTPS = False
    settings.WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0, 0]
    receivers = []

    def start(fail=0):
        receiver = Receiver(fail=fail)
        receivers.append(receiver)
        return receiver

    yield start
    for receiver in receivers:
        receiver.stop()


@pytest.fixture
def partner():
    key, raw = PartnerKey.objects.create_key(name="Board of Investment")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return key, client


def test_three_attempts_one_delivery_signed_per_standard_webhooks(loopback, partner, run_tasks):
    _, client = partner
    receiver = loopback(fail=2)
    created = client.post(
        ENDPOINTS,
        {"url": receiver.url, "event_types": ["registration.status_changed"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")

    registration = InterestRegistrationFactory()
    registration_transition(
        registration=registration, status="under_review", user=StaffUserFactory()
    )
    run_tasks()

    assert [code for _, _, code in receiver.requests] == [500, 500, 204]
    ids = {headers["webhook-id"] for headers, _, _ in receiver.requests}
    assert len(ids) == 1  # the same message id on every retry, for deduplication
    headers, body, _ = receiver.requests[-1]
    event = Webhook(secret).verify(body, headers)
    assert event["type"] == "registration.status_changed"
    assert event["data"] == {
        "id": registration.pk,
        "reference": registration.reference,
        "status": "under_review",
        "previous_status": "received",
        "company_id": registration.company_id,
        "zone_ids": sorted(z.pk for z in registration.zones.all()),
    }
    for personal in (registration.contact.email, registration.contact.name):
        assert personal not in body.decode()
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "QUJD" * 8).verify(body, headers)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 3, 204)

    listed = client.get(DELIVERIES).json()
    assert listed["count"] == 1
    assert listed["results"][0]["status"] == "sent"
    assert listed["results"][0]["attempts"] == 3


def test_only_subscribed_event_types_are_sent(loopback, partner, run_tasks):
    key, _ = partner
    receiver = loopback()
    webhook_endpoint_create(partner_key=key, url=receiver.url, event_types=["zone.status_changed"])

    zone = ZoneFactory(status="approved")
    zone_change_status(zone=zone, status="approved", changed_on=datetime.date(2026, 1, 1))
    zone_change_status(zone=zone, status="under_development", changed_on=datetime.date(2026, 2, 1))
    PledgeFactory(zone=zone)  # pledge.changed: not subscribed
    run_tasks()

    statuses = [json.loads(body)["data"]["status"] for _, body, _ in receiver.requests]
    assert statuses == ["approved", "under_development"]
    assert {json.loads(body)["type"] for _, body, _ in receiver.requests} == {"zone.status_changed"}


def test_pledge_changes_are_published_with_ids_and_state(loopback, partner, run_tasks):
    key, _ = partner
    receiver = loopback()
    endpoint = webhook_endpoint_create(
        partner_key=key, url=receiver.url, event_types=["pledge.changed"]
    )
    pledge = PledgeFactory()
    pledge_id = pledge.pk
    pledge.delete()
    run_tasks()

    events = [Webhook(endpoint.secret).verify(b, h) for h, b, _ in receiver.requests]
    assert [(e["data"]["id"], e["data"]["deleted"]) for e in events] == [
        (pledge_id, False),
        (pledge_id, True),
    ]


def test_a_day_of_failures_disables_the_endpoint_and_tells_the_partner(
    loopback, partner, run_tasks, settings
):
    key, client = partner
    receiver = loopback(fail=1000)
    endpoint = webhook_endpoint_create(
        partner_key=key,
        url=receiver.url,
        event_types=["registration.status_changed"],
        notify_email="it@boi.example",
    )
    registration = InterestRegistrationFactory()
    registration_transition(
        registration=registration, status="under_review", user=StaffUserFactory()
    )
    delivery = WebhookDelivery.objects.get()
    # The 24 hours are over by the time of the last listed retry.
    WebhookDelivery.objects.update(retry_until=timezone.now() + datetime.timedelta(seconds=1))
    settings.WEBHOOK_RETRY_DELAYS = [0, 0]
    run_tasks()
    delivery.refresh_from_db()
    assert delivery.status == "pending"  # the final try waits for the end of the window
    assert delivery.next_attempt_at == delivery.retry_until
    import time

    time.sleep(1.2)
    run_tasks()

    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == 4
    assert delivery.last_error == "The endpoint answered HTTP 500."
    assert not endpoint.is_active
    assert "failed for 24 hours" in endpoint.disabled_reason
    told = Notification.objects.get(event="webhook_endpoint_disabled", recipient="it@boi.example")
    assert told.concerns == endpoint
    assert receiver.url in told.body_text
    assert any(m.to == ["it@boi.example"] for m in mail.outbox)

    # Nothing more is sent to a disabled endpoint, and a replay says why.
    registration_transition(registration=registration, status="declined", user=StaffUserFactory())
    assert WebhookDelivery.objects.count() == 1
    replay = client.post(f"{DELIVERIES}{delivery.pk}/replay/")
    assert replay.status_code == 400
    assert "disabled" in replay.json()["detail"] + json.dumps(replay.json().get("errors", {}))


def test_the_partner_replays_a_delivery_after_fixing_its_endpoint(loopback, partner, run_tasks):
    key, client = partner
    receiver = loopback(fail=1000)
    endpoint = webhook_endpoint_create(
        partner_key=key, url=receiver.url, event_types=["pledge.changed"]
    )
    PledgeFactory()
    WebhookDelivery.objects.update(retry_until=timezone.now())
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    endpoint.refresh_from_db()
    assert not endpoint.is_active

    receiver.fail = 0
    enabled = client.patch(f"{ENDPOINTS}{endpoint.pk}/", {"is_active": True}, format="json")
    assert enabled.status_code == 200, enabled.content
    assert enabled.json()["disabled_reason"] == ""
    replayed = client.post(f"{DELIVERIES}{delivery.pk}/replay/")
    assert replayed.status_code == 202
    run_tasks()

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    ids = [h["webhook-id"] for h, _, _ in receiver.requests]
    assert ids[-1] == delivery.message_id


def test_a_rolled_back_change_publishes_nothing(loopback, partner):
    from django.db import transaction

    key, _ = partner
    webhook_endpoint_create(partner_key=key, url=loopback().url, event_types=["pledge.changed"])
    with pytest.raises(RuntimeError), transaction.atomic():
        PledgeFactory()
        raise RuntimeError("rolled back")
    assert WebhookDelivery.objects.count() == 0


# --- the API: a partner sees and changes only its own endpoints ------------------------------


def test_endpoints_need_a_partner_key(client, staff_user):
    assert APIClient().get(ENDPOINTS).status_code == 401
    staff = APIClient()
    staff.force_login(staff_user)
    assert staff.get(ENDPOINTS).status_code == 403


def test_a_partner_sees_only_its_own_endpoints_and_deliveries(loopback, partner):
    key, client = partner
    other_key, _ = PartnerKey.objects.create_key(name="Other")
    url = loopback().url
    theirs = webhook_endpoint_create(partner_key=other_key, url=url, event_types=["plot.changed"])
    mine = webhook_endpoint_create(partner_key=key, url=url, event_types=["plot.changed"])
    outbox.publish("plot.changed", {"id": 1, "status": "vacant"})

    listed = client.get(ENDPOINTS).json()
    assert [e["id"] for e in listed["results"]] == [mine.pk]
    assert "secret" not in listed["results"][0]
    assert client.get(f"{ENDPOINTS}{theirs.pk}/").status_code == 404
    assert client.delete(f"{ENDPOINTS}{theirs.pk}/").status_code == 404
    deliveries = client.get(DELIVERIES).json()["results"]
    assert [d["endpoint_id"] for d in deliveries] == [mine.pk]
    their_delivery = WebhookDelivery.objects.get(endpoint=theirs)
    assert client.post(f"{DELIVERIES}{their_delivery.pk}/replay/").status_code == 404

    assert client.delete(f"{ENDPOINTS}{mine.pk}/").status_code == 204
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "https://127.0.0.1/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://10.1.2.3/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://169.254.169.254/latest", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://[::1]/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://localhost/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "http://93.184.215.14/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "ftp://example.org/hook", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://user:pw@93.184.215.14/", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://93.184.215.14:99999/", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://no-such-host.invalid/", "event_types": ["pledge.changed"]}, "url"),
        ({"url": "https://93.184.215.14/hook", "event_types": []}, "event_types"),
        ({"url": "https://93.184.215.14/hook", "event_types": ["pledge.deleted"]}, "event_types"),
        ({"url": "https://93.184.215.14/hook", "event_types": "pledge.changed"}, "event_types"),
        ({"event_types": ["pledge.changed"]}, "url"),
    ],
)
def test_unsafe_or_invalid_endpoints_are_a_400_with_the_field(partner, settings, body, field):
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    _, client = partner
    response = client.post(ENDPOINTS, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert WebhookEndpoint.objects.count() == 0


def test_a_public_https_endpoint_is_accepted_and_a_duplicate_refused(partner):
    _, client = partner
    body = {"url": "https://93.184.215.14/hook", "event_types": ["pledge.changed"] * 2}
    first = client.post(ENDPOINTS, body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["event_types"] == ["pledge.changed"]
    second = client.post(ENDPOINTS, body, format="json")
    assert second.status_code == 400
    assert "url" in second.json()["errors"]


def test_a_delivery_refuses_an_address_that_turned_private(loopback, partner, run_tasks, settings):
    """DNS can change after registration: the address is checked again before sending."""
    key, _ = partner
    receiver = loopback()
    webhook_endpoint_create(partner_key=key, url=receiver.url, event_types=["pledge.changed"])
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    settings.WEBHOOK_RETRY_DELAYS = []
    WebhookDelivery.objects.all().delete()
    PledgeFactory()
    WebhookDelivery.objects.update(retry_until=timezone.now())
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert "loopback" in delivery.last_error


def test_the_schema_documents_the_webhook_api(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/webhooks/endpoints/" in paths
    assert "/api/v1/webhooks/deliveries/{id}/replay/" in paths
    created = paths["/api/v1/webhooks/endpoints/"]["post"]["responses"]["201"]
    assert "WebhookEndpointCreated" in json.dumps(created)


def test_the_retry_schedule_backs_off_and_ends_a_day_after_the_event(settings):
    settings.WEBHOOK_RETRY_DELAYS = [5, 300, 1800, 7200, 18000, 36000]
    start = timezone.now()
    delivery = WebhookDelivery(retry_until=start + datetime.timedelta(hours=24))
    now, waits = start, []
    for attempt in range(1, 10):
        delivery.attempts = attempt
        next_attempt = outbox._webhook_next_attempt(delivery, now)
        if next_attempt is None:
            break
        waits.append(round((next_attempt - now).total_seconds()))
        now = next_attempt
    assert waits[:6] == [5, 300, 1800, 7200, 18000, 36000]
    assert now == delivery.retry_until  # the seventh and last try, 24 h after the event
    assert len(waits) == 7
