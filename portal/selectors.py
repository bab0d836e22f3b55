"""What a portal account may see: every query starts from its membership, never from an id.

A record outside these querysets does not exist for the account: the views look ids and
references up *in* them, so a guess answers 404, the same as a record that was never there.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from companies.choices import SHARED_WITH_APPLICANT
from companies.models import InterestRegistration, ReviewLogEntry
from enterprises.models import AnnualReturn, Enterprise, LicenceEvent, Plot
from enterprises.selectors import return_compliance
from zones.models import Zone

from .models import DescriptionProposal, Document, Invitation, PortalMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def membership_for(user: User | AnonymousUser) -> PortalMembership | None:
    """The signed-in account's active party, or None (staff and strangers have none)."""
    if not user.is_authenticated or user.is_staff:
        return None
    return (
        PortalMembership.objects.select_related("company", "developer", "user")
        .filter(user=user, is_active=True)
        .first()
    )


def zones_for(membership: PortalMembership) -> QuerySet[Zone]:
    """A developer's own zones; a company's: the zones it registered for or operates in."""
    if membership.developer_id:
        return Zone.objects.filter(developer_id=membership.developer_id).order_by("name")
    return (
        Zone.objects.filter(
            Q(registrations__company_id=membership.company_id)
            | Q(enterprises__company_id=membership.company_id)
        )
        .distinct()
        .order_by("name")
    )


def registrations_for(membership: PortalMembership) -> QuerySet[InterestRegistration]:
    if membership.company_id:
        registrations = InterestRegistration.objects.filter(company_id=membership.company_id)
    else:
        registrations = InterestRegistration.objects.filter(
            pk__in=InterestRegistration.objects.filter(
                zones__developer_id=membership.developer_id
            ).values("pk")
        )
    return (
        registrations.select_related("company", "company__sector")
        .prefetch_related(Prefetch("zones", queryset=Zone.objects.order_by("name")))
        .order_by("-created")
    )


def shared_review_log(registration: InterestRegistration) -> QuerySet[ReviewLogEntry]:
    """The review steps a company reads on its own registration: never the internal notes."""
    return registration.review_log.filter(action__in=SHARED_WITH_APPLICANT).order_by("created")


def enterprises_for(membership: PortalMembership) -> QuerySet[Enterprise]:
    if membership.company_id:
        enterprises = Enterprise.objects.filter(company_id=membership.company_id)
    else:
        enterprises = Enterprise.objects.filter(zone__developer_id=membership.developer_id)
    return enterprises.select_related("company", "zone").order_by("zone__name", "company__name")


def licence_events(enterprise: Enterprise) -> QuerySet[LicenceEvent]:
    return enterprise.events.order_by("-occurred_on", "-recorded_at")


def plots_for(membership: PortalMembership) -> QuerySet[Plot]:
    if membership.company_id:
        plots = Plot.objects.filter(enterprise__company_id=membership.company_id)
    else:
        plots = Plot.objects.filter(zone__developer_id=membership.developer_id)
    return plots.select_related("zone", "enterprise", "enterprise__company").order_by(
        "zone__name", "number"
    )


def returns_for(membership: PortalMembership) -> QuerySet[AnnualReturn]:
    if membership.company_id:
        returns = AnnualReturn.objects.filter(enterprise__company_id=membership.company_id)
    else:
        returns = AnnualReturn.objects.filter(
            enterprise__zone__developer_id=membership.developer_id
        )
    return returns.select_related("enterprise", "enterprise__zone", "enterprise__company").order_by(
        "-fiscal_year", "enterprise__zone__name"
    )


def documents_for(membership: PortalMembership) -> QuerySet[Document]:
    """A company's documents on its own records. Developers see none: companies send their
    documents to the authority, not to the zone's developer."""
    if not membership.company_id:
        return Document.objects.none()
    company = membership.company_id
    return Document.objects.filter(
        Q(registration__company_id=company)
        | Q(enterprise__company_id=company)
        | Q(annual_return__enterprise__company_id=company)
    )


def colleagues_for(membership: PortalMembership) -> QuerySet[PortalMembership]:
    if membership.company_id is not None:
        members = PortalMembership.objects.filter(company_id=membership.company_id)
    else:
        members = PortalMembership.objects.filter(developer_id=membership.developer_id)
    return members.select_related("user").order_by("created")


def pending_invitations_for(membership: PortalMembership) -> QuerySet[Invitation]:
    party = (
        Q(company_id=membership.company_id)
        if membership.company_id is not None
        else Q(developer_id=membership.developer_id)
    )
    return Invitation.objects.filter(
        party,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).order_by("-created")


def proposals_for(membership: PortalMembership) -> QuerySet[DescriptionProposal]:
    if not membership.developer_id:
        return DescriptionProposal.objects.none()
    return DescriptionProposal.objects.filter(
        zone__developer_id=membership.developer_id
    ).select_related("zone")


def return_compliance_for(
    membership: PortalMembership, as_of: datetime.date
) -> list[dict[str, Any]]:
    """A developer's zones' filing record by fiscal year (the staff dashboard's figures)."""
    if not membership.developer_id:
        return []
    return return_compliance(Q(enterprise__zone__developer_id=membership.developer_id), Q(), as_of)
