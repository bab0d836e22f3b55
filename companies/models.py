import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

from .choices import (
    CompanySize,
    InteractionKind,
    Origin,
    RegistrationChannel,
    RegistrationStatus,
    ReviewAction,
)
from .normalize import normalize_company_name
from .querysets import CompanyQuerySet, InteractionQuerySet, InterestRegistrationQuerySet
from .rules import MAX_MESSAGE_LENGTH, MAX_PLANNED_INVESTMENT_USD, MAX_PLANNED_JOBS


class Company(TimeStampedModel):
    """A company, global or domestic, that wants to set up in one or more zones."""

    name = models.CharField(max_length=200)
    # Unique so that two submissions racing for one new company create it once.
    normalized_name = models.CharField(max_length=200, unique=True, editable=False)
    origin = models.CharField(max_length=10, choices=Origin.choices, db_index=True)
    country = CountryField(db_index=True)
    sector = models.ForeignKey(
        "zones.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
    )
    website = models.URLField(blank=True)
    size = models.CharField(max_length=20, choices=CompanySize.choices, blank=True)
    description = models.TextField(blank=True)

    objects = CompanyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated", "normalized_name"])

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values),
                name="company_origin_valid",
                violation_error_message="Origin must be domestic or global.",
            ),
            models.CheckConstraint(
                condition=Q(size="") | Q(size__in=CompanySize.values),
                name="company_size_valid",
                violation_error_message="Unknown company size.",
            ),
            models.CheckConstraint(
                condition=~Q(normalized_name=""),
                name="company_normalized_name_not_blank",
                violation_error_message="A company needs a name.",
            ),
        ]
        # The default ordering, with the id that makes pages stable: a page of 100 companies
        # reads the index instead of sorting every name.
        indexes = [models.Index(fields=["name", "id"], name="company_name_order")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_company_name(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        self.normalized_name = normalize_company_name(self.name)


class Contact(TimeStampedModel):
    """A person at a company. Personal data: shown to staff only, never publicly."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("company", "name")
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                name="contact_unique_email_per_company",
                violation_error_message="This company already has a contact with that email.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.company})"


def new_reference():
    """A short reference a person can read out on the phone: TZR-XXXX-XXXX."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I look-alikes
    chars = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"TZR-{chars[:4]}-{chars[4:]}"


def new_status_token():
    return secrets.token_urlsafe(32)


class InterestRegistration(TimeStampedModel):
    """A company's registered interest in one or more zones, and its review."""

    reference = models.CharField(max_length=20, unique=True, default=new_reference, editable=False)
    # The applicant's private link to the status page; unguessable, never listed.
    status_token = models.CharField(
        max_length=64, unique=True, default=new_status_token, editable=False
    )
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="registrations")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="registrations"
    )
    zones = models.ManyToManyField("zones.Zone", related_name="registrations")
    channel = models.CharField(max_length=10, choices=RegistrationChannel.choices, db_index=True)
    status = models.CharField(
        max_length=30,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.RECEIVED,
        db_index=True,
    )
    planned_investment_usd = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True
    )
    planned_jobs = models.PositiveIntegerField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    message = models.TextField(blank=True, max_length=MAX_MESSAGE_LENGTH)
    # What an unverified submission said about the company and its contact. A submission never
    # rewrites an existing Company or Contact (anyone can type any company's name and email),
    # so the reviewer compares these with what staff hold.
    # db_default: bulk writers (generate_data's COPY) that do not name these columns.
    submitted_company_name = models.CharField(max_length=200, blank=True, db_default="")
    submitted_contact_name = models.CharField(max_length=200, blank=True, db_default="")
    submitted_contact_phone = models.CharField(max_length=40, blank=True, db_default="")
    # The language the applicant used (a code of settings.LANGUAGES; empty: the default).
    # Every email to the company about this registration and what follows is written in it.
    language = models.CharField(max_length=10, blank=True, db_default="", default="")
    # Maker-checker: who entered it (staff channel) may not be who accepts it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_registrations",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_registrations",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The latest step's note; every note is kept in the review log (ReviewLogEntry).
    review_note = models.TextField(blank=True)
    # The officer who has the registration on their desk.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_registrations",
    )
    # Two-person acceptance: who recommended it; someone else must accept.
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommended_registrations",
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    # When the applicant ticked the privacy notice's consent on the public form (other
    # channels: the partner or staff holds the consent, so it stays empty).
    consented_at = models.DateTimeField(null=True, blank=True)
    # When contact_data_purge() removed the personal data, so staff see why it is empty.
    contact_data_purged_at = models.DateTimeField(null=True, blank=True)

    objects = InterestRegistrationQuerySet.as_manager()
    # The zones are kept with each version, so that reports as of a past day count a
    # registration under the zones it named then.
    history = HistoricalRecords(excluded_fields=["updated", "status_token"], m2m_fields=[zones])

    class Meta:
        ordering = ("-created",)
        # Reviewing (accepting, declining) is a separate right from editing a registration.
        permissions = [("review_interestregistration", "Can review interest registration")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
                violation_error_message="Unknown registration status.",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=RegistrationChannel.values),
                name="registration_channel_valid",
                violation_error_message="Unknown registration channel.",
            ),
            models.CheckConstraint(
                condition=Q(planned_investment_usd__isnull=True) | Q(planned_investment_usd__gte=0),
                name="registration_planned_investment_not_negative",
                violation_error_message="Planned investment cannot be negative.",
            ),
            # The limits of companies.rules, kept by the database for every writer.
            models.CheckConstraint(
                condition=Q(planned_investment_usd__isnull=True)
                | Q(planned_investment_usd__lte=MAX_PLANNED_INVESTMENT_USD),
                name="registration_planned_investment_within_limit",
                violation_error_message=(
                    f"Planned investment can be at most USD {MAX_PLANNED_INVESTMENT_USD:,.0f}."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_jobs__isnull=True) | Q(planned_jobs__lte=MAX_PLANNED_JOBS),
                name="registration_planned_jobs_within_limit",
                violation_error_message=f"The number of jobs can be at most {MAX_PLANNED_JOBS:,}.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("message"), MAX_MESSAGE_LENGTH),
                name="registration_message_within_limit",
                violation_error_message=(f"Keep the message to {MAX_MESSAGE_LENGTH:,} characters."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created"], name="registration_status_created"),
            # The default ordering: the newest registrations without sorting the table.
            models.Index(fields=["-created"], name="registration_recent_first"),
        ]

    def __str__(self):
        return f"{self.reference} · {self.company}"

    def get_absolute_url(self):
        return reverse("public:registration-status", kwargs={"token": self.status_token})


class ReviewLogEntry(models.Model):
    """One step of a registration's review — what, who, when, why — written once, never edited."""

    registration = models.ForeignKey(
        InterestRegistration, on_delete=models.CASCADE, related_name="review_log"
    )
    action = models.CharField(max_length=30, choices=ReviewAction.choices)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_log_entries",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    note = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ("created", "id")
        verbose_name = "review log entry"
        verbose_name_plural = "review log"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ReviewAction.values),
                name="review_log_action_valid",
                violation_error_message="Unknown review action.",
            ),
        ]
        indexes = [
            models.Index(fields=["registration", "created"], name="review_log_by_registration")
        ]

    def __str__(self):
        who = self.user or "a deleted user"
        return f"{self.get_action_display()} by {who} on {self.created:%Y-%m-%d}"


class Interaction(TimeStampedModel):
    """Aftercare: a meeting, call, visit or email with a company, and when to follow it up."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(max_length=10, choices=InteractionKind.choices)
    happened_on = models.DateField("date", default=timezone.localdate)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    notes = models.TextField(blank=True, max_length=5000)
    next_follow_up_on = models.DateField("next follow-up", null=True, blank=True)

    objects = InteractionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("-happened_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InteractionKind.values),
                name="interaction_kind_valid",
                violation_error_message="Choose meeting, call, site visit or email.",
            ),
            models.CheckConstraint(
                condition=Q(next_follow_up_on__isnull=True)
                | Q(next_follow_up_on__gte=models.F("happened_on")),
                name="interaction_follow_up_not_before_it",
                violation_error_message="The next follow-up cannot be before the interaction.",
            ),
        ]
        # The dashboard's "follow-ups due" reads the latest interaction per company.
        indexes = [
            models.Index(fields=["company", "happened_on"], name="interaction_company_date"),
            models.Index(fields=["next_follow_up_on"], name="interaction_follow_up"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} with {self.company} on {self.happened_on:%Y-%m-%d}"
