"""Hooks from the domain apps' events into notifications and webhooks.

They run inside the transaction of the change (Django sends these signals there), so the
outbox rows commit or roll back with it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from companies.notifications import (
    registration_answered_signal,
    registration_received_signal,
    registration_status_changed_signal,
)
from enterprises.events import licence_changed_signal, return_status_changed_signal
from enterprises.models import Plot
from investments.models import Pledge
from zones.models import ZoneStatusChange

from . import services


@receiver(registration_received_signal, dispatch_uid="notifications.registration_received")
def on_registration_received(sender, registration, **kwargs):
    services.registration_received_notify(registration=registration)


@receiver(
    registration_status_changed_signal, dispatch_uid="notifications.registration_status_changed"
)
def on_registration_status_changed(sender, registration, previous_status, note="", **kwargs):
    services.registration_status_changed_notify(
        registration=registration, previous_status=previous_status, note=note
    )


@receiver(registration_answered_signal, dispatch_uid="notifications.registration_answered")
def on_registration_answered(sender, registration, message, **kwargs):
    services.registration_answered_notify(registration=registration, message=message)


@receiver(post_save, sender=ZoneStatusChange, dispatch_uid="notifications.zone_status_changed")
def on_zone_status_changed(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.zone_status_changed_publish(change=instance)


@receiver(post_save, sender=Pledge, dispatch_uid="notifications.pledge_saved")
def on_pledge_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.pledge_changed_publish(pledge=instance)


@receiver(post_delete, sender=Pledge, dispatch_uid="notifications.pledge_deleted")
def on_pledge_deleted(sender, instance, **kwargs):
    services.pledge_changed_publish(pledge=instance, deleted=True)


@receiver(licence_changed_signal, dispatch_uid="notifications.licence_changed")
def on_licence_changed(sender, enterprise, event, **kwargs):
    services.licence_changed_notify(enterprise=enterprise, event=event)


@receiver(return_status_changed_signal, dispatch_uid="notifications.return_status_changed")
def on_return_status_changed(sender, annual_return, previous_status, **kwargs):
    services.return_status_changed_notify(
        annual_return=annual_return, previous_status=previous_status
    )


# Plots change through the services, the admin and the importer alike: the save is the event.
@receiver(post_save, sender=Plot, dispatch_uid="notifications.plot_saved")
def on_plot_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.plot_changed_publish(plot=instance)


@receiver(post_delete, sender=Plot, dispatch_uid="notifications.plot_deleted")
def on_plot_deleted(sender, instance, **kwargs):
    services.plot_changed_publish(plot=instance, deleted=True)
