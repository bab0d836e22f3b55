from django.db import models
from django.utils.translation import gettext_lazy as _


class InvitationVia(models.TextChoices):
    STAFF = "staff", _("Invited by staff")
    COLLEAGUE = "colleague", _("Invited by a colleague")
    CLAIM = "claim", _("Claimed from the status link")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RenewalRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Handled")


# What an upload may be, told from its content (filetype) and not from its name.
DOCUMENT_TYPES = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
}
