"""Admin building blocks shared by the apps' admin modules.

Core's one model is the background import or export (core.bulk), whose pages are here; the admin
site itself (with the dashboard) is in programme.dashboard.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core import bulk
from core.formats import money, usd
from core.history import ReadableHistoryMixin

from .choices import BulkJobKind, BulkJobStatus
from .export_formats import EXPORT_FORMATS
from .models import BulkJob


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

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        job = self._queue_large_import(request) if request.method == "POST" else None
        if job is not None:
            return redirect(job_url(job))
        return super().import_action(request, **kwargs)

    def _queue_large_import(self, request: HttpRequest) -> BulkJob | None:
        """A job for a file of more than BULK_IMPORT_ROWS rows; None to import it here."""
        if not self.has_import_permission(request):
            return None  # the admin's own view refuses it
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        format_class = self.get_import_formats()[int(form.cleaned_data["format"])]
        input_format = format_class(encoding=self.from_encoding)
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        try:
            text = data if input_format.is_binary() else data.decode(self.from_encoding)
            rows = len(input_format.create_dataset(text))
        except Exception:
            return None  # the admin's own view says the file cannot be read
        if rows <= settings.BULK_IMPORT_ROWS:
            return None
        job = bulk.queue_import(
            user=request.user,  # type: ignore[arg-type]  # a signed-in staff user
            model=self.model,
            resource_class=self.choose_import_resource_class(form, request),
            format_class=format_class,
            encoding="" if input_format.is_binary() else self.from_encoding,
            file_name=upload.name,
            data=data,
            rows=rows,
        )
        messages.info(
            request,
            f"{upload.name} has {rows:,} rows, so a background worker checks it. "
            "This page shows how far it has got; nothing is imported until you confirm.",
        )
        return job

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: QuerySet, export_form: Any = None
    ) -> HttpResponse:
        if queryset.count() <= settings.BULK_EXPORT_ROWS:
            return super()._do_file_export(file_format, request, queryset, export_form)
        job = bulk.queue_export(
            user=request.user,  # type: ignore[arg-type]  # a signed-in staff user
            queryset=queryset,
            resource_class=self.choose_export_resource_class(export_form, request),
            format_class=type(file_format),
            export_fields=self.get_export_resource_fields_from_form(export_form),
            file_name=self.get_export_filename(request, queryset, file_format),
        )
        messages.info(
            request,
            f"{job.rows_total:,} rows are exported by a background worker; the file will be "
            "on this page.",
        )
        return redirect(job_url(job))

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


def job_url(job: BulkJob) -> str:
    return reverse("admin:core_bulkjob_change", args=[job.pk])


@admin.register(BulkJob)
class BulkJobAdmin(admin.ModelAdmin):
    """Each person's background imports and exports: progress, the check's result, the file.

    Jobs are made by the import and export pages, never here; a person sees their own (a
    superuser everybody's), and another's job is a 404.
    """

    list_display = ("created", "kind", "content_type", "file_name", "status", "progress", "user")
    list_filter = ("kind", "status", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("file_name",)
    list_select_related = ("user", "content_type")
    change_form_template = "admin/core/bulkjob/job.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        jobs = super().get_queryset(request).defer("source", "result_file")
        if request.user.is_superuser:
            return jobs
        return jobs.filter(user_id=request.user.pk)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="progress")
    def progress(self, job: BulkJob) -> str:
        if not job.rows_total:
            return "—"
        return f"{job.percent_done} % of {job.rows_total:,} rows"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:object_id>/confirm/",
                self.admin_site.admin_view(require_POST(self.confirm_view)),
                name="core_bulkjob_confirm",
            ),
            path(
                "<int:object_id>/cancel/",
                self.admin_site.admin_view(require_POST(self.cancel_view)),
                name="core_bulkjob_cancel",
            ),
            path(
                "<int:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="core_bulkjob_download",
            ),
        ]
        return own + super().get_urls()

    def _own_job(self, request: HttpRequest, object_id: Any) -> BulkJob:
        if not self.has_view_permission(request):
            raise Http404
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not str(object_id).isdigit():
            raise Http404
        job = self._own_job(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(job),
            "job": job,
            "records": job.content_type.model_class()._meta.verbose_name_plural,  # type: ignore[union-attr]
            "is_import": job.kind == BulkJobKind.IMPORT,
            "awaiting_confirmation": job.status == BulkJobStatus.READY,
            "can_cancel": job.status in (BulkJobStatus.QUEUED, BulkJobStatus.READY),
            "has_file": job.kind == BulkJobKind.EXPORT and job.status == BulkJobStatus.DONE,
            "changelist_url": _changelist_url(job),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def confirm_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        job = self._own_job(request, object_id)
        if bulk.confirm_import(job):
            messages.info(request, "Confirmed: a background worker imports the file now.")
        else:
            messages.warning(request, "This import was not waiting for confirmation.")
        return redirect(job_url(job))

    def cancel_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        job = self._own_job(request, object_id)
        if bulk.cancel(job):
            messages.info(request, "Cancelled: nothing was imported or exported.")
        else:
            messages.warning(request, "This job has started or finished; it cannot be cancelled.")
        return redirect(job_url(job))

    def download_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        job = self._own_job(request, object_id)
        if job.kind != BulkJobKind.EXPORT or job.status != BulkJobStatus.DONE:
            raise Http404
        content = BulkJob.objects.values_list("result_file", flat=True).get(pk=job.pk) or b""
        file_format = import_string(job.format_path)()
        response = HttpResponse(bytes(content), content_type=file_format.get_content_type())
        response["Content-Disposition"] = content_disposition_header(True, job.file_name)
        return response


def _changelist_url(job: BulkJob) -> str | None:
    model = job.content_type.model_class()
    if model is None or model not in admin.site._registry:
        return None
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
