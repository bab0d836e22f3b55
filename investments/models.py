from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from zones.models import local_text

from .choices import PledgeStatus, TargetMetric
from .querysets import ExchangeRateQuerySet, PledgeQuerySet

CURRENCY_CODE_REGEX = r"^[A-Z]{3}$"


class ExchangeRate(TimeStampedModel):
    """How many US dollars one unit of a currency was worth on a day."""

    currency = models.CharField(max_length=3, help_text="ISO 4217 code, such as PKR.")
    date = models.DateField()
    rate_to_usd = models.DecimalField(
        max_digits=20, decimal_places=10, help_text="US dollars for one unit of the currency."
    )
    source = models.CharField(max_length=200, blank=True)

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ("currency", "-date")
        get_latest_by = "date"
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"],
                name="exchangerate_one_per_currency_day",
                violation_error_message="There is already a rate for this currency on this day.",
            ),
            models.CheckConstraint(
                condition=Q(rate_to_usd__gt=0),
                name="exchangerate_rate_positive",
                violation_error_message="An exchange rate must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_CODE_REGEX),
                name="exchangerate_currency_iso",
                violation_error_message="Currency must be a three-letter ISO 4217 code.",
            ),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.rate_to_usd} USD on {self.date}"


class Pledge(TimeStampedModel):
    """Investment a company has pledged in a zone, with what has been realised so far."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="pledges"
    )
    zone = models.ForeignKey("zones.Zone", on_delete=models.PROTECT, related_name="pledges")
    registration = models.ForeignKey(
        "companies.InterestRegistration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    # Converted at the rate on (or latest before) pledged_on; set by pledge_record().
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2)
    pledged_on = models.DateField(db_index=True)
    status = models.CharField(
        max_length=20,
        choices=PledgeStatus.choices,
        default=PledgeStatus.ANNOUNCED,
        db_index=True,
    )
    # Running totals of the disbursements, kept by disbursement_record() in the
    # same transaction so that reports need not scan the disbursement table.
    realized_amount = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), editable=False
    )
    realized_usd = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal("0"), editable=False
    )
    description = models.TextField(blank=True)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("-pledged_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="pledge_amount_positive",
                violation_error_message="A pledge's amount must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__gte=0),
                name="pledge_amount_usd_not_negative",
                violation_error_message="A pledge's USD amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PledgeStatus.values),
                name="pledge_status_valid",
                violation_error_message="Unknown pledge status.",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=CURRENCY_CODE_REGEX),
                name="pledge_currency_iso",
                violation_error_message="Currency must be a three-letter ISO 4217 code.",
            ),
            models.CheckConstraint(
                condition=Q(realized_amount__gte=0) & Q(realized_amount__lte=F("amount")),
                name="pledge_realized_within_amount",
                violation_error_message="More cannot be realised than was pledged.",
            ),
            models.CheckConstraint(
                condition=Q(realized_usd__gte=0),
                name="pledge_realized_usd_not_negative",
                violation_error_message="Realised USD cannot be negative.",
            ),
        ]
        indexes = [
            # Covering: the per-zone and per-company sums (lists, reports, the home page) read
            # the index alone instead of every pledge row (a page of 100 zones at M: 44,793 →
            # 935 buffers per sum). `include` is PostgreSQL's; SQLite builds the plain index.
            models.Index(
                fields=["zone", "status"],
                include=["amount_usd", "realized_usd"],
                name="pledge_zone_status_sums",
            ),
            models.Index(
                fields=["company", "status"],
                include=["amount_usd", "realized_usd"],
                name="pledge_company_status_sums",
            ),
            # The default ordering: a page of the newest pledges reads 100 index entries
            # instead of sorting the table.
            models.Index(fields=["-pledged_on", "-id"], name="pledge_recent_first"),
        ]

    def __str__(self):
        return f"{self.company} → {self.zone}: {self.amount:,} {self.currency}"


class Disbursement(TimeStampedModel):
    """A tranche of a pledge actually invested, in the pledge's currency."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="disbursements")
    disbursed_on = models.DateField(db_index=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)

    # Reports as of a past day count the tranches recorded by then, deleted ones included.
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ("pledge", "disbursed_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="disbursement_amount_positive",
                violation_error_message="A disbursement's amount must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__gte=0),
                name="disbursement_amount_usd_not_negative",
                violation_error_message="A disbursement's USD amount cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.amount:,} on {self.disbursed_on}"


class Target(TimeStampedModel):
    """A programme goal that reports measure progress against."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    metric = models.CharField(max_length=30, choices=TargetMetric.choices)
    target_value = models.DecimalField(max_digits=20, decimal_places=2)
    baseline_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    # Figures measured outside the registry (IT exports) are entered by staff.
    reported_value = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    start_date = models.DateField()
    due_date = models.DateField()
    description = models.TextField(blank=True)
    # The home page shows it to Urdu readers; empty, they see the English.
    name_ur = models.CharField("name in Urdu", max_length=200, blank=True)

    class Meta:
        ordering = ("due_date", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gt=0),
                name="target_value_positive",
                violation_error_message="A target must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")),
                name="target_due_after_start",
                violation_error_message="A target cannot be due before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(metric__in=TargetMetric.values),
                name="target_metric_valid",
                violation_error_message="Unknown target metric.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def local_name(self) -> str:
        return local_text(self.name, self.name_ur)


# ---------------------------------------------------------------------------
# Summary rows: pledge figures kept current on every write (investments/summaries.py), so
# that lists, reports and the home page read a few rows per zone instead of every pledge.


class PledgeFigures(models.Model):
    """The additive measures every summary row carries, for the pledges of its key."""

    pledge_count = models.BigIntegerField(default=0)
    # Pledges with something realised: the investment funnel's last stage.
    realized_count = models.BigIntegerField(default=0)
    amount_usd = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))
    realized_usd = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))

    class Meta:
        abstract = True


class ZonePledgeTotal(PledgeFigures):
    """A zone's pledges in one status (cancelled kept: reports show them by status)."""

    zone = models.ForeignKey("zones.Zone", on_delete=models.CASCADE, related_name="pledge_totals")
    status = models.CharField(max_length=20, choices=PledgeStatus.choices)

    class Meta:
        ordering = ("zone", "status")
        constraints = [
            models.UniqueConstraint(fields=["zone", "status"], name="zone_pledge_total_key")
        ]

    def __str__(self):
        return f"{self.zone_id}/{self.status}: {self.pledge_count}"


class CompanyPledgeTotal(PledgeFigures):
    """A company's pledges in one status."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="pledge_totals"
    )
    status = models.CharField(max_length=20, choices=PledgeStatus.choices)

    class Meta:
        ordering = ("company", "status")
        constraints = [
            models.UniqueConstraint(fields=["company", "status"], name="company_pledge_total_key")
        ]

    def __str__(self):
        return f"{self.company_id}/{self.status}: {self.pledge_count}"


class QuarterFigures(PledgeFigures):
    """A status, company origin and quarter: the investment report's cube dimensions.

    The pledge measures count pledges made in the quarter (by `pledged_on`); the disbursement
    measures count tranches paid in it (by `disbursed_on`) against pledges of this status and
    origin. Fiscal years are whole quarters, so they are sums of these rows.
    """

    status = models.CharField(max_length=20, choices=PledgeStatus.choices)
    origin = models.CharField(max_length=10)
    quarter = models.DateField(help_text="The quarter's first day.")
    disbursement_count = models.BigIntegerField(default=0)
    disbursed_usd = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal("0"))

    class Meta:
        abstract = True


class PledgeQuarterTotal(QuarterFigures):
    """The cube per zone: pledges by zone, status, company origin and quarter."""

    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, related_name="pledge_quarter_totals"
    )

    class Meta:
        ordering = ("zone", "quarter", "status", "origin")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "status", "origin", "quarter"], name="pledge_quarter_total_key"
            )
        ]

    def __str__(self):
        return f"{self.zone_id}/{self.status}/{self.origin}/{self.quarter}: {self.pledge_count}"


class ProgrammePledgeTotal(QuarterFigures):
    """`PledgeQuarterTotal` without the zone: the unfiltered investment report's few rows.

    A few hundred rows for the whole programme (status × origin × quarter), where the
    per-zone cube has one per zone as well. Every pledge write in a quarter adds to the same
    row, so writers of one quarter, status and origin queue on it until they commit.
    """

    class Meta:
        ordering = ("quarter", "status", "origin")
        constraints = [
            models.UniqueConstraint(
                fields=["status", "origin", "quarter"], name="programme_pledge_total_key"
            )
        ]

    def __str__(self):
        return f"{self.status}/{self.origin}/{self.quarter}: {self.pledge_count}"
