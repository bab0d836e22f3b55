"""Admin building blocks shared by the apps' admin modules.

Core has no models of its own; the admin site itself (with the dashboard) is in programme.dashboard.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.formats import money, usd
from core.history import ReadableHistoryMixin

from .export_formats import EXPORT_FORMATS


class ServiceErrorsAsMessagesMixin:
    """Turn a service's ValidationError raised while saving into an error message.

    Forms check what they can before saving, but the services decide under a row lock (a zone's
    status moved on, a pledge realised meanwhile). The change form runs in one transaction, so
    when a service refuses, nothing of the submission is kept and the user sees why.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
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

    @admin.display(description="pledged", ordering="pledged_usd")
    def pledged_usd(self, obj: Any) -> str:
        return usd(obj.pledged_usd)

    @admin.display(description="realised", ordering="realized_usd")
    def realized_usd(self, obj: Any) -> str:
        return usd(obj.realized_usd)

    @admin.display(description="active pledges", ordering="pledge_count")
    def pledge_count(self, obj: Any) -> int:
        return obj.pledge_count


class PledgeAmountColumnsMixin:
    """A pledge's amounts as money in read-only rows ("PKR 1,821,950,000", "US$6,500,000")."""

    @admin.display(description="amount")
    def amount_display(self, pledge: Any) -> str:
        return money(pledge.amount, pledge.currency)

    @admin.display(description="in US$")
    def amount_usd_display(self, pledge: Any) -> str:
        return usd(pledge.amount_usd)

    @admin.display(description="realised")
    def realized_usd_display(self, pledge: Any) -> str:
        return usd(pledge.realized_usd)


class RegistryImportExportAdmin(ImportExportModelAdmin):
    """Import that is all or nothing, also when the confirmed file differs from the preview.

    Exports never carry a live spreadsheet formula (core.export_formats): names arrive from the
    public form and the API.
    """

    export_formats = EXPORT_FORMATS

    # Reasons a person can act on; a traceback with site-packages paths helps nobody at a desk.
    import_error_display = ("message",)
    import_template_name = "admin/registry/import.html"

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        kwargs = super().get_import_data_kwargs(**kwargs)
        # The confirm step imports again for real; without this, rows that fail validation
        # only then would be skipped while the rest were kept.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result: Any, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            invalid = len(result.invalid_rows) + len(result.row_errors())
            messages.error(
                request,
                f"Nothing was imported: {invalid} row(s) failed when the file was applied. "
                f"Upload it again to see each bad row.",
            )
            return HttpResponseRedirect(request.path.replace("process_import/", "import/"))
        return super().process_result(result, request)


class HistoryImportExportAdmin(ReadableHistoryMixin, RegistryImportExportAdmin, SimpleHistoryAdmin):
    """Import/export buttons on the changelist and the audit history on each record."""


class ReadOnlyTabularInline(admin.TabularInline):
    """Related rows shown for reference; they are changed on their own page or by a service."""

    extra = 0
    can_delete = False
    show_change_link = True
    template = "admin/edit_inline/tabular_rows.html"

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the system alone (the API, signals); staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
