"""The outbox: emails and webhook deliveries recorded in the database, sent by workers.

Every item is a row written in the transaction of the change that causes it, together with a
django-tasks task (a row too, with the database backend) that sends it. A rolled-back change
leaves neither; a committed one cannot be lost. A worker claims an item with one conditional
UPDATE, so two workers never send the same item, on PostgreSQL as on SQLite; a failed attempt
schedules the next one with a growing delay, and after the last one the item waits, failed,
for staff to retry it from the admin.
"""

import datetime
import http.client
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task
from standardwebhooks import Webhook

from . import urlguard
from .choices import DeliveryStatus, NotificationEvent
from .models import Notification, OutboxItem, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# How long a worker may hold an item while sending before another may take it over: well
# above EMAIL_TIMEOUT and WEBHOOK_TIMEOUT_SECONDS.
LEASE = datetime.timedelta(minutes=5)
ERROR_LENGTH = 2000


# --- the tasks the workers run ---------------------------------------------------------------


@task()
def deliver_notification(notification_id: int) -> str:
    """Send one email, or schedule its next attempt."""
    return notification_send(notification_id=notification_id)


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST one webhook delivery, or schedule its next attempt."""
    return webhook_send(delivery_id=delivery_id)


def enqueue(item: OutboxItem) -> None:
    """Queue a task for `item` at its next attempt time, in the caller's transaction."""
    work = deliver_notification if isinstance(item, Notification) else deliver_webhook
    when = item.next_attempt_at
    if when and when > timezone.now():
        work = work.using(run_after=when)
    work.enqueue(item.pk)


# --- emails ----------------------------------------------------------------------------------


@transaction.atomic
def notify(
    event: str,
    obj: models.Model | None,
    recipients: Iterable[str],
    *,
    context: dict[str, Any] | None = None,
    period: str = "",
    language: str | None = None,
) -> list[Notification]:
    """Record and queue the email for `event` about `obj` to each recipient.

    In `language` (a code of settings.LANGUAGES), else in settings.LANGUAGE_CODE: the
    acknowledgement of a registration made on the Urdu site is written in Urdu.

    Call it inside the transaction of the change it announces. The subject and bodies are
    rendered now, from templates/emails/<event>.{subject.txt,txt,html}, so the record shows
    exactly what was sent. A reminder passes `period`; the database then refuses a second
    notification for the same event, object, recipient and period (IntegrityError).
    """
    event = NotificationEvent(event)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    full_context = {
        "object": obj,
        "site_url": settings.SITE_URL.rstrip("/"),
        **(context or {}),
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{event}.subject.txt", full_context).split())
        body_text = render_to_string(f"emails/{event}.txt", full_context)
        body_html = render_to_string(f"emails/{event}.html", full_context)
    created = []
    for recipient in dict.fromkeys(r.strip() for r in recipients if r and r.strip()):
        try:
            validate_email(recipient)
        except ValidationError:
            # A mistyped address in the settings must not undo the change being announced.
            logger.error("Not queueing %s to invalid address %r", event, recipient)
            continue
        notification = Notification(
            recipient=recipient,
            event=event,
            content_type=content_type,
            object_id=obj.pk if obj is not None else None,
            period=period,
            subject=subject[:255],
            body_text=body_text,
            body_html=body_html,
        )
        notification.save()
        enqueue(notification)
        created.append(notification)
    return created


def notification_send(*, notification_id: int) -> str:
    """One attempt at one email; what became of it."""
    notification = _claim(Notification, notification_id)
    if notification is None:
        return "not due"  # sent, failed or held by another worker meanwhile
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:  # any transport failure: the item is kept for its next attempt
        logger.warning("Email %s to %s failed: %s", notification.pk, notification.recipient, exc)
        return _failed(notification, exc, settings.NOTIFICATION_RETRY_DELAYS)
    Notification.objects.filter(pk=notification.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), locked_until=None, last_error=""
    )
    return "sent"


# --- webhooks --------------------------------------------------------------------------------


