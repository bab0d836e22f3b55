from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(ReadOnlyAdmin):
    list_display = ("resource", "object_id", "lookup", "deleted_at")
    list_filter = ("resource", "deleted_at")
    search_fields = ("object_id", "lookup")
    readonly_fields = ("resource", "object_id", "lookup", "deleted_at")
