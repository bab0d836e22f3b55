"""Writes for companies and interest registrations, shared by the form, the API and the admin."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from core import tallies
from zones.models import Sector

from . import notifications, rules
from .choices import (
    REGISTRATION_STATUS_TRANSITIONS,
    RegistrationChannel,
    RegistrationStatus,
    ReviewAction,
)
from .models import Company, Contact, Interaction, InterestRegistration, ReviewLogEntry
from .normalize import normalize_company_name

if TYPE_CHECKING:
    # The project keeps Django's own user model (AUTH_USER_MODEL is not swapped).
    from django.contrib.auth.models import User


def company_match_or_create(
    *, name: str, origin: str, country: str, sector: Sector | None = None, website: str = ""
) -> tuple[Company, bool]:
    """Return the company whose normalised name matches `name`, creating it if there is none."""
    normalized = normalize_company_name(name)
    existing = Company.objects.filter(normalized_name=normalized).first()
    if existing:
        return existing, False
    company = Company(
        name=name.strip(), origin=origin, country=country, sector=sector, website=website
    )
    company.full_clean(validate_unique=False)
    try:
        # The unique normalised name decides a race between two first submissions;
        # the savepoint keeps the caller's transaction usable after the loser's insert.
        with transaction.atomic():
            company.save()
    except IntegrityError:
        return Company.objects.get(normalized_name=normalized), False
    return company, True


def contact_match_or_create(*, company: Company, name: str, email: str, phone: str = "") -> Contact:
    """The company's contact with this email, created if there is none.

    An existing contact is returned unchanged: a submission is unverified (anyone can type any
    company's name and address), so it must never rewrite personal data that staff keep. What
    was submitted is recorded on the registration instead.
    """
    email = email.strip()
    contact = Contact.objects.filter(company=company, email__iexact=email).first()
    if contact is not None:
        return contact
    contact = Contact(company=company, name=name, email=email, phone=phone)
    contact.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        return Contact.objects.get(company=company, email__iexact=email)
    return contact


def registration_check(
    *,
    zones: Iterable,
    company: Company | None = None,
    contact: Contact | None = None,
    company_name: str = "",
    origin: str = "",
    country: str = "",
    planned_investment_usd: Decimal | None = None,
    planned_jobs: int | None = None,
    message: str = "",
) -> None:
    """Raise what registration_submit() would refuse, writing nothing.

    registration_submit() runs it first; the admin's form runs it too, to show the refusal
    beside the fields while keeping what staff typed.
    """
    if company is None:
        rules.check_registration(
            zones=zones,
            origin=origin,
            country=country,
            company_name=company_name,
            planned_investment_usd=planned_investment_usd,
            planned_jobs=planned_jobs,
            message=message,
        )
        return
    rules.check_registration(
        zones=zones,
        origin=company.origin,
        country=str(company.country),
        planned_investment_usd=planned_investment_usd,
        planned_jobs=planned_jobs,
        message=message,
    )
    if contact is not None and contact.company_id != company.pk:
        raise ValidationError(
            {
                "contact": ValidationError(
                    f"{contact.name} is a contact of another company.",
                    code="contact_of_other_company",
                )
            }
        )


def applicant_language() -> str:
    """The supported language the current request runs in (the admin and the API: English)."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return ""


@transaction.atomic
@tallies.collecting()  # the registration's and its zones' tallies, added once at the end
def registration_submit(
    *,
    zones: Iterable,
    channel: str = RegistrationChannel.WEB,
    company: Company | None = None,
    contact: Contact | None = None,
    company_name: str = "",
    origin: str = "",
    country: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    sector: Sector | None = None,
    website: str = "",
    planned_investment_usd: Decimal | None = None,
    planned_jobs: int | None = None,
    target_date: datetime.date | None = None,
    message: str = "",
    submitted_by: User | None = None,
    consented_at: datetime.datetime | None = None,
) -> InterestRegistration:
    """Register a company's interest in zones: company, contact and registration in one go.

    Every channel comes here. The web form, the API and the importer name the company and
    contact by their details (a company is matched by its normalised name, a contact by email
    within it); staff entering a registration in the admin pick an existing `company` and
    optionally `contact`. companies.rules decides what a registration may contain.
    `consented_at` is when the applicant agreed to the privacy notice (the web form asks).
    """
    zones = list(zones)
    registration_check(
        zones=zones,
        company=company,
        contact=contact,
        company_name=company_name,
        origin=origin,
        country=country,
        planned_investment_usd=planned_investment_usd,
        planned_jobs=planned_jobs,
        message=message,
    )
    if company is not None:
        submitted = {}
    else:
        company, _ = company_match_or_create(
            name=company_name, origin=origin, country=country, sector=sector, website=website
        )
        contact = contact_match_or_create(
            company=company, name=contact_name, email=contact_email, phone=contact_phone
        )
        submitted = {
            "submitted_company_name": company_name.strip(),
            "submitted_contact_name": contact_name,
            "submitted_contact_phone": contact_phone,
        }
    registration = InterestRegistration(
        company=company,
        contact=contact,
        channel=channel,
        planned_investment_usd=planned_investment_usd,
        planned_jobs=planned_jobs,
        target_date=target_date,
        message=message,
        submitted_by=submitted_by,
        consented_at=consented_at,
        language=applicant_language(),
        **submitted,
    )
    registration.full_clean(exclude=["zones"])
    registration.save()
    registration.zones.set(zones)
    # In this transaction: the emails are queued with the registration or not at all.
    notifications.registration_received(registration)
    return registration


def _review_log(
    *,
    registration: InterestRegistration,
    action: str,
    user: User | None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> ReviewLogEntry:
    return ReviewLogEntry.objects.create(
        registration=registration,
        action=action,
        user=user,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def _locked(registration: InterestRegistration) -> InterestRegistration:
    return InterestRegistration.objects.select_for_update().get(pk=registration.pk)


@transaction.atomic
def registration_transition(
    *, registration: InterestRegistration, status: str, user: User | None, note: str = ""
) -> InterestRegistration:
    """Move a registration along its review, logging who did it, when and why.

    Acceptance takes two people: someone recommended it (registration_recommend), and
    someone else accepts it; and whoever entered it for the company accepts nothing of theirs.
    """
    locked = _locked(registration)
    current = RegistrationStatus(locked.status)
    if status not in REGISTRATION_STATUS_TRANSITIONS[current]:
        allowed = ", ".join(
            sorted(RegistrationStatus(s).label for s in REGISTRATION_STATUS_TRANSITIONS[current])
        )
        raise ValidationError(
            f"Registration {locked.reference} is {current.label.lower()}; it cannot move to "
            f"“{status}”. Allowed next: {allowed or 'none'}.",
            code="invalid_transition",
        )
    user_id = getattr(user, "pk", None)
    if status == RegistrationStatus.ACCEPTED:
        if locked.submitted_by_id is not None and locked.submitted_by_id == user_id:
            raise ValidationError(
                f"You entered registration {locked.reference} yourself, so another reviewer "
                f"must accept it (maker-checker rule).",
                code="maker_checker",
            )
        if locked.recommended_by_id is None:
            raise ValidationError(
                f"Registration {locked.reference} has not been recommended yet: one reviewer "
                f"recommends it, then another accepts it.",
                code="not_recommended",
            )
        if locked.recommended_by_id == user_id:
            raise ValidationError(
                f"You recommended registration {locked.reference}, so another reviewer must "
                f"accept it (two-person rule).",
                code="two_person",
            )
    if status in (RegistrationStatus.INFORMATION_REQUESTED, RegistrationStatus.DECLINED):
        # What the company sends back may change the case: a fresh recommendation is needed.
        locked.recommended_by = None
        locked.recommended_at = None
    locked.status = status
    locked.reviewer = user
    locked.reviewed_at = timezone.now()
    if note:
        locked.review_note = note
    locked.save()
    notifications.registration_status_changed(locked, previous_status=current, note=note)
    _review_log(
        registration=locked,
        action=status,
        user=user,
        note=note,
        from_status=current,
        to_status=status,
    )
    registration.refresh_from_db()
    return locked


@transaction.atomic
def registration_recommend(
    *, registration: InterestRegistration, user: User, note: str = ""
) -> InterestRegistration:
    """Recommend a registration under review for acceptance: the first of two people."""
    locked = _locked(registration)
    if locked.status != RegistrationStatus.UNDER_REVIEW:
        raise ValidationError(
            f"Registration {locked.reference} is "
            f"{RegistrationStatus(locked.status).label.lower()}; only a registration under "
            f"review can be recommended.",
            code="invalid_transition",
        )
    if locked.recommended_by_id is not None:
        raise ValidationError(
            f"Registration {locked.reference} was already recommended by "
            f"{locked.recommended_by}; another reviewer can now accept or decline it.",
            code="already_recommended",
        )
    locked.recommended_by = user
    locked.recommended_at = timezone.now()
    if note:
        locked.review_note = note
    locked.save(update_fields=["recommended_by", "recommended_at", "review_note", "updated"])
    _review_log(registration=locked, action=ReviewAction.RECOMMENDED, user=user, note=note)
    registration.refresh_from_db()
    return locked


@transaction.atomic
def registration_assign(
    *, registration: InterestRegistration, officer: User | None, user: User, note: str = ""
) -> InterestRegistration:
    """Put a registration on an officer's desk (or take it off with officer=None)."""
    locked = _locked(registration)
    if officer is not None and not officer.is_staff:
        raise ValidationError(
            f"{officer} is not a staff member and cannot review registrations.",
            code="not_staff",
        )
    if locked.assigned_to_id == getattr(officer, "pk", None):
        return locked
    locked.assigned_to = officer
    locked.save(update_fields=["assigned_to", "updated"])
    _review_log(
        registration=locked,
        action=ReviewAction.ASSIGNED,
        user=user,
        note=note or (f"Assigned to {officer.get_username()}." if officer else "Unassigned."),
    )
    registration.refresh_from_db()
    return locked


@transaction.atomic
def registration_add_note(
    *, registration: InterestRegistration, user: User, note: str
) -> ReviewLogEntry:
    """Add a note to the review log without changing the registration's status."""
    if not note.strip():
        raise ValidationError({"note": "Write the note first."}, code="required")
    locked = _locked(registration)
    return _review_log(registration=locked, action=ReviewAction.NOTE, user=user, note=note)


def _company_step(
    locked: InterestRegistration, *, to_status: str, action: str, user: User, note: str
) -> InterestRegistration:
    """A step the company takes itself: logged as theirs, never recorded as a review."""
    previous = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated"])
    _review_log(
        registration=locked,
        action=action,
        user=user,
        note=note,
        from_status=previous,
        to_status=to_status,
    )
    notifications.registration_status_changed(locked, previous_status=previous, note="")
    return locked


@transaction.atomic
def registration_answer(
    *, registration: InterestRegistration, user: User, message: str
) -> InterestRegistration:
    """The company answers an information request: the review resumes and the reviewer is told."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Write your answer to the reviewers' question."})
    if len(message) > rules.MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"message": f"Keep the answer to {rules.MAX_MESSAGE_LENGTH:,} characters."},
            code="max_length",
        )
    locked = _locked(registration)
    if locked.status != RegistrationStatus.INFORMATION_REQUESTED:
        raise ValidationError(
            f"Registration {locked.reference} is "
            f"{RegistrationStatus(locked.status).label.lower()}: there is no open question to "
            f"answer.",
            code="nothing_requested",
        )
    _company_step(
        locked,
        to_status=RegistrationStatus.UNDER_REVIEW,
        action=ReviewAction.ANSWERED,
        user=user,
        note=message,
    )
    notifications.registration_answered(locked, message=message)
    registration.refresh_from_db()
    return locked


@transaction.atomic
def registration_withdraw(
    *, registration: InterestRegistration, user: User, reason: str = ""
) -> InterestRegistration:
    """The company withdraws its own registration while it is still open."""
    locked = _locked(registration)
    current = RegistrationStatus(locked.status)
    if RegistrationStatus.WITHDRAWN not in REGISTRATION_STATUS_TRANSITIONS[current]:
        raise ValidationError(
            f"Registration {locked.reference} is {current.label.lower()}: it can no longer be "
            f"withdrawn.",
            code="invalid_transition",
        )
    _company_step(
        locked,
        to_status=RegistrationStatus.WITHDRAWN,
        action=ReviewAction.WITHDRAWN,
        user=user,
        note=(reason or "").strip()[:2000],
    )
    registration.refresh_from_db()
    return locked


@transaction.atomic
def interaction_record(
    *,
    company: Company,
    kind: str,
    officer: User | None,
    happened_on: datetime.date | None = None,
    notes: str = "",
    next_follow_up_on: datetime.date | None = None,
) -> Interaction:
    """Log a meeting, call, visit or email with a company, and when to follow it up."""
    interaction = Interaction(
        company=company,
        kind=kind,
        officer=officer,
        happened_on=happened_on or timezone.localdate(),
        notes=notes,
        next_follow_up_on=next_follow_up_on,
    )
    interaction.full_clean()
    interaction.save()
    return interaction


# Registrations whose contact data the retention period applies to: the applicant is done
# with the authority, so nothing is left to reply about.
CLOSED_STATUSES = (RegistrationStatus.DECLINED, RegistrationStatus.WITHDRAWN)


@dataclass(frozen=True)
class ContactPurgeResult:
    """What contact_data_purge() removed (or, in a dry run, would remove)."""

    registrations: int
    contacts_deleted: int
    contacts_kept: int
    history_rows: int
    cutoff: datetime.datetime


@transaction.atomic
def contact_data_purge(
    *,
    retention_days: int | None = None,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
) -> ContactPurgeResult:
    """Remove the personal data of registrations declined or withdrawn over the retention ago.

    A registration is closed when its decision was recorded (`reviewed_at`; registrations
    imported already closed fall back to their last change). For each one, what the applicant
    typed about themselves (name, phone, message) is blanked on the registration and on every
    one of its history rows, and its contact (name, email, phone) is deleted unless another
    registration that is not closed-and-expired still uses it. Company details, zones and the
    review log stay: they are the authority's record of the decision, not personal data.
    The update bypasses save(), so the purge itself writes no new history row holding the data.
    """
    days = settings.CONTACT_RETENTION_DAYS if retention_days is None else retention_days
    if days < 0:
        raise ValidationError(
            f"The retention period must be zero or more days, not {days}.", code="negative"
        )
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    expired = Q(status__in=CLOSED_STATUSES, closed_at__lte=cutoff)
    registrations = InterestRegistration.objects.annotate(
        closed_at=Coalesce("reviewed_at", "updated")
    )
    # Locked so that a review step cannot reopen a registration halfway through the purge.
    due_ids = list(
        registrations.filter(expired, contact_data_purged_at__isnull=True)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    contact_ids = set(
        InterestRegistration.objects.filter(pk__in=due_ids, contact__isnull=False).values_list(
            "contact_id", flat=True
        )
    )
    still_used = set(
        registrations.filter(contact_id__in=contact_ids)
        .exclude(expired)
        .values_list("contact_id", flat=True)
    )
    deletable = contact_ids - still_used
    history = InterestRegistration.history.filter(id__in=due_ids)
    history_rows = history.count()
    if not dry_run:
        blank = {"submitted_contact_name": "", "submitted_contact_phone": "", "message": ""}
        history.update(**blank)
        InterestRegistration.history.filter(contact_id__in=deletable).update(contact=None)
        InterestRegistration.objects.filter(pk__in=due_ids).update(
            **blank, contact_data_purged_at=now
        )
        # Deleting sets the registrations' contact to NULL (on_delete=SET_NULL).
        Contact.objects.filter(pk__in=deletable).delete()
    return ContactPurgeResult(
        registrations=len(due_ids),
        contacts_deleted=len(deletable),
        contacts_kept=len(still_used),
        history_rows=history_rows,
        cutoff=cutoff,
    )
