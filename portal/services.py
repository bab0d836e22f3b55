"""Writes for the portal: invitations and accounts, documents, and the steps portal users take.

Whoever calls these (the portal's views, the admin, tests) gets the same rules. The rules about
a registration, a licence, a plot or a return themselves stay in their own apps' services;
these add who may take the step and what comes with it (documents, emails), in one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from companies import services as company_services
from companies.models import Company, InterestRegistration
from enterprises import services as enterprise_services
from enterprises.choices import LicenceStatus
from enterprises.models import AnnualReturn, Enterprise, Plot
from notifications.choices import NotificationEvent
from notifications.outbox import notify
from notifications.services import applicant_language
from zones.models import Zone, ZoneDeveloper

from .choices import DOCUMENT_TYPES, InvitationVia, ProposalStatus, RenewalRequestStatus
from .models import (
    DescriptionProposal,
    Document,
    Invitation,
    PortalMembership,
    RenewalRequest,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A claim from the status link sends at most one email in this window (a reloaded page or a
# double click does not flood the contact's inbox).
CLAIM_RESEND_AFTER = datetime.timedelta(minutes=10)
MAX_DOCUMENTS_PER_UPLOAD = 10


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- invitations and accounts ----------------------------------------------------------------


def _accept_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("portal:accept", kwargs={"token": token})


def _existing_membership_error(
    email: str, company: Company | None, developer: ZoneDeveloper | None
) -> ValidationError | None:
    """The address already has an account for another party (accounts belong to one).

    The error is on `email`, with its code on the field's error: a ValidationError made from
    a dict keeps no code of its own.
    """
    membership = (
        PortalMembership.objects.filter(user__email__iexact=email).select_related("user").first()
    )
    if membership is None:
        return None
    if membership.company_id == getattr(company, "pk", None) and membership.developer_id == getattr(
        developer, "pk", None
    ):
        return ValidationError(
            {
                "email": ValidationError(
                    f"{email} already has a portal account for {membership.party}.",
                    code="already_member",
                )
            }
        )
    return ValidationError(
        {
            "email": ValidationError(
                f"{email} already has a portal account for another company or developer; "
                f"one account belongs to one party.",
                code="member_elsewhere",
            )
        }
    )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    via: str,
    company: Company | None = None,
    developer: ZoneDeveloper | None = None,
    invited_by: User | None = None,
    registration: InterestRegistration | None = None,
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Invite `email` to a portal account for a company or a developer, and queue the email.

    Returns the invitation and its token (only its hash is stored). An earlier invitation of the
    same address to the same party that was not used yet stops working.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Enter a valid email address."}, code="invalid") from exc
    if (company is None) == (developer is None):
        raise ValidationError("Invite to one company or one developer.", code="one_party")
    error = _existing_membership_error(email, company, developer)
    if error is not None:
        raise error
    get_user = get_user_model()
    if get_user.objects.filter(email__iexact=email, is_staff=True).exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    f"{email} belongs to a staff account; staff use the admin, not the portal.",
                    code="staff",
                )
            }
        )
    now = timezone.now()
    Invitation.objects.filter(
        email__iexact=email,
        company=company,
        developer=developer,
        accepted_at__isnull=True,
        expires_at__gt=now,
    ).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        company=company,
        developer=developer,
        via=via,
        registration=registration,
        invited_by=invited_by,
        token_hash=token_hash(token),
        expires_at=now + datetime.timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    notify(
        NotificationEvent.PORTAL_INVITATION,
        invitation,
        [email],
        context={
            "party_name": str(company or developer),
            "accept_url": _accept_url(token),
            "days": settings.PORTAL_INVITATION_DAYS,
        },
        language=language,
    )
    return invitation, token


def invitation_days() -> int:
    return settings.PORTAL_INVITATION_DAYS


def existing_account(email: str) -> bool:
    """Whether the address already signs in (then accepting asks for no new password)."""
    return get_user_model().objects.filter(email__iexact=email).exists()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, used or not (the view says which)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("company", "developer")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why a link cannot be used, in words for the person who opened it; None if it can."""
    if invitation is None:
        return "This invitation link is not valid. Check that you copied all of it."
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Sign in with your email address instead."
    if invitation.is_expired:
        return (
            "This invitation has expired. Ask whoever invited you for a new one, or claim your "
            "account again from your registration's status link."
        )
    return None


