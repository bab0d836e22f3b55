from django.db import models


class SyncResource(models.TextChoices):
    """The API resources partners mirror, named as in the changes and deletions feeds."""

    ZONE = "zone", "Zone"
    DEVELOPER = "developer", "Zone developer"
    INCENTIVE = "incentive", "Incentive"
    COMPANY = "company", "Company"
    INTEREST = "interest", "Interest registration"
    PLEDGE = "pledge", "Pledge"


PUBLIC_RESOURCES = (SyncResource.ZONE, SyncResource.DEVELOPER, SyncResource.INCENTIVE)


class ChangeKind(models.TextChoices):
    UPSERT = "upsert", "Created or changed"
    DELETE = "delete", "Deleted"
