from django.db import models


class TimeStampedModel(models.Model):
    """Adds the created/updated stamps that partners sync on (`updated_since`)."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
