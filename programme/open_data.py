"""Open data: the datasets the public site offers as CSV and JSON, declared once each.

Each `Dataset` declares its columns (name, type, meaning, unit) and builds its rows from the
same selectors and report functions the API uses, so a file, its data dictionary and the API's
figures cannot disagree. What may be published is decided here and below, never in a view:

- zones: the fields the public zone pages show, with pledged and realised USD;
- enterprises: the public register (issued licences only, `public_register()`), never a contact,
  a planned figure or an annual return;
- the four reports: aggregates only, the performance report always with disclosure control
  (enterprises.disclosure), exactly as the API gives it to partners and the public.

"Last updated" is read from the data: the newest `updated` (or deletion) stamp of the rows a
dataset is made of, and, where a figure depends on today's date (a licence that lapsed, a
return that fell due), the day that figure last changed by itself.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from companies.models import Company, InterestRegistration
from enterprises.models import AnnualReturn, Enterprise, Plot
from enterprises.querysets import licence_expired_q
from enterprises.selectors import ZoneOperating
from investments.models import Disbursement, Pledge, Target
from investments.selectors import zones_with_pledge_totals
from programme import reports
from programme.choices import SyncResource
from programme.models import Tombstone
from programme.performance import performance_report
from zones.models import Sector, Zone, ZoneDeveloper

LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Contains data from the Technology Zones Registry of the Technology Zones "
    "Authority, Pakistan, published under CC BY 4.0.",
}

Row = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a dataset: its name in the files, type, meaning and unit."""

    name: str
    type: str  # text, integer, decimal, date, boolean
    # Lazy: the page shows them in the reader's language; the files force English.
    description: str | Promise
    unit: str | Promise = ""
    # Report datasets: the sections (tables) whose rows carry this column; empty for all rows.
    sections: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Dataset:
    """A downloadable table: its columns, how its rows are built, when its data last changed."""

    slug: str
    title: str | Promise
    description: str | Promise
    frequency: str | Promise
    columns: tuple[Column, ...]
    rows: Callable[[], list[Row]]
    # Querysets whose newest `updated` stamps (and tombstones of these resources) date the data.
    sources: Callable[[], Sequence[QuerySet]]
    deleted_resources: tuple[str, ...] = ()
    # The latest moment a figure changed by the calendar alone (a lapse, a due date); or None.
    calendar_change: Callable[[datetime.date], datetime.datetime | None] | None = None
    api_path: str = ""

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def is_report(self) -> bool:
        return self.columns[0].name == "section"


# ---------------------------------------------------------------------------
# Zones


def _zone_rows() -> list[Row]:
    # Typed loosely: the pledge totals are annotations the type checker cannot see.
    zones: QuerySet[Any, Any] = (
        zones_with_pledge_totals(Zone.objects.select_related("developer"))
        .prefetch_related("sectors")
        .order_by("name", "pk")
    )
    return [
        {
            "slug": zone.slug,
            "name": zone.name,
            "developer": zone.developer.name,
            "city": zone.city,
            "province": zone.province,
            "country": zone.country.code,
            "status": zone.status,
            "latitude": zone.latitude,
            "longitude": zone.longitude,
            "area_hectares": zone.area_hectares,
            "target_opening_date": zone.target_opening_date,
            "actual_opening_date": zone.actual_opening_date,
            # Sorted in Python from the prefetch: ordering the prefetch would query per zone.
            "sectors": "; ".join(sorted(sector.slug for sector in zone.sectors.all())),
            "pledged_usd": reports.money(zone.pledged_usd),
            "realized_usd": reports.money(zone.realized_usd),
        }
        for zone in zones
    ]


