"""Kinds and states of the admin's background imports and exports (core.bulk)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class BulkJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    CHECKING = "checking", _("Checking the file")
    READY = "ready", _("Checked: waiting for your confirmation")
    APPLYING = "applying", _("Importing")
    EXPORTING = "exporting", _("Exporting")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused: nothing was imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# A worker is on the job, or one will be: the page keeps refreshing.
ACTIVE_STATUSES = (
    BulkJobStatus.QUEUED,
    BulkJobStatus.CHECKING,
    BulkJobStatus.APPLYING,
    BulkJobStatus.EXPORTING,
)
# A worker has claimed the job and is running it.
WORKING_STATUSES = (BulkJobStatus.CHECKING, BulkJobStatus.APPLYING, BulkJobStatus.EXPORTING)
FINISHED_STATUSES = (
    BulkJobStatus.DONE,
    BulkJobStatus.REFUSED,
    BulkJobStatus.FAILED,
    BulkJobStatus.CANCELLED,
)
