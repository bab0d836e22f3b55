"""Admin imports and exports too large for a request, run by a background worker.

Above `BULK_IMPORT_ROWS` rows an upload becomes a BulkJob: a worker checks the file (the dry
run the admin shows as its preview), the person who uploaded it confirms, and a worker applies
it, all or nothing. Above `BULK_EXPORT_ROWS` rows an export becomes one too, and the file waits
on the job's page. The job's page shows how far the worker has got.

Every state change is a conditional UPDATE, so a second click, a second worker or a duplicated
task finds the job already moved on and does nothing.
"""

from __future__ import annotations

import datetime
import logging
import pickle
from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from import_export.signals import post_export, post_import
from simple_history.models import HistoricalRecords

from .choices import FINISHED_STATUSES, WORKING_STATUSES, BulkJobKind, BulkJobStatus
from .models import BulkJob

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

# The job's page lists this many bad rows; the count says how many there were in all.
MAX_LISTED_ERRORS = 500

ABANDONED_MESSAGE = (
    "The worker stopped without finishing this job (it was restarted or killed), so nothing "
    "was kept. Start it again from the list."
)


class JobAbandoned(Exception):
    """The job was given up as abandoned while this worker was still on it."""


def dotted_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def queue_import(
    *,
    user: User,
    model: type[Model],
    resource_class: type,
    format_class: type,
    encoding: str,
    file_name: str,
    data: bytes,
    rows: int,
) -> BulkJob:
    """Keep an uploaded file and queue its check, in the caller's transaction."""
    with transaction.atomic():
        job = BulkJob.objects.create(
            kind=BulkJobKind.IMPORT,
            user=user,
            content_type=ContentType.objects.get_for_model(model),
            resource_path=dotted_path(resource_class),
            format_path=dotted_path(format_class),
            encoding=encoding,
            file_name=file_name[:255],
            source=data,
            rows_total=rows,
        )
        run_bulk_job.enqueue(job.pk)
    return job


def queue_export(
    *,
    user: User,
    queryset: QuerySet,
    resource_class: type,
    format_class: type,
    export_fields: list[str] | None,
    file_name: str,
) -> BulkJob:
    """Queue an export of `queryset` (its filters, annotations and order) as it is when run."""
    with transaction.atomic():
        job = BulkJob.objects.create(
            kind=BulkJobKind.EXPORT,
            user=user,
            content_type=ContentType.objects.get_for_model(queryset.model),
            resource_path=dotted_path(resource_class),
            format_path=dotted_path(format_class),
            file_name=file_name[:255],
            # Django documents pickling a query to run it later; the row never leaves our
            # own database, and a job outlives no deployment by much (BULK_JOB_KEEP_DAYS).
            source=pickle.dumps(queryset.query),
            export_fields=export_fields,
            rows_total=queryset.count(),
        )
        run_bulk_job.enqueue(job.pk)
    return job


def confirm_import(job: BulkJob) -> bool:
    """Queue a checked import to be applied; False when it was not waiting for that."""
    with transaction.atomic():
        moved = BulkJob.objects.filter(pk=job.pk, status=BulkJobStatus.READY).update(
            status=BulkJobStatus.QUEUED, confirmed=timezone.now(), rows_done=0
        )
        if moved:
            run_bulk_job.enqueue(job.pk)
    return bool(moved)


def cancel(job: BulkJob) -> bool:
    """Drop a job a worker has not started on; False when it is running or finished."""
    return bool(
        BulkJob.objects.filter(
            pk=job.pk, status__in=[BulkJobStatus.QUEUED, BulkJobStatus.READY]
        ).update(status=BulkJobStatus.CANCELLED, source=b"", finished=timezone.now())
    )


@task()
def run_bulk_job(job_id: int) -> str:
    """Check, apply or export one job; what became of it."""
    return run(job_id)


def run(job_id: int) -> str:
    job = _claim(job_id)
    if job is None:
        return "not waiting"
    try:
        if job.kind == BulkJobKind.EXPORT:
            _export(job)
        else:
            _import(job, dry_run=job.confirmed is None)
    except JobAbandoned:
        logger.warning("Background %s %s was given up before it finished", job.kind, job.pk)
    except Exception as exc:
        # The job's page is where its owner looks; the log has the traceback for us.
        logger.exception("Background %s %s failed", job.kind, job.pk)
        _finish(job, BulkJobStatus.FAILED, source=b"", message=f"The worker stopped: {exc}")
    fail_abandoned()
    _forget_old_jobs()
    return BulkJob.objects.values_list("status", flat=True).get(pk=job.pk)


def _claim(job_id: int) -> BulkJob | None:
    job = BulkJob.objects.filter(pk=job_id, status=BulkJobStatus.QUEUED).first()
    if job is None:
        return None
    if job.kind == BulkJobKind.EXPORT:
        working = BulkJobStatus.EXPORTING
    elif job.confirmed is None:
        working = BulkJobStatus.CHECKING
    else:
        working = BulkJobStatus.APPLYING
    started = timezone.now()
    if not BulkJob.objects.filter(pk=job_id, status=BulkJobStatus.QUEUED).update(
        status=working, started=started, heartbeat=started
    ):
        return None  # another worker took it between the read and the update
    job.status, job.started = working, started
    return job


def _finish(job: BulkJob, status: str, **fields: Any) -> bool:
    """Move the job on from the stage this worker claimed; False when it was given up meanwhile."""
    if status in FINISHED_STATUSES:
        fields["finished"] = timezone.now()
    return bool(
        BulkJob.objects.filter(pk=job.pk, status=job.status).update(status=status, **fields)
    )