@transaction.atomic
def invitation_accept(*, token: str, password: str | None) -> User:
    """Open (or join) the invited account: the link proves the email, the password is theirs.

    A new account must choose a password; an existing account without a party keeps its own.
    """
    # Locked, so that a second click (or a second tab) waits and then finds it used.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("company", "developer")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    problem = invitation_problem(invitation)
    if problem or invitation is None:
        raise ValidationError(problem or "", code="invitation_unusable")
    error = _existing_membership_error(invitation.email, invitation.company, invitation.developer)
    if error is not None:
        # Not on a field: the accept page has no email field, the link names the address.
        raise ValidationError(error.error_dict["email"])
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=invitation.email).first()
    if user is not None and user.is_staff:
        raise ValidationError("Staff accounts cannot join the portal.", code="staff")
    if user is not None and not user.is_active:
        # A switched-off account would get a party but could not sign in to use it.
        raise ValidationError(
            "The account with this address is switched off. Write to the authority.",
            code="inactive",
        )
    if user is None:
        if not password:
            raise ValidationError({"password1": "Choose a password."}, code="required")
        candidate = user_model(username=invitation.email.lower()[:150], email=invitation.email)
        try:
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}, code="password") from exc
        candidate.set_password(password)
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError as exc:
            raise ValidationError(
                "An account with this address was opened meanwhile. Sign in instead.",
                code="duplicate",
            ) from exc
        user = candidate
    PortalMembership.objects.create(
        user=user,
        company=invitation.company,
        developer=invitation.developer,
        invited_by=invitation.invited_by,
    )
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email__iexact=invitation.email, defaults={"email": invitation.email}
    )
    # One primary address per account (allauth's unique constraint): the invited one, which
    # the link has just proved; another primary first steps down.
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.verified = True
    address.primary = True
    address.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated"])
    return user


