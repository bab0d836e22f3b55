import base64
import datetime
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partners.models import PartnerKey

from .choices import DeliveryStatus, NotificationEvent, WebhookEventType


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        """Items a worker may take now: pending and due, or abandoned by a worker that died."""
        now = now or timezone.now()
        return self.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, locked_until__lt=now)
        )

    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)


class OutboxItem(models.Model):
    """What an email and a webhook delivery share: attempts, the next one, the last error."""

    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker holds an item while it sends; past this time another worker may take it over.
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True


def _status_is_valid(prefix):
    return models.CheckConstraint(
        condition=Q(status__in=DeliveryStatus.values),
        name=f"{prefix}_status_valid",
        violation_error_message="Unknown delivery status.",
    )


class Notification(OutboxItem):
    """One email to one recipient about one event, kept as the record of what was sent."""

    recipient = models.EmailField()
    event = models.CharField(max_length=64, choices=NotificationEvent.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    # Reminders only: which occurrence this is (e.g. the expiry date reminded of), so that the
    # periodic job can run any number of times and still send each reminder once.
    period = models.CharField(max_length=32, blank=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="notification_concerns_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
        ]
        constraints = [
            _status_is_valid("notification"),
            models.UniqueConstraint(
                fields=["event", "content_type", "object_id", "recipient", "period"],
                condition=~Q(period=""),
                name="notification_reminder_once_per_period",
                violation_error_message="This reminder has already been sent for this period.",
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENT, sent_at__isnull=False)
                | (~Q(status=DeliveryStatus.SENT) & Q(sent_at__isnull=True)),
                name="notification_sent_has_time",
                violation_error_message="A sent notification records when it was sent.",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} → {self.recipient}"


def new_webhook_secret() -> str:
    # Standard Webhooks secrets: "whsec_" and base64 of 24 to 64 random bytes.
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """A partner's URL that receives signed events of the types it chose."""

    partner_key = models.ForeignKey(
        PartnerKey, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list)
    description = models.CharField(max_length=200, blank=True)
    # Who the registry tells when the endpoint is disabled after a day of failures.
    notify_email = models.EmailField(blank=True)
    secret = models.CharField(max_length=100, default=new_webhook_secret, editable=False)
    is_active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=["partner_key", "url"],
                name="webhook_endpoint_unique_url_per_key",
                violation_error_message="This key already has an endpoint at this URL.",
            ),
        ]

    def __str__(self):
        return self.url


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def retry_window_end():
    return timezone.now() + datetime.timedelta(seconds=settings.WEBHOOK_MAX_AGE_SECONDS)


class WebhookDelivery(OutboxItem):
    """One event sent to one endpoint, with every attempt's outcome."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=64, choices=WebhookEventType.choices)
    # The Standard Webhooks `webhook-id`: the same on every retry so receivers can deduplicate.
    message_id = models.CharField(max_length=64, unique=True, default=new_message_id)
    payload = models.JSONField()
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # Retries stop here (a day after the event, or after a replay); then the endpoint is
    # disabled.
    retry_until = models.DateTimeField(default=retry_window_end)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due_idx"),
        ]
        constraints = [
            _status_is_valid("webhook_delivery"),
            models.CheckConstraint(
                condition=Q(event_type__in=WebhookEventType.values),
                name="webhook_delivery_event_type_valid",
                violation_error_message="Unknown webhook event type.",
            ),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint}"
