"""Tombstones for deleted API resources: the deletions feed partners sync from.

A signal is the right tool here: deletion happens in the admin, the shell, cascades
and imports alike, and every one of them must leave a trace for partners.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from companies.models import Company, InterestRegistration
from investments.models import Pledge
from zones.models import Incentive, Zone, ZoneDeveloper

from .models import Tombstone

# resource name (as in the API and the deletions feed) → (model, lookup attribute)
TRACKED_RESOURCES = {
    "zone": (Zone, "slug"),
    "developer": (ZoneDeveloper, "slug"),
    "incentive": (Incentive, "slug"),
    "company": (Company, None),
    "interest": (InterestRegistration, "reference"),
    "pledge": (Pledge, None),
}
PUBLIC_RESOURCES = ("zone", "developer", "incentive")
RESOURCE_BY_MODEL = {model: (name, lookup) for name, (model, lookup) in TRACKED_RESOURCES.items()}


@receiver(post_delete)
def record_tombstone(sender, instance, **kwargs):
    tracked = RESOURCE_BY_MODEL.get(sender)
    if tracked is None:
        return
    resource, lookup_attribute = tracked
    Tombstone.objects.create(
        resource=resource,
        object_id=str(instance.pk),
        lookup=getattr(instance, lookup_attribute) if lookup_attribute else "",
    )