def can_invite_colleagues(membership: PortalMembership) -> bool:
    """The company's first user manages who else from the company gets an account."""
    if membership.company_id is None or not membership.is_active:
        return False
    first = (
        PortalMembership.objects.filter(company_id=membership.company_id, is_active=True)
        .order_by("created", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return first == membership.pk


def colleague_invite(*, membership: PortalMembership, email: str) -> Invitation:
    """A company's first user invites a colleague to the company's account."""
    if not can_invite_colleagues(membership):
        raise ValidationError(
            "Only your company's first portal user can invite colleagues.", code="not_allowed"
        )
    invitation, _ = invitation_create(
        email=email,
        via=InvitationVia.COLLEAGUE,
        company=membership.company,
        invited_by=membership.user,
    )
    return invitation


@transaction.atomic
def claim_request(*, registration: InterestRegistration) -> Invitation:
    """From a registration's private status link: invite the address the registration gave.

    Opening the link proves nothing about the email (a link can be forwarded); the emailed
    invitation does. Asked again within CLAIM_RESEND_AFTER, the one already sent stands.
    """
    locked = (
        InterestRegistration.objects.select_for_update(of=("self",))
        .select_related("contact", "company")
        .get(pk=registration.pk)
    )
    contact = locked.contact
    if contact is None or not contact.email:
        raise ValidationError(
            "This registration no longer holds a contact address, so we cannot send an "
            "invitation. Write to the authority instead.",
            code="no_contact",
        )
    recent = Invitation.objects.filter(
        registration=locked,
        via=InvitationVia.CLAIM,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
        created__gt=timezone.now() - CLAIM_RESEND_AFTER,
    ).first()
    if recent is not None:
        return recent
    if PortalMembership.objects.filter(
        user__email__iexact=contact.email, company=locked.company
    ).exists():
        raise ValidationError(
            "Your company's portal account already exists for this address: sign in instead.",
            code="already_member",
        )
    invitation, _ = invitation_create(
        email=contact.email,
        via=InvitationVia.CLAIM,
        company=locked.company,
        registration=locked,
        language=applicant_language(locked),
    )
    return invitation


# --- documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    name: str
    content_type: str
    size: int
    sha256: str


def _filename_part(text: str) -> str:
    # get_valid_filename raises when nothing usable is left ("***", " ", ".."): that is a
    # name we replace, not a reason to refuse the file with an error about something else.
    try:
        return get_valid_filename(text)
    except SuspiciousFileOperation:
        return ""


def sanitise_filename(name: str) -> str:
    """A name safe to show and to offer on download: no path, no control characters, short."""
    name = unicodedata.normalize("NFKC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, extension = os.path.splitext(name)
    if not extension and stem.startswith("."):
        # ".pdf" is a PDF without a name, not a hidden file called "pdf".
        stem, extension = "", stem
    stem = _filename_part(stem.strip(" .")) if stem.strip(" .") else ""
    extension = _filename_part(extension.strip(" .")) if extension.strip(" .") else ""
    stem = (stem or "document")[: 140 - len(extension)]
    return f"{stem}.{extension.lower()}" if extension else stem


def _size_text(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} KB"


# Office Open XML files are zip packages; which one is told by the parts inside.
_ZIP_TYPES = {
    "application/zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_FOLDERS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _ooxml_type(upload: UploadedFile) -> str | None:
    """A Word or Excel file's type from its zip's list of parts, or None for any other zip.

    filetype looks only at the first few parts in the first 8 KB, so a genuine file whose
    [Content_Types].xml is large, or whose word/ or xl/ part comes fifth (LibreOffice, some
    generators), read as a plain zip and was refused. The zip's directory (its last bytes,
    nothing is decompressed) lists every part.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    found = {
        mime
        for folder, mime in _OOXML_FOLDERS.items()
        if any(name.startswith(folder) for name in names)
    }
    return found.pop() if len(found) == 1 else None


def document_check(upload: UploadedFile) -> CheckedUpload:
    """Check one upload: its size, and its type told from its content matching its name."""
    limit = settings.PORTAL_DOCUMENT_MAX_BYTES
    name = sanitise_filename(upload.name or "")
    if not upload.size:
        raise ValidationError(f"{name} is empty.", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"{name} is {_size_text(upload.size)}; a document may be at most {_size_text(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if mime in _ZIP_TYPES:
        mime = _ooxml_type(upload)
    allowed = ", ".join(
        sorted({ext.upper() for exts in DOCUMENT_TYPES.values() for ext in exts[:1]})
    )
    if mime is None or mime not in DOCUMENT_TYPES:
        raise ValidationError(
            f"{name} is not a document we accept. Send {allowed} files.", code="bad_type"
        )
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if extension not in DOCUMENT_TYPES[mime]:
        raise ValidationError(
            f"{name} is named as .{extension or '(none)'} but its content is "
            f"{DOCUMENT_TYPES[mime][0].upper()}. Rename it or send the right file.",
            code="mislabelled",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        upload=upload,
        name=name,
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def documents_check(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Check every upload before any is stored, so that one bad file saves none of them."""
    if len(uploads) > MAX_DOCUMENTS_PER_UPLOAD:
        raise ValidationError(
            {"documents": f"Send at most {MAX_DOCUMENTS_PER_UPLOAD} documents at a time."},
            code="too_many",
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(document_check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"documents": errors}, code="invalid_document")
    return checked


@transaction.atomic
def documents_attach(
    *,
    uploads: Sequence[UploadedFile],
    user: User,
    registration: InterestRegistration | None = None,
    enterprise: Enterprise | None = None,
    annual_return: AnnualReturn | None = None,
) -> list[Document]:
    """Store checked uploads on one record: every file, or (on any failure) none.

    Callers attach documents as the last write of their transaction, so that nothing after it
    can roll the rows back and leave files behind.
    """
    checked = documents_check(uploads)
    stored: list[Document] = []
    try:
        for item in checked:
            document = Document(
                original_name=item.name,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
                registration=registration,
                enterprise=enterprise,
                annual_return=annual_return,
                uploaded_by=user,
            )
            document.file.save(item.name, item.upload, save=False)
            stored.append(document)
            document.full_clean(exclude=["file"])
            document.save()
    except Exception:
        for document in stored:
            document.file.delete(save=False)
        raise
    return stored


# --- the company's steps ---------------------------------------------------------------------


@transaction.atomic
def registration_answer(
    *,
    registration: InterestRegistration,
    user: User,
    message: str,
    uploads: Sequence[UploadedFile] = (),
) -> InterestRegistration:
    """Answer an information request with a message and documents, all or nothing."""
    answered = company_services.registration_answer(
        registration=registration, user=user, message=message
    )
    documents_attach(uploads=uploads, user=user, registration=answered)
    return answered


@transaction.atomic
def renewal_request(*, enterprise: Enterprise, user: User, message: str = "") -> RenewalRequest:
    """A licence holder asks staff to renew: recorded once, and the staff inbox is told."""
    locked = (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("company")
        .get(pk=enterprise.pk)
    )
    if (
        locked.status not in (LicenceStatus.LICENSED, LicenceStatus.EXPIRED)
        or not locked.expires_on
    ):
        raise ValidationError(
            f"Only a current or expired licence can be renewed; this one is "
            f"{locked.get_status_display().lower()}.",
            code="not_renewable",
        )
    message = (message or "").strip()
    if len(message) > 2000:
        raise ValidationError({"message": "Keep the message to 2,000 characters."})
    if RenewalRequest.objects.filter(enterprise=locked, status=RenewalRequestStatus.OPEN).exists():
        raise ValidationError(
            "A renewal of this licence has already been requested; staff will be in touch.",
            code="duplicate",
        )
    try:
        with transaction.atomic():
            request = RenewalRequest.objects.create(
                enterprise=locked, message=message, requested_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(
            "A renewal of this licence has already been requested; staff will be in touch.",
            code="duplicate",
        ) from exc
    notify(
        NotificationEvent.LICENCE_RENEWAL_REQUESTED_STAFF,
        locked,
        settings.REGISTRY_STAFF_EMAILS,
        context={"enterprise": locked, "message": message},
    )
    return request


@transaction.atomic
def renewal_request_close(*, request: RenewalRequest, user: User) -> RenewalRequest:
    """Staff mark a renewal request handled (after renewing the licence, or deciding not to)."""
    locked = RenewalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RenewalRequestStatus.OPEN:
        return locked
    locked.status = RenewalRequestStatus.DONE
    locked.handled_by = user
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "handled_by", "handled_at", "updated"])
    return locked


def renewal_requests_close_for(*, enterprise: Enterprise, user: User | None) -> int:
    """Close the open renewal requests of a licence that was just renewed (or ended)."""
    return RenewalRequest.objects.filter(
        enterprise=enterprise, status=RenewalRequestStatus.OPEN
    ).update(
        status=RenewalRequestStatus.DONE,
        handled_by=user,
        handled_at=timezone.now(),
        updated=timezone.now(),
    )


def return_save(
    *,
    annual_return: AnnualReturn,
    user: User,
    figures: dict,
    currency: str,
    action: str,
    uploads: Sequence[UploadedFile] = (),
) -> AnnualReturn:
    """The filer's three buttons: keep as a draft, check, or file (with any documents)."""
    if action == "check":
        enterprise_services.return_check(
            annual_return=annual_return, figures=figures, currency=currency
        )
        documents_check(uploads)
        return annual_return
    with transaction.atomic():
        if action == "draft":
            saved = enterprise_services.return_save_draft(
                annual_return=annual_return, figures=figures, currency=currency
            )
        elif action == "submit":
            enterprise_services.return_check(
                annual_return=annual_return, figures=figures, currency=currency
            )
            saved = enterprise_services.return_submit(
                annual_return=annual_return,
                currency=currency,
                submitted_on=timezone.localdate(),
                user=user,
                **figures,
            )
        else:
            raise ValueError(f"Unknown return action {action!r}")
        documents_attach(uploads=uploads, user=user, annual_return=saved)
    return saved


# --- the developer's steps -------------------------------------------------------------------


@transaction.atomic
def plot_mark_occupied(*, plot: Plot, occupied_on: datetime.date) -> Plot:
    """The zone developer records that the holder has moved in (history records who)."""
    if occupied_on > timezone.localdate():
        raise ValidationError(
            {"occupied_on": "A plot cannot be occupied on a future date."}, code="future"
        )
    return enterprise_services.plot_occupy(plot=plot, occupied_on=occupied_on)


@transaction.atomic
def description_propose(
    *, zone: Zone, user: User, description: str, description_ur: str = ""
) -> DescriptionProposal:
    """The developer proposes its zone's public description; staff approve it before it shows."""
    description = (description or "").strip()
    description_ur = (description_ur or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Write the description you propose."
    elif len(description) > 5000:
        errors["description"] = "Keep the description to 5,000 characters."
    if len(description_ur) > 5000:
        errors["description_ur"] = "Keep the description to 5,000 characters."
    if errors:
        raise ValidationError(errors, code="invalid")
    if description == zone.description and description_ur == zone.description_ur:
        raise ValidationError(
            {"description": "This is the description the zone already has."}, code="unchanged"
        )
    try:
        with transaction.atomic():
            return DescriptionProposal.objects.create(
                zone=zone, description=description, description_ur=description_ur, proposed_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(
            "A proposal for this zone is already waiting for staff; it must be decided first.",
            code="duplicate",
        ) from exc


@transaction.atomic
def description_decide(
    *, proposal: DescriptionProposal, user: User, approve: bool, note: str = ""
) -> DescriptionProposal:
    """Staff approve (the zone's description changes, in its history) or reject a proposal."""
    locked = (
        DescriptionProposal.objects.select_for_update(of=("self",))
        .select_related("zone")
        .get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(
            f"This proposal was already {locked.get_status_display().lower()}.", code="decided"
        )
    if not approve and not (note or "").strip():
        raise ValidationError(
            {"decision_note": "Say why, so the developer can revise it."}, code="required"
        )
    if approve:
        zone = Zone.objects.select_for_update().get(pk=locked.zone_id)
        zone.description = locked.description
        zone.description_ur = locked.description_ur
        zone.save()
    locked.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_note = (note or "").strip()
    locked.save()
    return locked
