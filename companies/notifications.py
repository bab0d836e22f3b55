"""Emails about registrations, sent after the registration's transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

logger = logging.getLogger(__name__)


def registration_received(registration):
    """Acknowledge a registration to its contact and tell staff it has arrived.

    This runs after the registration has been committed, so a mail server that is down
    must not turn a saved registration into an error page (the applicant would send it
    again): failures are logged for staff and the request carries on.
    """
    site = settings.SITE_URL.rstrip("/")
    context = {
        "registration": registration,
        "company": registration.company,
        "zones": list(registration.zones.order_by("name")),
        "status_url": site + registration.get_absolute_url(),
        "admin_url": _admin_url(site, registration),
    }
    if registration.contact and registration.contact.email:
        context["contact_name"] = registration.contact.name
        _send(
            subject=f"Your interest registration {registration.reference}",
            template="emails/registration_acknowledgement.txt",
            context=context,
            recipients=[registration.contact.email],
            registration=registration,
        )
    if settings.REGISTRY_STAFF_EMAILS:
        _send(
            subject=f"New interest registration {registration.reference}",
            template="emails/registration_staff_notice.txt",
            context=context,
            recipients=settings.REGISTRY_STAFF_EMAILS,
            registration=registration,
        )


def _send(*, subject, template, context, recipients, registration):
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except Exception:  # any transport failure; the registration itself is safe
        logger.exception("Could not send %s for registration %s", template, registration.reference)


def _admin_url(site, registration):
    try:
        path = reverse("admin:companies_interestregistration_change", args=[registration.pk])
    except NoReverseMatch:  # the admin for registrations is not installed
        return ""
    return site + path