ZONES = Dataset(
    slug="zones",
    title=_("Technology zones"),
    description=_(
        "Every zone in the registry: who develops it, where it is, how far its rollout "
        "has come, its sectors, and the private investment pledged and realised in it."
    ),
    frequency=_("Whenever staff record a change: a zone's status, a pledge or a disbursement."),
    api_path="/api/v1/zones/",
    columns=(
        Column("slug", "text", _("The zone's identifier, as in its web address and the API.")),
        Column("name", "text", _("The zone's name.")),
        Column("developer", "text", _("The company licensed to build and run the zone.")),
        Column("city", "text", _("City.")),
        Column("province", "text", _("Province or region.")),
        Column("country", "text", _("Country."), _("ISO 3166-1 alpha-2 code")),
        Column(
            "status",
            "text",
            _(
                "Rollout stage: proposed, approved, under_development, operational, suspended "
                "or cancelled."
            ),
        ),
        Column(
            "latitude",
            "decimal",
            _("Latitude of the zone's centre (blank if not known)."),
            _("degrees (WGS 84)"),
        ),
        Column(
            "longitude",
            "decimal",
            _("Longitude of the zone's centre (blank if not known)."),
            _("degrees (WGS 84)"),
        ),
        Column("area_hectares", "decimal", _("Land area (blank if not known)."), _("hectares")),
        Column("target_opening_date", "date", _("The planned opening date."), _("ISO 8601 date")),
        Column("actual_opening_date", "date", _("The day the zone opened."), _("ISO 8601 date")),
        Column("sectors", "text", _("The zone's sectors, as slugs separated by “; ”.")),
        Column(
            "pledged_usd",
            "decimal",
            _("Private investment pledged, cancelled pledges excluded."),
            _("US dollars"),
        ),
        Column(
            "realized_usd", "decimal", _("Investment actually disbursed so far."), _("US dollars")
        ),
    ),
    rows=_zone_rows,
    sources=lambda: (
        Zone.objects.all(),
        ZoneDeveloper.objects.filter(zones__isnull=False),
        Sector.objects.all(),
        Pledge.objects.all(),
        Disbursement.objects.all(),
    ),
    deleted_resources=(SyncResource.ZONE, SyncResource.DEVELOPER, SyncResource.PLEDGE),
)


# ---------------------------------------------------------------------------
# The public register of enterprises


def _register() -> QuerySet[Enterprise]:
    return Enterprise.objects.public_register()


def _enterprise_rows() -> list[Row]:
    enterprises = (
        _register()
        .with_effective_status()
        .select_related("company", "zone")
        .order_by("licence_number")
    )
    return [
        {
            "licence_number": enterprise.licence_number,
            "company": enterprise.company.name,
            "zone": enterprise.zone.slug,
            "zone_name": enterprise.zone.name,
            "status": enterprise.effective_status,
            "activities": enterprise.activities,
            "issued_on": enterprise.issued_on,
            "expires_on": enterprise.expires_on,
        }
        for enterprise in enterprises
    ]


def _last_lapse(enterprises: QuerySet) -> Callable[[datetime.date], datetime.datetime | None]:
    """The start of the day after the latest expiry that has passed: when a licence read expired."""

    def last_lapse(today: datetime.date) -> datetime.datetime | None:
        latest = enterprises.filter(licence_expired_q(today)).aggregate(d=Max("expires_on"))["d"]
        return _start_of(latest + datetime.timedelta(days=1)) if latest else None

    return last_lapse


ENTERPRISES = Dataset(
    slug="enterprises",
    title=_("Public register of zone enterprises"),
    description=_(
        "Every licence the authority has issued to operate in a zone: who holds it, "
        "where, what for, and whether it is in force. Applications not yet licensed are not listed."
    ),
    frequency=_(
        "Whenever a licence is issued, renewed, suspended, reinstated, revoked or "
        "surrendered, and on the day after a licence expires."
    ),
    api_path="/api/v1/enterprises/",
    columns=(
        Column("licence_number", "text", _("The licence number (unique).")),
        Column("company", "text", _("The company holding the licence.")),
        Column("zone", "text", _("The zone's slug (see the zones dataset).")),
        Column("zone_name", "text", _("The zone's name.")),
        Column(
            "status",
            "text",
            _(
                "licensed, suspended, revoked, surrendered or expired (a licence past its expiry "
                "date reads as expired)."
            ),
        ),
        Column("activities", "text", _("What the enterprise is licensed to do in the zone.")),
        Column("issued_on", "date", _("The day the licence was issued."), _("ISO 8601 date")),
        Column("expires_on", "date", _("The day the licence expires."), _("ISO 8601 date")),
    ),
    rows=_enterprise_rows,
    sources=lambda: (
        _register(),
        Company.objects.filter(enterprises__in=_register()),
        Zone.objects.filter(enterprises__in=_register()),
    ),
    calendar_change=lambda today: _last_lapse(_register())(today),
)


