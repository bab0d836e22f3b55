import django_filters

from core.filtersets import ChoiceInFilter, IdFilter

from .choices import DeliveryStatus, WebhookEventType
from .models import WebhookDelivery


class WebhookDeliveryFilterSet(django_filters.FilterSet):
    endpoint_id = IdFilter(field_name="endpoint_id", lookup_expr="exact")
    status = django_filters.ChoiceFilter(field_name="status", choices=DeliveryStatus.choices)
    status__in = ChoiceInFilter(field_name="status", choices=DeliveryStatus.choices)
    event_type = django_filters.ChoiceFilter(
        field_name="event_type", choices=WebhookEventType.choices
    )

    class Meta:
        model = WebhookDelivery
        fields = ("endpoint_id", "status", "status__in", "event_type")
