from django.db import models


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