# ---------------------------------------------------------------------------
# Reports: one table per report, a `section` column naming the part of the report a row
# belongs to, as the API's `?format=csv` does.


def _field_names(shape: Any) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(shape))


def _section_rows(sections: Iterable[tuple[str, Iterable[Any]]]) -> list[Row]:
    rows = []
    for section, entries in sections:
        for entry in entries:
            is_shape = dataclasses.is_dataclass(entry) and not isinstance(entry, type)
            values = dataclasses.asdict(entry) if is_shape else dict(entry)
            rows.append({"section": section, **values})
    return rows


def _report_columns(
    sections: Sequence[tuple[str, Sequence[str]]], described: dict[str, tuple[str, str, str]]
) -> tuple[Column, ...]:
    """The section column, then every section's fields in first-seen order, each described.

    A field without a description is a programming error: the dictionary would lie by omission.
    """
    order: dict[str, list[str]] = {}
    for section, fields in sections:
        for name in fields:
            order.setdefault(name, []).append(section)
    missing = set(order) - set(described)
    if missing:
        raise ValueError(f"Describe the columns {sorted(missing)} for the open data dictionary.")
    return (
        Column(
            "section",
            "text",
            format_lazy(
                _("The part of the report the row belongs to: {sections}."),
                sections=", ".join(section for section, _fields in sections),
            ),
        ),
        *(Column(name, *described[name], sections=tuple(order[name])) for name in order),
    )


