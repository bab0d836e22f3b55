"""Admin building blocks shared by the apps' admin modules.

Core has no models of its own; the admin site itself (with the dashboard) is in programme.dashboard.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .export_formats import EXPORT_FORMATS


class ServiceErrorsAsMessagesMixin:
    """Turn a service's ValidationError raised while saving into an error message.

    Forms check what they can before saving, but the services decide under a row lock (a zone's
    status moved on, a pledge realised meanwhile). The change form runs in one transaction, so
    when a service refuses, nothing of the submission is kept and the user sees why.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]  # mixin over ModelAdmin
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"Nothing was saved: {message}")
            return HttpResponseRedirect(request.get_full_path())


class PledgeTotalsColumnsMixin:
    """Columns for the totals that `with_pledge_totals()` annotates onto a changelist's rows.

    The admin's get_queryset() must annotate them; these methods only format.
    """

    @admin.display(description="pledged (USD)", ordering="pledged_usd")
    def pledged_usd(self, obj):
        return f"{obj.pledged_usd:,.0f}"

    @admin.display(description="realised (USD)", ordering="realized_usd")
    def realized_usd(self, obj):
        return f"{obj.realized_usd:,.0f}"

    @admin.display(description="active pledges", ordering="pledge_count")
    def pledge_count(self, obj):
        return obj.pledge_count


class RegistryImportExportAdmin(ImportExportModelAdmin):
    """Import that is all or nothing, also when the confirmed file differs from the preview.

    Exports never carry a live spreadsheet formula (core.export_formats): names arrive from the
    public form and the API.
    """

    export_formats = EXPORT_FORMATS

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The confirm step imports again for real; without this, rows that fail validation
        # only then would be skipped while the rest were kept.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            invalid = len(result.invalid_rows) + len(result.row_errors())
            messages.error(
                request,
                f"Nothing was imported: {invalid} row(s) failed when the file was applied. "
                f"Upload it again to see each bad row.",
            )
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        return super().process_result(result, request)


class HistoryImportExportAdmin(RegistryImportExportAdmin, SimpleHistoryAdmin):
    """Import/export buttons on the changelist and the audit history on each record."""


class ReadOnlyTabularInline(admin.TabularInline):
    """Related rows shown for reference; they are changed on their own page or by a service."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the system alone (the API, signals); staff look, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
