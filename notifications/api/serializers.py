from rest_framework import serializers

from notifications.choices import WebhookEventType
from notifications.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    """A partner's endpoint; the signing secret is shown once, when it is created."""

    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEventType.choices),
        allow_empty=False,
        min_length=1,  # so the schema says minItems: 1, as allow_empty alone does not
        max_length=len(WebhookEventType.values),
        help_text="The events to receive: " + ", ".join(WebhookEventType.values) + ".",
    )

    class Meta:
        model = WebhookEndpoint
        fields = (
            "id",
            "url",
            "event_types",
            "description",
            "notify_email",
            "is_active",
            "disabled_reason",
            "created",
            "updated",
        )
        read_only_fields = ("id", "disabled_reason", "created", "updated")
        extra_kwargs = {
            "url": {"help_text": "A public https URL; private and loopback addresses are refused."},
            "notify_email": {
                "help_text": "Who is told if the endpoint is disabled after failures."
            },
        }


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The Standard Webhooks signing secret (whsec_…). Shown only in this answer.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = (*WebhookEndpointSerializer.Meta.fields, "secret")
        read_only_fields = (*WebhookEndpointSerializer.Meta.read_only_fields, "secret")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One event sent to one endpoint and what came of it."""

    endpoint_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint_id",
            "event_type",
            "message_id",
            "payload",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created",
        )
        read_only_fields = fields