COMMON = {
    "status": ("text", _("The status the row counts."), ""),
    "label": ("text", _("A readable name for the row's status, origin or sector."), ""),
    "zone": ("text", _("Zone slug."), ""),
    "zone_name": ("text", _("Zone name."), ""),
    "province": ("text", _("Province or region."), ""),
    "quarter": ("text", _("Calendar quarter, e.g. 2026-Q3."), ""),
    "quarter_start": ("date", _("First day of the quarter."), _("ISO 8601 date")),
    "zone_count": ("integer", _("Zones."), _("zones")),
    "operational_count": ("integer", _("Zones operational."), _("zones")),
    "company_count": ("integer", _("Distinct companies."), _("companies")),
    "registration_count": ("integer", _("Interest registrations."), _("registrations")),
    "pledged_usd": ("decimal", _("Pledged, cancelled pledges excluded."), _("US dollars")),
    "committed_usd": ("decimal", _("Committed, in progress or realised pledges."), _("US dollars")),
    "realized_usd": ("decimal", _("Disbursed so far."), _("US dollars")),
    "pledge_count": ("integer", _("Pledges (cancelled excluded, except by status)."), _("pledges")),
    # Targets (every report carries the targets it measures).
    "slug": ("text", _("Target identifier."), ""),
    "name": ("text", _("Target name."), ""),
    "metric": ("text", _("What the target measures (pledged_usd, zones_operational, …)."), ""),
    "target_value": ("decimal", _("The target."), _("the metric's unit (US dollars, zones, …)")),
    "baseline_value": ("decimal", _("The value when the target was set."), _("the metric's unit")),
    "current_value": (
        "decimal",
        _("The value now, within the target's window."),
        _("the metric's unit"),
    ),
    "percent_reached": ("decimal", _("Current value as a share of the target."), _("per cent")),
    "start_date": ("date", _("First day of the target's window."), _("ISO 8601 date")),
    "due_date": ("date", _("Last day of the target's window."), _("ISO 8601 date")),
}
AREA = _("square metres")
ROLLOUT_DESCRIBED = {
    **COMMON,
    "under_development_count": ("integer", _("Zones under development."), _("zones")),
    "planned_openings": (
        "integer",
        _("Zones due to open in the quarter (target date)."),
        _("zones"),
    ),
    "actual_openings": ("integer", _("Zones that opened in the quarter."), _("zones")),
    **{
        f"{status}_count": (
            "integer",
            format_lazy(_("Licences whose status is {status}."), status=status),
            _("licences"),
        )
        for status in (
            "applied",
            "approved",
            "licensed",
            "suspended",
            "expired",
            "revoked",
            "surrendered",
        )
    },
    "plot_count": ("integer", _("Plots and built spaces."), _("plots")),
    "allocated_plot_count": ("integer", _("Plots allocated."), _("plots")),
    "occupied_plot_count": ("integer", _("Plots occupied."), _("plots")),
    "total_area_m2": ("decimal", _("Area of all plots."), AREA),
    "allocated_area_m2": ("decimal", _("Area allocated."), AREA),
    "occupied_area_m2": ("decimal", _("Area occupied."), AREA),
    "occupancy_pct": (
        "decimal",
        _("Allocated and occupied area as a share of all plots' area."),
        _("per cent"),
    ),
}
INVESTMENT_DESCRIBED = {
    **COMMON,
    "origin": ("text", _("Company origin: domestic or global."), ""),
    "stage": ("text", _("Funnel stage: registered, accepted, pledged, committed, realized."), ""),
    "count": ("integer", _("Registrations or pledges at the funnel stage."), ""),
    "amount_usd": (
        "decimal",
        _("Pledges in the status, or the funnel stage's amount."),
        _("US dollars"),
    ),
}
COMPANIES_DESCRIBED = {
    **COMMON,
    "origin": ("text", _("Company origin: domestic or global."), ""),
    "sector": ("text", _("Sector slug (blank: not given)."), ""),
}
RETURN_FIGURES_DESCRIBED = {
    "fiscal_year": ("text", _("Pakistan's fiscal year, July–June, e.g. 2025-26."), ""),
    "zone": COMMON["zone"],
    "zone_name": COMMON["zone_name"],
    "enterprise_count": (
        "integer",
        _("Enterprises whose accepted returns are counted."),
        _("enterprises"),
    ),
    "return_count": ("integer", _("Annual returns."), _("returns")),
    "employees_total": ("integer", _("Employees (blank when withheld)."), _("people")),
    "employees_women": ("integer", _("Women employed (blank when withheld)."), _("people")),
    "employees_foreign": ("integer", _("Foreign staff (blank when withheld)."), _("people")),
    "exports_usd": ("decimal", _("Exports (blank when withheld)."), _("US dollars")),
    "domestic_sales_usd": ("decimal", _("Domestic sales (blank when withheld)."), _("US dollars")),
    "investment_usd": (
        "decimal",
        _("Investment made in the year (blank when withheld)."),
        _("US dollars"),
    ),
    "suppressed": (
        "boolean",
        _(
            "True when the figures are withheld: fewer than 3 enterprises, or "
            "needed to keep such a group from being derived from the total."
        ),
        "",
    ),
    "due_count": ("integer", _("Returns due before today."), _("returns")),
    "filed_on_time_count": ("integer", _("Returns filed by their due date."), _("returns")),
    "filed_late_count": ("integer", _("Returns filed after their due date."), _("returns")),
    "overdue_count": ("integer", _("Returns past due and not (or no longer) filed."), _("returns")),
    "accepted_count": ("integer", _("Returns accepted."), _("returns")),
    "not_yet_due_count": ("integer", _("Returns not yet due and not filed."), _("returns")),
}

