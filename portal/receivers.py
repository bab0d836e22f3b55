"""The portal's hooks into other apps' events, run inside the transaction of the change."""

from django.dispatch import receiver

from enterprises.choices import LicenceEventKind
from enterprises.events import licence_changed_signal

from . import services

# A licence that was renewed, or that ended, has no renewal left to ask for.
CLOSES_RENEWAL_REQUESTS = {
    LicenceEventKind.RENEWED,
    LicenceEventKind.REVOKED,
    LicenceEventKind.SURRENDERED,
}


@receiver(licence_changed_signal, dispatch_uid="portal.close_renewal_requests")
def on_licence_changed(sender, enterprise, event, **kwargs):
    if event.kind in CLOSES_RENEWAL_REQUESTS:
        services.renewal_requests_close_for(enterprise=enterprise, user=event.recorded_by)