@transaction.atomic
def publish(event_type: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue `data` for every active endpoint subscribed to `event_type`.

    `data` holds ids and the new state only, never contact personal data: it leaves the
    registry for systems we do not run.
    """
    endpoints = WebhookEndpoint.objects.filter(is_active=True, partner_key__revoked=False)
    deliveries = []
    for endpoint in endpoints:
        if event_type not in endpoint.event_types:
            continue
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type=event_type,
            payload={
                "type": event_type,
                "timestamp": timezone.now().isoformat(),
                "data": data,
            },
        )
        enqueue(delivery)
        deliveries.append(delivery)
    return deliveries


def webhook_headers(delivery: WebhookDelivery, body: str, now: datetime.datetime) -> dict:
    """The Standard Webhooks headers for `body`, signed with the endpoint's secret."""
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, now, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": "TechnologyZonesRegistry-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def webhook_send(*, delivery_id: int) -> str:
    """One attempt at one webhook delivery; what became of it."""
    delivery = _claim(WebhookDelivery, delivery_id)
    if delivery is None:
        return "not due"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _finish(delivery, status=DeliveryStatus.FAILED, last_error="The endpoint is disabled.")
        return "endpoint disabled"
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    now = timezone.now()
    code = None
    try:
        code = urlguard.post(
            endpoint.url,
            body=body.encode(),
            headers=webhook_headers(delivery, body, now),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
    except (OSError, http.client.HTTPException, urlguard.UnsafeURLError) as exc:
        error: BaseException | str = exc
    else:
        if 200 <= code < 300:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SENT,
                delivered_at=timezone.now(),
                response_code=code,
                locked_until=None,
                last_error="",
            )
            return "delivered"
        error = f"The endpoint answered HTTP {code}."
    WebhookDelivery.objects.filter(pk=delivery.pk).update(response_code=code)
    return _failed(delivery, error, settings.WEBHOOK_RETRY_DELAYS, give_up=_webhook_gave_up)


def _webhook_next_attempt(delivery: WebhookDelivery, now: datetime.datetime):
    """After the listed delays, one last try at the end of the window; then none."""
    delays = settings.WEBHOOK_RETRY_DELAYS
    deadline = delivery.retry_until
    if now >= deadline:
        return None
    if delivery.attempts <= len(delays):
        return min(now + datetime.timedelta(seconds=delays[delivery.attempts - 1]), deadline)
    return deadline


def _webhook_gave_up(delivery: WebhookDelivery) -> None:
    """A day of failures: stop sending to the endpoint and tell its partner and staff."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if not endpoint.is_active:
        return
    endpoint.is_active = False
    endpoint.disabled_reason = (
        f"Disabled on {timezone.now():%Y-%m-%d %H:%M} UTC: delivery {delivery.message_id} "
        f"failed for 24 hours ({delivery.last_error or 'no answer'})."
    )[:300]
    endpoint.save(update_fields=["is_active", "disabled_reason", "updated"])
    recipients = [endpoint.notify_email] if endpoint.notify_email else []
    notify(
        NotificationEvent.WEBHOOK_ENDPOINT_DISABLED,
        endpoint,
        [*recipients, *settings.REGISTRY_STAFF_EMAILS],
        context={"endpoint": endpoint, "delivery": delivery},
    )


# --- what both share -------------------------------------------------------------------------


def _claim(model: type[OutboxItem], pk: int) -> OutboxItem | None:
    """Take the item for this worker, or None when it is not due or another worker has it.

    One conditional UPDATE decides: on PostgreSQL a second worker's UPDATE waits for the
    first's row lock and then finds the status changed; SQLite has a single writer.
    """
    now = timezone.now()
    taken = (
        model.objects.filter(pk=pk)
        .due(now)
        .update(
            status=DeliveryStatus.SENDING,
            locked_until=now + LEASE,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    )
    if not taken:
        return None
    return model.objects.get(pk=pk)


@transaction.atomic
def _failed(item: OutboxItem, error: BaseException | str, delays: list[int], give_up=None) -> str:
    item.last_error = (
        str(error) if isinstance(error, str) else f"{type(error).__name__}: {error}"
    )[:ERROR_LENGTH] or type(error).__name__
    now = timezone.now()
    if isinstance(item, WebhookDelivery):
        next_attempt = _webhook_next_attempt(item, now)
    elif item.attempts <= len(delays):
        next_attempt = now + datetime.timedelta(seconds=delays[item.attempts - 1])
    else:
        next_attempt = None
    if next_attempt is None:
        _finish(item, status=DeliveryStatus.FAILED, last_error=item.last_error)
        if give_up is not None:
            give_up(item)
        return "failed"
    item.next_attempt_at = next_attempt
    _finish(item, status=DeliveryStatus.PENDING, last_error=item.last_error, next=next_attempt)
    enqueue(item)
    return "retry scheduled"


def _finish(item: OutboxItem, *, status: str, last_error: str, next=None) -> None:
    changes = {"status": status, "last_error": last_error, "locked_until": None}
    if next is not None:
        changes["next_attempt_at"] = next
    type(item).objects.filter(pk=item.pk).update(**changes)
    item.status = status


@transaction.atomic
def retry(item: OutboxItem) -> bool:
    """Send a failed item again now, with a fresh round of attempts (the admin's action)."""
    model = type(item)
    now = timezone.now()
    reset = {"status": DeliveryStatus.PENDING, "attempts": 0, "next_attempt_at": now}
    if model is WebhookDelivery:
        # A replay starts a new 24-hour window.
        reset["retry_until"] = now + datetime.timedelta(seconds=settings.WEBHOOK_MAX_AGE_SECONDS)
    updated = (
        model.objects.filter(pk=item.pk).exclude(status=DeliveryStatus.SENDING).update(**reset)
    )
    if not updated:
        return False
    item.refresh_from_db()
    enqueue(item)
    return True


def requeue_stalled(*, older_than: datetime.timedelta = LEASE) -> int:
    """Queue a task again for items whose task was lost (a worker killed mid-send).

    Idempotent: a spare task finds the item claimed or sent and does nothing.
    """
    cutoff = timezone.now() - older_than
    count = 0
    for model in (Notification, WebhookDelivery):
        for item in model.objects.due().filter(next_attempt_at__lte=cutoff).only("pk"):
            with transaction.atomic():
                item.next_attempt_at = None
                enqueue(item)
            count += 1
    return count
