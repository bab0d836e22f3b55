"""What the registry tells people and partners when registrations, zones, pledges, licences,
plots and annual returns change, and the partners' webhook endpoints."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from companies.models import InterestRegistration
from enterprises.choices import LicenceEventKind, ReturnStatus
from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot
from investments.models import Pledge
from partners.models import PartnerKey
from zones.models import ZoneStatusChange

from . import outbox, urlguard
from .choices import REGISTRATION_STATUS_EVENTS, NotificationEvent, WebhookEventType
from .models import Notification, WebhookDelivery, WebhookEndpoint

notify = outbox.notify


def _registration_context(registration: InterestRegistration) -> dict[str, Any]:
    site = settings.SITE_URL.rstrip("/")
    try:
        admin_path = reverse("admin:companies_interestregistration_change", args=[registration.pk])
    except NoReverseMatch:  # the admin is not installed
        admin_path = ""
    return {
        "registration": registration,
        "zones": list(registration.zones.order_by("name")),
        "status_url": site + registration.get_absolute_url(),
        "admin_url": site + admin_path if admin_path else "",
    }


@transaction.atomic
def registration_received_notify(*, registration: InterestRegistration) -> list[Notification]:
    """Acknowledge a new registration to its contact, and tell staff it has arrived.

    The contact's address is not verified, so the acknowledgement carries nothing the
    submitter typed (no names, no message): otherwise anyone could make the registry send
    their words to anybody.
    """
    context = _registration_context(registration)
    sent = []
    contact = registration.contact
    if contact is not None and contact.email:
        sent += notify(
            NotificationEvent.REGISTRATION_RECEIVED,
            registration,
            [contact.email],
            context=context,
            # The language the applicant used the form in; staff are told in English.
            language=applicant_language(registration),
        )
    sent += notify(
        NotificationEvent.REGISTRATION_RECEIVED_STAFF,
        registration,
        settings.REGISTRY_STAFF_EMAILS,
        context={**context, "company": registration.company},
    )
    return sent


@transaction.atomic
def registration_status_changed_notify(
    *, registration: InterestRegistration, previous_status: str, note: str = ""
) -> list[Notification]:
    """Tell the contact of a review step that concerns them, and partners of the new status."""
    outbox.publish(
        WebhookEventType.REGISTRATION_STATUS_CHANGED,
        {
            "id": registration.pk,
            "reference": registration.reference,
            "status": registration.status,
            "previous_status": previous_status,
            "company_id": registration.company_id,
            "zone_ids": sorted(registration.zones.values_list("pk", flat=True)),
        },
    )
    event = REGISTRATION_STATUS_EVENTS.get(str(registration.status))
    contact = registration.contact
    if event is None or contact is None or not contact.email:
        return []
    context = {**_registration_context(registration), "note": note}
    return notify(
        event,
        registration,
        [contact.email],
        context=context,
        language=applicant_language(registration),
    )


@transaction.atomic
def registration_answered_notify(
    *, registration: InterestRegistration, message: str
) -> list[Notification]:
    """Tell the registration's reviewer (its assigned officer, else the last reviewer, else the
    staff inbox) that the company has answered."""
    officer = registration.assigned_to or registration.reviewer
    recipients = [officer.email] if officer is not None and officer.email else []
    return notify(
        NotificationEvent.REGISTRATION_ANSWERED_STAFF,
        registration,
        recipients or settings.REGISTRY_STAFF_EMAILS,
        context={**_registration_context(registration), "message": message},
    )


def zone_status_changed_publish(*, change: ZoneStatusChange) -> list[WebhookDelivery]:
    """Tell partners that a zone moved to a new step of its rollout."""
    return outbox.publish(
        WebhookEventType.ZONE_STATUS_CHANGED,
        {
            "id": change.zone_id,
            "slug": change.zone.slug,
            "status": change.status,
            "changed_on": change.changed_on.isoformat(),
        },
    )


def pledge_changed_publish(*, pledge: Pledge, deleted: bool = False) -> list[WebhookDelivery]:
    """Tell partners a pledge's new state (or that it is gone)."""
    return outbox.publish(
        WebhookEventType.PLEDGE_CHANGED,
        {
            "id": pledge.pk,
            "deleted": deleted,
            "company_id": pledge.company_id,
            "zone_id": pledge.zone_id,
            "status": pledge.status,
            "amount": str(pledge.amount),
            "currency": pledge.currency,
            "amount_usd": str(pledge.amount_usd),
            "pledged_on": pledge.pledged_on.isoformat() if pledge.pledged_on else None,
        },
    )


# --- the operating zone ----------------------------------------------------------------------

# Licence events the enterprise's people are emailed about; the others go to partners only.
LICENCE_EVENT_EMAILS = {
    LicenceEventKind.ISSUED: NotificationEvent.LICENCE_ISSUED,
    LicenceEventKind.SUSPENDED: NotificationEvent.LICENCE_SUSPENDED,
}
RETURN_STATUS_EMAILS = {
    ReturnStatus.RETURNED: NotificationEvent.RETURN_RETURNED,
    ReturnStatus.ACCEPTED: NotificationEvent.RETURN_ACCEPTED,
}


