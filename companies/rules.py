"""What an interest registration may contain: the one place these rules are written.

companies.services.registration_submit calls `check_registration()` before it writes anything;
the public form, the API, the admin and the importer only parse their input and let the service
decide, so every channel refuses the same things with the same words. docs/submission.md lists
the rules; tests/companies/test_rules.py holds one row per rule.

The numeric limits are also CHECK constraints on InterestRegistration (companies.models), so
the shell and raw imports cannot get past them either.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from zones.choices import CLOSED_TO_REGISTRATION

from .choices import Origin
from .normalize import normalize_company_name

# A person can compare this many zones in one registration; more is a bot or a mistake.
# Surfaces also check it before looking zones up, so a list of 10,000 slugs costs no query.
MAX_ZONES_PER_REGISTRATION = 20
# Twice the programme's whole expected private investment would be a typo, not a plan.
MAX_PLANNED_INVESTMENT_USD = Decimal("100000000000.00")  # USD 100 billion
MAX_PLANNED_JOBS = 10_000_000
MAX_MESSAGE_LENGTH = 5000


def programme_country() -> str:
    """The ISO code of the programme's country (settings.PROGRAMME_COUNTRY), read per call."""
    return settings.PROGRAMME_COUNTRY


def check_zone_count(count: int) -> None:
    """Refuse a registration naming no zone or more zones than one registration may name."""
    if count == 0:
        raise ValidationError(
            {"zones": ValidationError(_("Choose at least one zone."), "required")}
        )
    if count > MAX_ZONES_PER_REGISTRATION:
        raise ValidationError(
            {
                "zones": ValidationError(
                    _("Choose at most %(limit)s zones in one registration (%(count)s were sent).")
                    % {"limit": MAX_ZONES_PER_REGISTRATION, "count": count},
                    code="too_many",
                )
            }
        )


def check_registration(
    *,
    zones: Iterable,
    origin: str,
    country: str,
    company_name: str | None = None,
    planned_investment_usd: Decimal | None = None,
    planned_jobs: int | None = None,
    message: str = "",
) -> None:
    """Raise one ValidationError keyed by field with every rule the registration breaks.

    `company_name` is None when staff picked an existing company (its name was checked when
    it was created); `origin` and `country` are then that company's.
    """
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    zones = list(zones)
    try:
        check_zone_count(len(zones))
    except ValidationError as error:
        errors.update(error.error_dict)
    closed = sorted(
        (zone for zone in zones if zone.status in CLOSED_TO_REGISTRATION), key=lambda z: z.name
    )
    if closed:
        names = ", ".join(
            f"{zone.name} ({_(zone.get_status_display()).lower()})" for zone in closed
        )
        refuse(
            "zones",
            _("Not open for registration: %(names)s. Choose zones that are still open.")
            % {"names": names},
            "zone_closed",
        )

    if company_name is not None and not normalize_company_name(company_name):
        refuse(
            "company_name", _("Enter a company name with letters or digits in it."), "no_letters"
        )

    home = programme_country()
    if origin == Origin.DOMESTIC and country and str(country) != home:
        refuse(
            "country",
            _(
                "A domestic company is registered in %(country)s: choose %(country)s, or answer "
                "“Global” for the company’s origin."
            )
            % {"country": _country_name(home)},
            "domestic_outside_programme_country",
        )

    if planned_investment_usd is not None:
        if planned_investment_usd < 0:
            refuse(
                "planned_investment_usd", _("Planned investment cannot be negative."), "negative"
            )
        elif planned_investment_usd > MAX_PLANNED_INVESTMENT_USD:
            refuse(
                "planned_investment_usd",
                _(
                    "Planned investment can be at most USD %(limit)s; check the amount (it is "
                    "in dollars, not cents)."
                )
                % {"limit": f"{MAX_PLANNED_INVESTMENT_USD:,.0f}"},
                "too_large",
            )
    if planned_jobs is not None:
        if planned_jobs < 0:
            refuse("planned_jobs", _("The number of jobs cannot be negative."), "negative")
        elif planned_jobs > MAX_PLANNED_JOBS:
            refuse(
                "planned_jobs",
                _("The number of jobs can be at most %(limit)s.")
                % {"limit": f"{MAX_PLANNED_JOBS:,}"},
                "too_large",
            )

    if len(message or "") > MAX_MESSAGE_LENGTH:
        refuse(
            "message",
            _("Keep the message to %(limit)s characters (it has %(length)s).")
            % {"limit": f"{MAX_MESSAGE_LENGTH:,}", "length": f"{len(message):,}"},
            "too_long",
        )

    if errors:
        raise ValidationError(errors)


def _country_name(code: str) -> str:
    return countries.name(code) or code