ROLLOUT_SECTIONS = (
    ("totals", _field_names(reports.RolloutTotals)),
    ("by_status", _field_names(reports.ZoneStatusCount)),
    ("by_province", _field_names(reports.ProvinceRollout)),
    ("openings_by_quarter", _field_names(reports.QuarterOpenings)),
    ("operating_by_zone", _field_names(ZoneOperating)),
    ("targets", _field_names(reports.TargetProgress)),
)
INVESTMENT_SECTIONS = (
    ("totals", _field_names(reports.PledgeMeasures)),
    ("by_zone", _field_names(reports.ZoneInvestment)),
    ("by_origin", _field_names(reports.OriginInvestment)),
    ("by_status", _field_names(reports.StatusInvestment)),
    ("by_quarter", _field_names(reports.QuarterInvestment)),
    ("funnel", _field_names(reports.FunnelStage)),
    ("targets", _field_names(reports.TargetProgress)),
)
COMPANIES_SECTIONS = (
    ("totals", _field_names(reports.CompanyTotals)),
    ("by_origin", _field_names(reports.OriginCompanies)),
    ("by_zone", _field_names(reports.ZoneCompanies)),
    ("by_sector", _field_names(reports.SectorCompanies)),
    ("by_status", _field_names(reports.RegistrationStatusCount)),
    ("targets", _field_names(reports.TargetProgress)),
)
_FIGURES = (
    "enterprise_count",
    "return_count",
    "employees_total",
    "employees_women",
    "employees_foreign",
    "exports_usd",
    "domestic_sales_usd",
    "investment_usd",
    "suppressed",
)
PERFORMANCE_SECTIONS = (
    ("by_year", ("fiscal_year", *_FIGURES)),
    ("by_zone_and_year", ("fiscal_year", "zone", "zone_name", *_FIGURES)),
    (
        "compliance",
        (
            "fiscal_year",
            "return_count",
            "due_count",
            "filed_on_time_count",
            "filed_late_count",
            "overdue_count",
            "accepted_count",
            "not_yet_due_count",
        ),
    ),
)


def _report_rows(report: Any, sections: Sequence[tuple[str, Sequence[str]]]) -> list[Row]:
    """Rows of every section of a report (a dataclass or the performance report's dict)."""

    def section(name: str) -> list[Any]:
        content = report[name] if isinstance(report, dict) else getattr(report, name)
        return list(content) if isinstance(content, list | tuple) else [content]

    return _section_rows((name, section(name)) for name, _ in sections)


def _rollout_rows() -> list[Row]:
    return _report_rows(reports.rollout_report(), ROLLOUT_SECTIONS)


def _investment_rows() -> list[Row]:
    return _report_rows(reports.investment_report(), INVESTMENT_SECTIONS)


def _companies_rows() -> list[Row]:
    return _report_rows(reports.companies_report(), COMPANIES_SECTIONS)


def _performance_rows() -> list[Row]:
    # Always disclosure-controlled: these files are public.
    return _report_rows(performance_report(disclosure_control=True), PERFORMANCE_SECTIONS)


def _last_due(today: datetime.date) -> datetime.datetime | None:
    """When a return last fell due (and so moved from not yet due to due or overdue)."""
    latest = AnnualReturn.objects.filter(due_on__lt=today).aggregate(d=Max("due_on"))["d"]
    return _start_of(latest) if latest else None


