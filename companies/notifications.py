"""Emails about registrations, sent after the registration's transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def registration_received(registration):
    """Acknowledge a registration to its contact and tell staff it has arrived."""
    status_url = settings.SITE_URL.rstrip("/") + registration.get_absolute_url()
    context = {
        "registration": registration,
        "zones": list(registration.zones.all()),
        "status_url": status_url,
    }
    if registration.contact and registration.contact.email:
        send_mail(
            subject=f"Your interest registration {registration.reference}",
            message=render_to_string("emails/registration_acknowledgement.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[registration.contact.email],
        )
    if settings.REGISTRY_STAFF_EMAILS:
        send_mail(
            subject=f"New interest registration {registration.reference}",
            message=render_to_string("emails/registration_staff_notice.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=settings.REGISTRY_STAFF_EMAILS,
        )
