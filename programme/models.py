from django.db import models
from django.db.models import Q
from django.db.models.expressions import Func

from .choices import ChangeKind, SyncResource


class Tombstone(models.Model):
    """A record that an API resource was deleted, so that syncing partners can drop it."""

    resource = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64)
    # The identifier partners address the resource by where it is not the id
    # (zone, developer and incentive slugs; registration references).
    lookup = models.CharField(max_length=200, blank=True)
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("deleted_at", "id")
        indexes = [models.Index(fields=["resource", "deleted_at"], name="tombstone_resource_time")]

    def __str__(self):
        return f"{self.resource} {self.lookup or self.object_id} deleted {self.deleted_at}"


class CurrentTransactionId(Func):
    """The writing transaction's 64-bit id on PostgreSQL (xid8, no wraparound); 0 elsewhere.

    SQLite has one writer at a time, so there the sequence number alone is commit order.
    """

    output_field = models.BigIntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        return "0", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return "(pg_current_xact_id()::text::bigint)", []


class Change(models.Model):
    """One change to an API resource, written in the transaction that made the change.

    The changes feed serves these in (`xact_id`, `seq`) order, and only below a watermark
    that no transaction still in flight can fall under (see programme/changes.py).
    """

    seq = models.BigAutoField(primary_key=True)
    # A database default, so that every way of writing an entry (ORM, bulk, raw SQL)
    # records the transaction that wrote it.
    xact_id = models.BigIntegerField(db_default=CurrentTransactionId())
    resource = models.CharField(max_length=30, choices=SyncResource.choices)
    object_id = models.BigIntegerField()
    # The slug (zone, developer, incentive) or reference (interest) at the time.
    lookup = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=6, choices=ChangeKind.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("xact_id", "seq")
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__in=SyncResource.values),
                name="change_resource_valid",
                violation_error_message="Unknown resource.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values),
                name="change_kind_valid",
                violation_error_message="A change is an upsert or a delete.",
            ),
            models.CheckConstraint(
                condition=Q(object_id__gte=1),
                name="change_object_id_positive",
                violation_error_message="Object ids start at 1.",
            ),
        ]
        # The feed reads in this order from a cursor: one index range scan per page.
        indexes = [models.Index(fields=["xact_id", "seq"], name="change_feed_order")]

    def __str__(self):
        return f"#{self.seq} {self.kind} {self.resource} {self.object_id}"