ROLLOUT = Dataset(
    slug="rollout-report",
    title=_("Rollout report"),
    description=_(
        "Zones by status and province, openings by quarter (planned against actual), "
        "licences, plots and occupancy per zone, and progress against the zones-operational target."
    ),
    frequency=_(
        "Whenever a zone, licence, plot or target changes, and on the day after a licence expires."
    ),
    api_path="/api/v1/reports/rollout/",
    columns=_report_columns(ROLLOUT_SECTIONS, ROLLOUT_DESCRIBED),
    rows=_rollout_rows,
    sources=lambda: (
        Zone.objects.all(),
        Enterprise.objects.all(),
        Plot.objects.all(),
        Target.objects.all(),
    ),
    deleted_resources=(SyncResource.ZONE,),
    calendar_change=lambda today: _last_lapse(Enterprise.objects.all())(today),
)
INVESTMENT = Dataset(
    slug="investment-report",
    title=_("Investment report"),
    description=_(
        "Private investment pledged, committed and realised, in total and by zone, "
        "origin, status and quarter; the funnel from registration to realised money; progress "
        "against the investment targets."
    ),
    frequency=_("Whenever a pledge, disbursement, registration or target changes."),
    api_path="/api/v1/reports/investment/",
    columns=_report_columns(INVESTMENT_SECTIONS, INVESTMENT_DESCRIBED),
    rows=_investment_rows,
    sources=lambda: (
        Pledge.objects.all(),
        Disbursement.objects.all(),
        Zone.objects.all(),
        Company.objects.all(),
        InterestRegistration.objects.all(),
        Target.objects.all(),
    ),
    deleted_resources=(
        SyncResource.ZONE,
        SyncResource.COMPANY,
        SyncResource.PLEDGE,
        SyncResource.INTEREST,
    ),
)
COMPANIES = Dataset(
    slug="companies-report",
    title=_("Companies report"),
    description=_(
        "Companies that registered interest, by origin, zone and sector, and "
        "registrations by status. No company is named and no contact is given."
    ),
    frequency=_("Whenever a registration is received or changes status."),
    api_path="/api/v1/reports/companies/",
    columns=_report_columns(COMPANIES_SECTIONS, COMPANIES_DESCRIBED),
    rows=_companies_rows,
    sources=lambda: (
        InterestRegistration.objects.all(),
        Company.objects.all(),
        Sector.objects.all(),
        Zone.objects.all(),
        Target.objects.all(),
    ),
    deleted_resources=(SyncResource.ZONE, SyncResource.COMPANY, SyncResource.INTEREST),
)
PERFORMANCE = Dataset(
    slug="performance-report",
    title=_("Performance report"),
    description=_(
        "What licensed enterprises employ, export and invest, from accepted annual "
        "returns, by fiscal year and by zone and year, and how many returns were filed on time. "
        "Any figure over fewer than 3 enterprises is withheld."
    ),
    frequency=_("Whenever an annual return is accepted, and as returns fall due."),
    api_path="/api/v1/reports/performance/",
    columns=_report_columns(PERFORMANCE_SECTIONS, RETURN_FIGURES_DESCRIBED),
    rows=_performance_rows,
    sources=lambda: (AnnualReturn.objects.all(), Enterprise.objects.all(), Zone.objects.all()),
    deleted_resources=(SyncResource.ZONE,),
    calendar_change=_last_due,
)

DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset
    for dataset in (ZONES, ENTERPRISES, ROLLOUT, INVESTMENT, COMPANIES, PERFORMANCE)
}


# ---------------------------------------------------------------------------
# Reading a dataset


def dataset_get(slug: str) -> Dataset | None:
    return DATASETS.get(slug)


def dataset_rows(dataset: Dataset) -> list[Row]:
    """The dataset's rows, each with exactly the declared columns in order (blank: None)."""
    names = dataset.column_names
    return [{name: row.get(name) for name in names} for row in dataset.rows()]


def dataset_last_updated(
    dataset: Dataset, *, today: datetime.date | None = None
) -> datetime.datetime | None:
    """The newest change to the rows the dataset is made of; None for an empty registry.

    One aggregate query per source: a constant number whatever the number of rows.
    """
    today = today or timezone.localdate()
    stamps = [source.order_by().aggregate(t=Max("updated"))["t"] for source in dataset.sources()]
    if dataset.deleted_resources:
        stamps.append(
            Tombstone.objects.filter(resource__in=dataset.deleted_resources).aggregate(
                t=Max("deleted_at")
            )["t"]
        )
    if dataset.calendar_change is not None:
        stamps.append(dataset.calendar_change(today))
    known = [stamp for stamp in stamps if stamp is not None]
    return max(known) if known else None


def json_value(value: Any) -> Any:
    """A cell as JSON: money and measures as decimal strings (as the API), dates in ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
