from django.contrib import admin, messages
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from core.admin import ReadOnlyAdmin

from .models import IdempotencyRecord, PartnerKey

# Partners use PartnerKey (with last use recorded); the library's stock model stays unused.
admin.site.unregister(APIKey)


@admin.register(PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    """Creating a key shows it once (the library's message); only its hash is kept."""

    list_display = (
        "prefix",
        "name",
        "organisation",
        "created",
        "last_used_at",
        "expiry_date",
        "_has_expired",
        "revoked",
    )
    list_filter = ("revoked", "created", "last_used_at")
    search_fields = ("name", "organisation", "prefix")
    actions = ("revoke_keys",)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "last_used_at")

    @admin.action(description="Revoke the selected keys (cannot be undone)")
    def revoke_keys(self, request, queryset):
        revoked = queryset.filter(revoked=False).update(revoked=True)
        self.message_user(
            request, f"Revoked {revoked} key(s); they stop working at once.", messages.SUCCESS
        )


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyAdmin):
    list_display = ("key", "partner_key", "user", "registration", "response_status", "created")
    list_select_related = ("partner_key", "user", "registration")
    list_filter = ("response_status", "created")
    search_fields = ("key", "registration__reference", "partner_key__name")
    readonly_fields = (
        "partner_key",
        "user",
        "key",
        "request_fingerprint",
        "response_status",
        "response_body",
        "registration",
        "created",
    )
