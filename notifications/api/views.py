from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from api.exceptions import ErrorSerializer
from api.permissions import IsPartner
from notifications.filtersets import WebhookDeliveryFilterSet
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.services import (
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhook_endpoint_update,
)

from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)


class WebhookEndpointViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The calling partner key's webhook endpoints (see docs/webhooks.md)."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer
    permission_classes = (IsPartner,)
    parser_classes = (JSONParser,)
    filterset_class = None
    ordering = ("id",)
    http_method_names = ("get", "post", "patch", "delete", "head", "options")

    def get_queryset(self):
        return super().get_queryset().filter(partner_key=self.request.auth)

    @extend_schema(
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer, 400: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_create(partner_key=request.auth, **serializer.validated_data)
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: WebhookEndpointSerializer, 400: ErrorSerializer})
    def partial_update(self, request, *args, **kwargs):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = webhook_endpoint_update(
            endpoint=serializer.instance, **serializer.validated_data
        )
        return Response(WebhookEndpointSerializer(endpoint).data)


class WebhookDeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Deliveries to the calling partner key's endpoints, newest first; replay one."""

    queryset = WebhookDelivery.objects.all()
    serializer_class = WebhookDeliverySerializer
    permission_classes = (IsPartner,)
    filterset_class = WebhookDeliveryFilterSet
    search_fields = ("event_type", "endpoint__url")
    ordering_fields = ("created", "status")
    ordering = ("-created", "-id")

    def get_queryset(self):
        return super().get_queryset().filter(endpoint__partner_key=self.request.auth)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer, 400: ErrorSerializer, 404: ErrorSerializer},
        summary="Send a delivery again",
        description="Queues the delivery to be sent again with the same `webhook-id` and "
        "payload, with a fresh 24-hour round of retries.",
    )
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        delivery = webhook_delivery_replay(delivery=self.get_object())
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
