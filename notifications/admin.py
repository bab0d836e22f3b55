from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet

from . import outbox
from .choices import DeliveryStatus
from .models import Notification, WebhookDelivery, WebhookEndpoint


class OutboxAdmin(admin.ModelAdmin):
    """Read-only records of what was sent; staff may only send a failed item again."""

    actions = ("retry_selected",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed items again", permissions=["retry"])
    def retry_selected(self, request, queryset):
        retried = sum(outbox.retry(item) for item in queryset.filter(status=DeliveryStatus.FAILED))
        skipped = queryset.count() - retried
        self.message_user(
            request,
            f"{retried} item(s) queued to be sent again"
            + (f"; {skipped} skipped (only failed items are retried)." if skipped else "."),
            messages.SUCCESS if retried else messages.WARNING,
        )

    def has_retry_permission(self, request):
        # Sending again writes; the view-only roles may look but not resend.
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")


@admin.register(Notification)
class NotificationAdmin(OutboxAdmin):
    list_display = (
        "created",
        "event",
        "recipient",
        "subject",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
        "short_error",
    )
    list_filter = ("status", "event", "created")
    search_fields = ("recipient", "subject")
    readonly_fields = (
        "event",
        "recipient",
        "content_type",
        "object_id",
        "period",
        "subject",
        "body_text",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "sent_at",
        "last_error",
        "created",
    )
    fields = readonly_fields

    @admin.display(description="last error")
    def short_error(self, item):
        return item.last_error[:80]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OutboxAdmin):
    list_display = (
        "created",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "delivered_at",
        "next_attempt_at",
        "short_error",
    )
    list_filter = ("status", "event_type", "created")
    list_select_related = ("endpoint",)
    search_fields = ("message_id", "endpoint__url")
    readonly_fields = (
        "endpoint",
        "event_type",
        "message_id",
        "payload",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
        "last_attempt_at",
        "retry_until",
        "delivered_at",
        "last_error",
        "created",
    )
    fields = readonly_fields

    @admin.display(description="last error")
    def short_error(self, item):
        return item.last_error[:80]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "partner_key", "is_active", "disabled_reason", "created")
    list_filter = ("is_active",)
    list_select_related = ("partner_key",)
    search_fields = ("url", "partner_key__name", "partner_key__organisation")
    readonly_fields = ("partner_key", "url", "event_types", "disabled_reason", "created")
    fields = (
        "partner_key",
        "url",
        "event_types",
        "description",
        "notify_email",
        "is_active",
        "disabled_reason",
        "created",
    )

    def has_add_permission(self, request):
        return False  # partners register endpoints through the API, with their key


class _ShownOnlyFormSet(BaseGenericInlineFormSet):
    """Nothing is ever submitted through the panel, so a form posted without it is valid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin's change message reads these, also when save() is skipped (a new
        # registration's related rows are written by its service, not by the admin).
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True

    def save(self, commit=True):
        return []


class NotificationInline(GenericTabularInline):
    """The emails sent about a record, on its change page."""

    model = Notification
    formset = _ShownOnlyFormSet
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "notifications sent about this record"
    fields = ("created", "event", "recipient", "status", "attempts", "sent_at", "last_error")
    readonly_fields = fields
    ordering = ("-created",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
