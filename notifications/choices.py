"""Events, delivery states and the maps from domain states to events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationEvent(models.TextChoices):
    REGISTRATION_RECEIVED = "registration_received", _("Registration received")
    REGISTRATION_RECEIVED_STAFF = "registration_received_staff", _("Registration received (staff)")
    REGISTRATION_INFORMATION_REQUESTED = (
        "registration_information_requested",
        _("Information requested"),
    )
    REGISTRATION_ACCEPTED = "registration_accepted", _("Registration accepted")
    REGISTRATION_DECLINED = "registration_declined", _("Registration declined")
    LICENCE_ISSUED = "licence_issued", _("Licence issued")
    LICENCE_EXPIRING_60 = "licence_expiring_60", _("Licence expires in 60 days")
    LICENCE_EXPIRING_30 = "licence_expiring_30", _("Licence expires in 30 days")
    LICENCE_EXPIRED = "licence_expired", _("Licence expired")
    LICENCE_SUSPENDED = "licence_suspended", _("Licence suspended")
    RETURN_DUE_30 = "return_due_30", _("Annual return due in 30 days")
    RETURN_OVERDUE = "return_overdue", _("Annual return overdue")
    RETURN_RETURNED = "return_returned", _("Annual return returned for correction")
    RETURN_ACCEPTED = "return_accepted", _("Annual return accepted")
    WEBHOOK_ENDPOINT_DISABLED = "webhook_endpoint_disabled", _("Webhook endpoint disabled")
    REGISTRATION_ANSWERED_STAFF = (
        "registration_answered_staff",
        _("Company answered an information request (staff)"),
    )
    PORTAL_INVITATION = "portal_invitation", _("Portal invitation")
    LICENCE_RENEWAL_REQUESTED_STAFF = (
        "licence_renewal_requested_staff",
        _("Licence renewal requested (staff)"),
    )


# A registration's new status → what its contact is told. Keyed by the status's value, so a
# status added to the review later needs only a line here and its templates.
REGISTRATION_STATUS_EVENTS: dict[str, NotificationEvent] = {
    "information_requested": NotificationEvent.REGISTRATION_INFORMATION_REQUESTED,
    "accepted": NotificationEvent.REGISTRATION_ACCEPTED,
    "declined": NotificationEvent.REGISTRATION_DECLINED,
}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookEventType(models.TextChoices):
    REGISTRATION_STATUS_CHANGED = "registration.status_changed", "registration.status_changed"
    ZONE_STATUS_CHANGED = "zone.status_changed", "zone.status_changed"
    PLEDGE_CHANGED = "pledge.changed", "pledge.changed"
    ENTERPRISE_LICENCE_CHANGED = "enterprise.licence_changed", "enterprise.licence_changed"
    PLOT_CHANGED = "plot.changed", "plot.changed"