def fail_abandoned() -> int:
    """Fail the jobs whose worker died mid-way; how many there were.

    A worker killed during a check or an import takes its transaction with it, so nothing of
    the file was kept and the job can say so. Run by every worker and by `send_reminders`.
    """
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.BULK_JOB_STALE_MINUTES)
    return BulkJob.objects.filter(status__in=WORKING_STATUSES, heartbeat__lt=cutoff).update(
        status=BulkJobStatus.FAILED, finished=timezone.now(), source=b"", message=ABANDONED_MESSAGE
    )


def _forget_old_jobs() -> None:
    cutoff = timezone.now() - datetime.timedelta(days=settings.BULK_JOB_KEEP_DAYS)
    BulkJob.objects.filter(status__in=FINISHED_STATUSES, finished__lt=cutoff).delete()


class ProgressReporter:
    """Writes rows done to the job while the work's own transaction is still open.

    On PostgreSQL through a second connection, so the page sees progress before the import
    commits (or, in a check, rolls back). SQLite has one writer at a time, so there the page
    shows the job's stage until the end.
    """

    def __init__(self, job: BulkJob) -> None:
        self.job_id = job.pk
        self.done = 0
        self.every = max(1, job.rows_total // 100)
        self.limit = job.rows_total
        self.side_connection = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def tick(self) -> None:
        self.done += 1
        if self.side_connection is not None and self.done % self.every == 0:
            with self.side_connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE core_bulkjob SET rows_done = %s, heartbeat = %s WHERE id = %s",
                    [min(self.done, self.limit), timezone.now(), self.job_id],
                )

    def close(self) -> None:
        if self.side_connection is not None:
            self.side_connection.close()


def reporting(resource_class: type, tick: Callable[[], None]) -> type:
    """`resource_class` with a tick per imported or exported row."""

    class Reporting(resource_class):
        def import_row(self, *args: Any, **kwargs: Any) -> Any:
            row_result = super().import_row(*args, **kwargs)
            tick()
            return row_result

        def export_resource(self, *args: Any, **kwargs: Any) -> Any:
            exported = super().export_resource(*args, **kwargs)
            tick()
            return exported

    Reporting.__name__ = resource_class.__name__
    return Reporting


def _as_user(user: User) -> SimpleNamespace:
    # What django-import-export's log entries and django-simple-history's history_user read
    # from a request: the person who uploaded the file, not the worker.
    return SimpleNamespace(user=user)


def _import(job: BulkJob, *, dry_run: bool) -> None:
    input_format = import_string(job.format_path)(encoding=job.encoding or None)
    source = bytes(job.source)
    data: bytes | str = source if input_format.is_binary() else source.decode(job.encoding)
    dataset = input_format.create_dataset(data)
    progress = ProgressReporter(job)
    resource = reporting(import_string(job.resource_path), progress.tick)()
    previous_request = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = _as_user(job.user)
    # The job's outcome is written in the import's own transaction: a job given up as abandoned
    # meanwhile (its owner told that nothing was kept) rolls the import back.
    with transaction.atomic():
        try:
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                retain_instance_in_row_result=not dry_run,
                file_name=job.file_name,
                user=job.user,
            )
        finally:
            HistoricalRecords.context.request = previous_request
            progress.close()
        errors = _row_errors(result)
        totals = {kind: count for kind, count in result.totals.items() if count}
        model = job.content_type.model_class()
        if errors:
            moved = _finish(
                job,
                BulkJobStatus.REFUSED,
                errors=errors[:MAX_LISTED_ERRORS],
                error_count=len(errors),
                totals=totals,
                source=b"",
                rows_done=job.rows_total,
            )
        elif dry_run:
            moved = _finish(job, BulkJobStatus.READY, totals=totals, rows_done=job.rows_total)
        else:
            model_admin = _admin_for(model)
            if model_admin is not None:
                model_admin.generate_log_entries(result, _as_user(job.user))
            moved = _finish(
                job, BulkJobStatus.DONE, totals=totals, source=b"", rows_done=job.rows_total
            )
        if not moved:
            raise JobAbandoned
    if not dry_run and not errors:
        post_import.send(sender=None, model=model)


def _row_errors(result: Any) -> list[dict[str, Any]]:
    errors = [{"row": None, "messages": [str(error.error)]} for error in result.base_errors]
    for number, row_errors in result.row_errors():
        errors.append({"row": number, "messages": [str(error.error) for error in row_errors]})
    for invalid in result.invalid_rows:
        messages = [
            f"{field}: {message}" if field != "__all__" else message
            for field, field_messages in invalid.error_dict.items()
            for message in field_messages
        ]
        errors.append({"row": invalid.number, "messages": messages})
    return sorted(errors, key=lambda error: error["row"] or 0)


def _export(job: BulkJob) -> None:
    model = job.content_type.model_class()
    if model is None:
        raise LookupError(f"the records ({job.content_type}) are no longer in the registry")
    queryset = model._default_manager.all()
    queryset.query = pickle.loads(bytes(job.source))  # noqa: S301  # written by queue_export
    file_format = import_string(job.format_path)()
    progress = ProgressReporter(job)
    resource = reporting(import_string(job.resource_path), progress.tick)()
    try:
        dataset = resource.export(
            queryset=queryset,
            export_fields=job.export_fields or None,
            force_native_type=file_format.is_binary(),
        )
    finally:
        progress.close()
    content = file_format.export_data(dataset)
    if isinstance(content, str):
        content = content.encode("utf-8")
    if not _finish(
        job,
        BulkJobStatus.DONE,
        result_file=content,
        source=b"",
        rows_total=len(dataset),
        rows_done=len(dataset),
    ):
        raise JobAbandoned
    post_export.send(sender=None, model=model)


def _admin_for(model: type[Model] | None) -> Any:
    from django.contrib import admin

    return admin.site._registry.get(model) if model is not None else None