def applicant_language(subject: InterestRegistration | Enterprise | AnnualReturn) -> str | None:
    """The language of the registration behind `subject`, for the emails the company gets."""
    if isinstance(subject, AnnualReturn):
        subject = subject.enterprise
    if isinstance(subject, Enterprise):
        if subject.registration is None:
            return None
        subject = subject.registration
    if not isinstance(subject, InterestRegistration):
        return None
    return subject.language or None


def enterprise_recipients(enterprise: Enterprise) -> list[str]:
    """Who hears about a licence: the contact of the registration it came from, else the
    company's contacts (staff entered them; the address is the company's own)."""
    registration = enterprise.registration
    contact = registration.contact if registration is not None else None
    if contact is not None and contact.email:
        return [contact.email]
    return sorted(
        {email for email in enterprise.company.contacts.values_list("email", flat=True) if email}
    )


@transaction.atomic
def licence_changed_notify(*, enterprise: Enterprise, event: LicenceEvent) -> list[Notification]:
    """Tell partners of every licence event, and the enterprise of its issue or suspension."""
    outbox.publish(
        WebhookEventType.ENTERPRISE_LICENCE_CHANGED,
        {
            "id": enterprise.pk,
            "licence_number": enterprise.licence_number,
            "event": event.kind,
            "occurred_on": event.occurred_on.isoformat(),
            "status": enterprise.status,
            "company_id": enterprise.company_id,
            "zone_id": enterprise.zone_id,
            "issued_on": enterprise.issued_on.isoformat() if enterprise.issued_on else None,
            "expires_on": enterprise.expires_on.isoformat() if enterprise.expires_on else None,
        },
    )
    email = LICENCE_EVENT_EMAILS.get(LicenceEventKind(event.kind))
    if email is None:
        return []
    return notify(
        email,
        enterprise,
        enterprise_recipients(enterprise),
        context={"note": event.reason},
        language=applicant_language(enterprise),
    )


@transaction.atomic
def return_status_changed_notify(
    *, annual_return: AnnualReturn, previous_status: str
) -> list[Notification]:
    """Tell the filer that a return was accepted or came back for correction."""
    email = RETURN_STATUS_EMAILS.get(ReturnStatus(annual_return.status))
    if email is None:
        return []
    return notify(
        email,
        annual_return,
        enterprise_recipients(annual_return.enterprise),
        context={"note": annual_return.review_note},
        language=applicant_language(annual_return),
    )


def plot_changed_publish(*, plot: Plot, deleted: bool = False) -> list[WebhookDelivery]:
    """Tell partners a plot's new state (or that it is gone); holders by licence number only."""
    return outbox.publish(
        WebhookEventType.PLOT_CHANGED,
        {
            "id": plot.pk,
            "deleted": deleted,
            "zone_id": plot.zone_id,
            "number": plot.number,
            "kind": plot.kind,
            "area_m2": str(plot.area_m2),
            "status": plot.status,
            "enterprise_id": plot.enterprise_id,
            "lease_starts_on": plot.lease_starts_on.isoformat() if plot.lease_starts_on else None,
            "lease_ends_on": plot.lease_ends_on.isoformat() if plot.lease_ends_on else None,
        },
    )


# --- partner webhook endpoints ---------------------------------------------------------------


def _clean_endpoint(endpoint: WebhookEndpoint) -> None:
    errors: dict[str, list[str]] = {}
    try:
        urlguard.check_url(endpoint.url)
    except urlguard.UnsafeURLError as exc:
        errors["url"] = [str(exc)]
    types = endpoint.event_types
    if not isinstance(types, list) or not types:
        errors["event_types"] = ["Choose at least one event type."]
    else:
        unknown = sorted({str(t) for t in types} - set(WebhookEventType.values))
        if unknown:
            errors["event_types"] = [
                f"Unknown event type(s): {', '.join(unknown)}. "
                f"Known: {', '.join(WebhookEventType.values)}."
            ]
        endpoint.event_types = sorted(set(types))
    if errors:
        raise ValidationError(errors)
    endpoint.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def webhook_endpoint_create(
    *,
    partner_key: PartnerKey,
    url: str,
    event_types: list[str],
    description: str = "",
    notify_email: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """Register a partner's endpoint; its URL must be a public https address."""
    endpoint = WebhookEndpoint(
        partner_key=partner_key,
        url=url,
        event_types=event_types,
        description=description,
        notify_email=notify_email,
        is_active=is_active,
    )
    _clean_endpoint(endpoint)
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError:
        raise ValidationError(
            {"url": ["You already have an endpoint at this URL."]}, code="unique"
        ) from None
    return endpoint


@transaction.atomic
def webhook_endpoint_update(*, endpoint: WebhookEndpoint, **changes: Any) -> WebhookEndpoint:
    """Change an endpoint; switching it back on clears why it was disabled."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if changes.get("is_active"):
        endpoint.disabled_reason = ""
    _clean_endpoint(endpoint)
    try:
        with transaction.atomic():
            endpoint.save()
    except IntegrityError:
        raise ValidationError(
            {"url": ["You already have an endpoint at this URL."]}, code="unique"
        ) from None
    return endpoint


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, whatever became of it, with the same `webhook-id`."""
    if not delivery.endpoint.is_active:
        raise ValidationError(
            "The endpoint is disabled; switch it back on (is_active true) before replaying.",
            code="endpoint_disabled",
        )
    if not outbox.retry(delivery):
        raise ValidationError(
            "This delivery is being sent right now; look again in a minute.", code="in_progress"
        )
    delivery.refresh_from_db()
    return delivery
