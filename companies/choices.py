"""Company and registration enums and the review's transition table."""

from django.db import models


class Origin(models.TextChoices):
    DOMESTIC = "domestic", "Domestic"
    GLOBAL = "global", "Global"


class CompanySize(models.TextChoices):
    MICRO = "micro", "Micro (under 10 staff)"
    SMALL = "small", "Small (10–49)"
    MEDIUM = "medium", "Medium (50–249)"
    LARGE = "large", "Large (250–999)"
    ENTERPRISE = "enterprise", "Enterprise (1,000 or more)"


class RegistrationChannel(models.TextChoices):
    WEB = "web", "Public web form"
    API = "api", "Partner API"
    STAFF = "staff", "Entered by staff"
    IMPORT = "import", "Imported"


class RegistrationStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    UNDER_REVIEW = "under_review", "Under review"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


REGISTRATION_STATUS_TRANSITIONS = {
    RegistrationStatus.RECEIVED: {
        RegistrationStatus.UNDER_REVIEW,
        RegistrationStatus.WITHDRAWN,
    },
    RegistrationStatus.UNDER_REVIEW: {
        RegistrationStatus.INFORMATION_REQUESTED,
        RegistrationStatus.ACCEPTED,
        RegistrationStatus.DECLINED,
        RegistrationStatus.WITHDRAWN,
    },
    # The company answers (portal or status link), and the review resumes.
    RegistrationStatus.INFORMATION_REQUESTED: {
        RegistrationStatus.UNDER_REVIEW,
        RegistrationStatus.WITHDRAWN,
    },
    RegistrationStatus.ACCEPTED: {RegistrationStatus.WITHDRAWN},
    RegistrationStatus.DECLINED: set(),
    RegistrationStatus.WITHDRAWN: set(),
}

# Registrations that wait for a reviewer (the dashboard's queue and its count).
AWAITING_REVIEW = (RegistrationStatus.RECEIVED, RegistrationStatus.UNDER_REVIEW)

# The steps a reviewer takes; withdrawal is the applicant's, not the reviewer's.
REVIEW_STEPS = (
    RegistrationStatus.UNDER_REVIEW,
    RegistrationStatus.INFORMATION_REQUESTED,
    RegistrationStatus.ACCEPTED,
    RegistrationStatus.DECLINED,
)


class ReviewAction(models.TextChoices):
    """What one entry of a registration's review log records."""

    UNDER_REVIEW = "under_review", "Moved to under review"
    INFORMATION_REQUESTED = "information_requested", "Information requested"
    RECOMMENDED = "recommended", "Recommended for acceptance"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ASSIGNED = "assigned", "Assigned"
    NOTE = "note", "Note"
    ANSWERED = "answered", "Answered by the company"


# The log entries a company reads on its own registration in the portal: its steps and what was
# said to it and by it. Notes, assignments and recommendations are the reviewers' own.
SHARED_WITH_APPLICANT = frozenset(
    {
        ReviewAction.UNDER_REVIEW,
        ReviewAction.INFORMATION_REQUESTED,
        ReviewAction.ACCEPTED,
        ReviewAction.DECLINED,
        ReviewAction.WITHDRAWN,
        ReviewAction.ANSWERED,
    }
)


class InteractionKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    VISIT = "visit", "Site visit"
    EMAIL = "email", "Email"


class PipelineStage(models.TextChoices):
    """Where a company stands, from first contact to operating in a zone.

    Licence and operating stages follow from the enterprises app (licences, plots); until it
    lands, the pipeline ends at an accepted registration.
    """

    PROSPECT = "prospect", "Prospect (no registration)"
    REGISTERED = "registered", "Registered"
    IN_REVIEW = "in_review", "In review"
    ACCEPTED = "accepted", "Registration accepted"
