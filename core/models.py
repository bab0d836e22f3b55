from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from .choices import ACTIVE_STATUSES, BulkJobKind, BulkJobStatus


class TimeStampedModel(models.Model):
    """Adds the created/updated stamps that partners sync on (`updated_since`)."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class BulkJob(models.Model):
    """An admin import or export too large to run inside the request, done by a worker.

    The uploaded file (or the export's query) and the finished export are kept in the row, so a
    worker on another machine needs no shared disk. An import is checked first and applied only
    when the person who uploaded it confirms, as the admin's own two-step import does.
    """

    kind = models.CharField(max_length=10, choices=BulkJobKind.choices)
    status = models.CharField(
        max_length=10, choices=BulkJobStatus.choices, default=BulkJobStatus.QUEUED
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bulk_jobs"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="records")
    # Dotted paths of the django-import-export resource and format the admin chose.
    resource_path = models.CharField(max_length=200)
    format_path = models.CharField(max_length=200)
    encoding = models.CharField(max_length=40, blank=True)
    file_name = models.CharField(max_length=255)
    # The uploaded file, or the pickled query of an export (the changelist's filters).
    source = models.BinaryField()
    export_fields = models.JSONField(null=True, blank=True)
    result_file = models.BinaryField(null=True, blank=True, editable=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Rows new / updated / deleted / skipped, as django-import-export counts them.
    totals = models.JSONField(default=dict, blank=True)
    # Row errors as [{"row": n, "messages": [...]}], the first MAX_LISTED_ERRORS of them.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    # When the worker last showed it was alive: its claim, then each progress write. A job whose
    # heartbeat is older than BULK_JOB_STALE_MINUTES lost its worker (fail_abandoned).
    heartbeat = models.DateTimeField(null=True, blank=True)
    confirmed = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "background import or export"
        verbose_name_plural = "background imports and exports"
        indexes = [models.Index(fields=["user", "-created"], name="bulkjob_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BulkJobKind.values),
                name="bulkjob_kind_valid",
                violation_error_message="Unknown kind of job.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BulkJobStatus.values),
                name="bulkjob_status_valid",
                violation_error_message="Unknown job status.",
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")),
                name="bulkjob_done_within_total",
                violation_error_message="More rows done than the job has.",
            ),
            models.CheckConstraint(
                condition=Q(kind=BulkJobKind.IMPORT) | Q(confirmed__isnull=True),
                name="bulkjob_only_imports_confirmed",
                violation_error_message="Only an import waits for confirmation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def percent_done(self) -> int:
        if self.status == BulkJobStatus.DONE:
            return 100
        return (100 * self.rows_done // self.rows_total) if self.rows_total else 0


# ---------------------------------------------------------------------------
# Tallies: distinct members (companies) per scope, kept current on write (core/tallies.py).


class TallyFigures(models.Model):
    """What a tally adds up: how many rows, and their amount in USD."""

    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, default=0)

    class Meta:
        abstract = True


class TallyMember(TallyFigures):
    """One member's rows in a scope: a company's pledges in a funnel stage, say."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=40, blank=True, default="")
    member = models.BigIntegerField()

    class Meta:
        ordering = ("scope", "key", "member")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "member"], name="tally_member_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.key}/{self.member}: {self.count}"


class Tally(TallyFigures):
    """A scope's totals: members with at least one row, and the rows' count and amount."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=40, blank=True, default="")
    members = models.BigIntegerField(default=0)

    class Meta:
        ordering = ("scope", "key")
        verbose_name_plural = "tallies"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="tally_key")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.key}: {self.members} members, {self.count}"
