"""Who may use the portal, for which company or developer, and what they uploaded."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

from .choices import InvitationVia, ProposalStatus, RenewalRequestStatus

# Exactly one of a company and a developer: an account (or invitation) belongs to one party.
ONE_PARTY = (Q(company__isnull=False) & Q(developer__isnull=True)) | (
    Q(company__isnull=True) & Q(developer__isnull=False)
)


class PortalMembership(TimeStampedModel):
    """A portal account's party: one company or one zone developer, never both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_membership"
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_memberships",
    )
    developer = models.ForeignKey(
        "zones.ZoneDeveloper",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_memberships",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(
        default=True, help_text=_("Clear to take the account's portal access away.")
    )

    class Meta:
        verbose_name = _("portal membership")
        constraints = [
            models.CheckConstraint(
                condition=ONE_PARTY,
                name="portal_membership_one_party",
                violation_error_message=_(
                    "A portal account belongs to one company or one developer."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user.email} → {self.party}"

    @property
    def party(self):
        return self.company or self.developer


class Invitation(TimeStampedModel):
    """A single-use, expiring link to a portal account, sent to one email address.

    Only the SHA-256 of the token is stored: a copy of the database opens no accounts.
    """

    email = models.EmailField()
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_invitations",
    )
    developer = models.ForeignKey(
        "zones.ZoneDeveloper",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_invitations",
    )
    via = models.CharField(max_length=10, choices=InvitationVia.choices)
    # The claim's registration: its contact address is the one the invitation went to.
    registration = models.ForeignKey(
        "companies.InterestRegistration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("-created",)
        verbose_name = _("portal invitation")
        constraints = [
            models.CheckConstraint(
                condition=ONE_PARTY,
                name="portal_invitation_one_party",
                violation_error_message=_("An invitation is to one company or one developer."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_at__lte=models.F("expires_at")),
                name="portal_invitation_accepted_in_time",
                violation_error_message=_("An invitation cannot be accepted after it expires."),
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.company or self.developer}"

    @property
    def party(self):
        return self.company or self.developer

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class _DocumentsStorage(LazyObject):
    """STORAGES["documents"], looked up when first used and again after the setting changes.

    A FileField calls its storage callable once, when the model class is built; returning the
    backend itself would pin the location configured at import, and a test's (or a command's)
    override of STORAGES would store documents somewhere else than it says.
    """

    def _setup(self):
        self._wrapped = storages["documents"]


_documents_storage = _DocumentsStorage()


@receiver(setting_changed)
def _documents_storage_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _documents_storage._wrapped = empty


def documents_storage():
    return _documents_storage


def document_path(document: "Document", filename: str) -> str:
    # A random name on disk: the original name is kept (sanitised) in the row, never trusted.
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


# Exactly one subject: a document is on a registration, a licence or an annual return.
ONE_SUBJECT = (
    Q(registration__isnull=False, enterprise__isnull=True, annual_return__isnull=True)
    | Q(registration__isnull=True, enterprise__isnull=False, annual_return__isnull=True)
    | Q(registration__isnull=True, enterprise__isnull=True, annual_return__isnull=False)
)


class Document(TimeStampedModel):
    """A file a portal user uploaded on one of their records, served only through a checked view."""

    file = models.FileField(storage=documents_storage, upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    registration = models.ForeignKey(
        "companies.InterestRegistration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    annual_return = models.ForeignKey(
        "enterprises.AnnualReturn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("created",)
        verbose_name = _("document")
        constraints = [
            models.CheckConstraint(
                condition=ONE_SUBJECT,
                name="portal_document_one_subject",
                violation_error_message=_(
                    "A document belongs to one registration, licence or annual return."
                ),
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="portal_document_not_empty"),
        ]

    def __str__(self):
        return self.original_name


class RenewalRequest(TimeStampedModel):
    """A licence holder asking staff to renew its licence (staff renew it in the admin)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="renewal_requests"
    )
    message = models.TextField(blank=True, max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=RenewalRequestStatus.choices, default=RenewalRequestStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = _("licence renewal request")
        constraints = [
            # One open request per licence: asking twice does not queue two.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status=RenewalRequestStatus.OPEN),
                name="portal_one_open_renewal_request",
                violation_error_message=_("A renewal of this licence has already been requested."),
            )
        ]

    def __str__(self):
        return f"Renewal of {self.enterprise}"


class DescriptionProposal(TimeStampedModel):
    """A zone developer's proposed public description of its zone, applied once staff approve."""

    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, related_name="description_proposals"
    )
    description = models.TextField(max_length=5000)
    description_ur = models.TextField(blank=True, max_length=5000)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ("-created",)
        verbose_name = _("zone description proposal")
        permissions = [
            ("decide_descriptionproposal", "Can approve or reject a zone description proposal")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["zone"],
                condition=Q(status=ProposalStatus.PENDING),
                name="portal_one_pending_proposal_per_zone",
                violation_error_message=_("A proposal for this zone is already waiting for staff."),
            )
        ]

    def __str__(self):
        return f"Description of {self.zone}"
