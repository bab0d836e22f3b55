import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

from .choices import (
    EXPIRING_STATUSES,
    FILED_RETURN_STATUSES,
    HELD_PLOT_STATUSES,
    ISSUED_STATUSES,
    LIVE_STATUSES,
    STORED_LICENCE_STATUSES,
    LicenceEventKind,
    LicenceStatus,
    PlotKind,
    PlotStatus,
    ReturnStatus,
)
from .fiscal import FISCAL_YEAR_REGEX, fiscal_year_start_year
from .querysets import AnnualReturnQuerySet, EnterpriseQuerySet, PlotQuerySet

CURRENCY_CODE_REGEX = r"^[A-Z]{3}$"
# Beyond any zone enterprise: a figure above these is a typing error, not a fact.
MAX_EMPLOYEES = 1_000_000
MAX_MONEY = 10**15
# The field validators give the check constraints' rules a field to attach the error to.
EMPLOYEES = [MaxValueValidator(MAX_EMPLOYEES)]
MONEY = [MinValueValidator(0), MaxValueValidator(MAX_MONEY - 1)]


class Enterprise(TimeStampedModel):
    """A company's licence to operate in one zone, from application to its end."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="enterprises"
    )
    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="enterprises")
    registration = models.ForeignKey(
        "companies.InterestRegistration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        help_text="The accepted registration this application came from.",
    )
    activities = models.TextField(help_text="What the enterprise is licensed to do in the zone.")
    planned_investment_usd = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    planned_jobs = models.PositiveIntegerField(null=True, blank=True, validators=EMPLOYEES)
    status = models.CharField(
        max_length=20,
        choices=LicenceStatus.choices,
        default=LicenceStatus.APPLIED,
        db_index=True,
    )
    # Given by enterprise_issue_licence(); derived from the primary key, so unique by itself.
    licence_number = models.CharField(max_length=30, unique=True, null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    # Maker-checker: who recommends an application may not approve it.
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommended_licences",
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_licences",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("-created", "-id")
        permissions = [("approve_enterprise", "Can approve a licence application")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=STORED_LICENCE_STATUSES),
                name="enterprise_status_valid",
                violation_error_message="Unknown licence status (expired is read from the dates).",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=F("issued_on")),
                name="enterprise_expires_after_issue",
                violation_error_message="A licence must expire after the day it is issued.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ISSUED_STATUSES)
                | Q(
                    licence_number__isnull=False,
                    issued_on__isnull=False,
                    expires_on__isnull=False,
                ),
                name="enterprise_issued_has_number_and_dates",
                violation_error_message="An issued licence needs a number, an issue and an "
                "expiry date.",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(recommended_by__isnull=True)
                | ~Q(approved_by=F("recommended_by")),
                name="enterprise_maker_checker",
                violation_error_message="The person who recommended a licence cannot approve it.",
            ),
            models.CheckConstraint(
                condition=Q(planned_investment_usd__isnull=True)
                | Q(planned_investment_usd__gte=0, planned_investment_usd__lt=MAX_MONEY),
                name="enterprise_planned_investment_range",
                violation_error_message="Planned investment must be zero or more.",
            ),
            models.CheckConstraint(
                condition=Q(planned_jobs__isnull=True) | Q(planned_jobs__lte=MAX_EMPLOYEES),
                name="enterprise_planned_jobs_range",
                violation_error_message=f"Planned jobs cannot exceed {MAX_EMPLOYEES:,}.",
            ),
            models.UniqueConstraint(
                fields=["company", "zone"],
                condition=Q(status__in=LIVE_STATUSES),
                name="enterprise_one_live_licence_per_zone",
                violation_error_message="This company already has a live application or licence "
                "in this zone.",
            ),
            # The target of the plots' composite foreign key (enterprise, zone) on PostgreSQL:
            # a plot can only be held by an enterprise of its own zone.
            models.UniqueConstraint(fields=["id", "zone"], name="enterprise_id_zone"),
        ]
        indexes = [models.Index(fields=["zone", "status"], name="enterprise_zone_status")]

    def __str__(self):
        return f"{self.licence_number or 'Application'} · {self.company} in {self.zone}"

    def clean(self):
        # The same rule as the check constraint, reported against the field a person can fix.
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": "A licence must expire after the day it is issued."},
                code="expiry_before_issue",
            )

    def is_expired(self, as_of: datetime.date | None = None) -> bool:
        as_of = as_of or timezone.localdate()
        return (
            self.status in EXPIRING_STATUSES
            and self.expires_on is not None
            and self.expires_on < as_of
        )

    def current_status(self, as_of: datetime.date | None = None) -> str:
        """The status a person should see: `expired` once the expiry date has passed.

        Lists annotate the same as `effective_status` (EnterpriseQuerySet.with_effective_status).
        """
        return LicenceStatus.EXPIRED.value if self.is_expired(as_of) else self.status

    def get_effective_status_display(self) -> str:
        annotated = getattr(self, "effective_status", None)
        return LicenceStatus(annotated or self.current_status()).label


class LicenceEvent(models.Model):
    """A dated step in a licence's life, with who took it and why; written once, never edited."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=LicenceEventKind.choices)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # Renewals and amendments say what changed.
    previous_expires_on = models.DateField(null=True, blank=True)
    new_expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("enterprise", "occurred_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LicenceEventKind.values),
                name="licenceevent_kind_valid",
                violation_error_message="Unknown licence event.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on}"


class Plot(TimeStampedModel):
    """A numbered plot of land or built space in a zone, and who holds it."""

    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="plots")
    number = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=PlotKind.choices, default=PlotKind.LAND)
    area_m2 = models.DecimalField("area (m²)", max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=20, choices=PlotStatus.choices, default=PlotStatus.VACANT, db_index=True
    )
    # On PostgreSQL a composite foreign key (enterprise_id, zone_id) also ties the holder to
    # this plot's zone (migration 0002); the services check it on every database.
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="plots"
    )
    lease_starts_on = models.DateField(null=True, blank=True)
    lease_ends_on = models.DateField(null=True, blank=True)
    occupied_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = PlotQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("zone", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "number"],
                name="plot_number_unique_per_zone",
                violation_error_message="This zone already has a plot with this number.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlotStatus.values),
                name="plot_status_valid",
                violation_error_message="Unknown plot status.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PlotKind.values),
                name="plot_kind_valid",
                violation_error_message="Unknown plot kind.",
            ),
            models.CheckConstraint(
                condition=Q(area_m2__gt=0),
                name="plot_area_positive",
                violation_error_message="A plot's area must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(status=PlotStatus.VACANT, enterprise__isnull=True)
                | Q(status__in=HELD_PLOT_STATUSES, enterprise__isnull=False),
                name="plot_held_iff_not_vacant",
                violation_error_message="A vacant plot has no holder; a reserved, allocated or "
                "occupied one has exactly one.",
            ),
            models.CheckConstraint(
                condition=Q(lease_starts_on__isnull=True)
                | Q(lease_ends_on__isnull=True)
                | Q(lease_ends_on__gt=F("lease_starts_on")),
                name="plot_lease_ends_after_start",
                violation_error_message="A lease must end after it starts.",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"], name="plot_zone_status")]

    def __str__(self):
        return f"Plot {self.number} ({self.zone})"

    def clean(self):
        if (
            self.lease_starts_on
            and self.lease_ends_on
            and self.lease_ends_on <= self.lease_starts_on
        ):
            raise ValidationError(
                {"lease_ends_on": "A lease must end after it starts."}, code="lease_dates"
            )


class AnnualReturn(TimeStampedModel):
    """An enterprise's return for one fiscal year: jobs, exports, sales and investment."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="annual_returns"
    )
    fiscal_year = models.CharField(max_length=7, help_text="July–June, written as 2025-26.")
    # Fixed when the return is opened, so that a later change of the setting moves no deadline.
    due_on = models.DateField(db_index=True)
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DUE, db_index=True
    )
    employees_total = models.PositiveIntegerField(null=True, blank=True, validators=EMPLOYEES)
    employees_women = models.PositiveIntegerField(null=True, blank=True, validators=EMPLOYEES)
    employees_foreign = models.PositiveIntegerField(null=True, blank=True, validators=EMPLOYEES)
    exports_usd = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    # Sales and investment in the currency filed, converted at the rate on the year's last day.
    currency = models.CharField(max_length=3, default="USD")
    domestic_sales = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    domestic_sales_usd = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    investment = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    investment_usd = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    # The first submission: lateness is judged on it, not on a resubmission after a return.
    submitted_on = models.DateField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_by_staff = models.BooleanField(
        default=False, help_text="Entered by staff from a paper return."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="Why a return went back to the filer.")

    objects = AnnualReturnQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("-fiscal_year", "enterprise")
        permissions = [("review_annualreturn", "Can accept or return an annual return")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "fiscal_year"],
                name="annualreturn_one_per_enterprise_year",
                violation_error_message="This enterprise already has a return for that year.",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__regex=FISCAL_YEAR_REGEX),
                name="annualreturn_fiscal_year_format",
                violation_error_message="Write the fiscal year as 2025-26.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values),
                name="annualreturn_status_valid",
                violation_error_message="Unknown return status.",
            ),
            models.CheckConstraint(
                condition=Q(employees_women__isnull=True)
                | Q(employees_women__lte=F("employees_total")),
                name="annualreturn_women_within_total",
                violation_error_message="Women employed cannot exceed the total employed.",
            ),
            models.CheckConstraint(
                condition=Q(employees_foreign__isnull=True)
                | Q(employees_foreign__lte=F("employees_total")),
                name="annualreturn_foreign_within_total",
                violation_error_message="Foreign staff cannot exceed the total employed.",
            ),
            models.CheckConstraint(
                condition=Q(employees_total__isnull=True) | Q(employees_total__lte=MAX_EMPLOYEES),
                name="annualreturn_employees_range",
                violation_error_message=f"Employees cannot exceed {MAX_EMPLOYEES:,}.",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": 0, f"{field}__lt": MAX_MONEY}),
                    name=f"annualreturn_{field}_range",
                    violation_error_message="Amounts cannot be negative.",
                )
                for field in (
                    "exports_usd",
                    "domestic_sales",
                    "domestic_sales_usd",
                    "investment",
                    "investment_usd",
                )
            ],
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_CODE_REGEX),
                name="annualreturn_currency_iso",
                violation_error_message="Currency must be a three-letter ISO 4217 code.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=FILED_RETURN_STATUSES)
                | Q(
                    employees_total__isnull=False,
                    employees_women__isnull=False,
                    employees_foreign__isnull=False,
                    exports_usd__isnull=False,
                    domestic_sales_usd__isnull=False,
                    investment_usd__isnull=False,
                    submitted_on__isnull=False,
                ),
                name="annualreturn_filed_has_figures",
                violation_error_message="A filed return needs every figure and its filing date.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="annualreturn_status_due"),
        ]

    def __str__(self):
        return f"{self.fiscal_year} return · {self.enterprise}"

    def clean(self):
        # Field-level messages for the rules the check constraints also hold.
        errors = {}
        if self.fiscal_year:
            try:
                fiscal_year_start_year(self.fiscal_year)
            except ValueError as exc:
                errors["fiscal_year"] = str(exc)
        total = self.employees_total
        if total is not None:
            if self.employees_women is not None and self.employees_women > total:
                errors["employees_women"] = (
                    f"Women employed ({self.employees_women:,}) cannot exceed the total "
                    f"employed ({total:,})."
                )
            if self.employees_foreign is not None and self.employees_foreign > total:
                errors["employees_foreign"] = (
                    f"Foreign staff ({self.employees_foreign:,}) cannot exceed the total "
                    f"employed ({total:,})."
                )
        if errors:
            raise ValidationError(errors, code="invalid_figures")

    def is_overdue(self, as_of: datetime.date | None = None) -> bool:
        as_of = as_of or timezone.localdate()
        return self.status in (ReturnStatus.DUE, ReturnStatus.RETURNED) and self.due_on < as_of
