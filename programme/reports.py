"""Programme figures. One function per report, shared by every surface.

The admin dashboard, the public home page and the API's reports call these
functions, so the figures they show cannot disagree. Every figure is aggregated
in the database (portable ORM: SQLite and PostgreSQL); Python only labels and
merges the few grouped rows that come back.

Filters (`ReportFilters`) narrow every report to zones (by id) and/or a province and
to a date range. Which date the range applies to is part of each report's contract:

- rollout: zones' planned and actual opening dates (the openings by quarter);
- investment: the pledge date. Figures for a pledge (pledged, committed, realised so
  far) follow the pledge; realised money by quarter counts each disbursement in the
  quarter it was paid;
- companies: the date a registration was received.

`as_of` (a past day) runs a report over the registry as it stood at the end of that day
(programme.as_of); without it, or for today, a report reads the live registry.

Targets always measure the whole programme within their own window: a target of a
dozen zones says nothing about one province.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncQuarter

from companies import summaries as registration_tallies
from companies.choices import AWAITING_REVIEW, Origin, RegistrationStatus
from companies.models import Company, InterestRegistration
from core import tallies
from core.query import CENT, MONEY_SUM
from enterprises.selectors import ZoneOperating, operating_by_zone
from investments import summaries
from investments.choices import PledgeStatus, TargetMetric
from investments.models import (
    Disbursement,
    Pledge,
    PledgeQuarterTotal,
    ProgrammePledgeTotal,
    Target,
    ZonePledgeTotal,
)
from investments.querysets import COMMITTED, COUNTS_TOWARDS_PROGRAMME
from zones.choices import ZoneStatus
from zones.models import Sector, Zone

from .as_of import is_past, reading_as_of, registry_as_of

INVESTMENT_METRICS = (TargetMetric.PLEDGED_USD, TargetMetric.REALIZED_USD)
ROLLOUT_METRICS = (TargetMetric.ZONES_OPERATIONAL,)
COMPANY_METRICS = (TargetMetric.COMPANIES_INTERESTED,)


@dataclass(frozen=True)
class ReportFilters:
    """What a report is narrowed to; the default covers the whole programme."""

    zone_ids: tuple[int, ...] = ()
    province: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    as_of: datetime.date | None = None

    def zone_q(self, prefix: str = "") -> Q:
        """Q selecting the zones in scope, through `prefix` (e.g. "zone__") from another model."""
        condition = Q()
        if self.zone_ids:
            condition &= Q(**{f"{prefix}pk__in": self.zone_ids})
        if self.province:
            condition &= Q(**{f"{prefix}province__iexact": self.province})
        return condition

    def date_q(self, field: str) -> Q:
        condition = Q()
        if self.date_from:
            condition &= Q(**{f"{field}__gte": self.date_from})
        if self.date_to:
            condition &= Q(**{f"{field}__lte": self.date_to})
        return condition


PROGRAMME = ReportFilters()

ReportT = TypeVar("ReportT")


def as_of_aware(report: Callable[[ReportFilters], ReportT]) -> Callable[[ReportFilters], ReportT]:
    """`report`, run over the registry as of `filters.as_of` when that is a past day."""

    @functools.wraps(report)
    def run(filters: ReportFilters = PROGRAMME) -> ReportT:
        if filters.as_of is not None and is_past(filters.as_of):
            with registry_as_of(filters.as_of):
                return report(filters)
        return report(filters)

    return run


# ---------------------------------------------------------------------------
# Report shapes: what each report returns. The API serializers, the CSV, the admin
# dashboard and the public pages all format from these (a test keeps the serializers'
# fields equal to them, field for field and in order).


@dataclass(frozen=True)
class TargetProgress:
    """A target's current value within its window, and the share reached (None: unreported)."""

    slug: str
    name: str
    metric: str
    target_value: Decimal
    baseline_value: Decimal | None
    current_value: Decimal | None
    percent_reached: Decimal | None
    start_date: datetime.date
    due_date: datetime.date


@dataclass(frozen=True)
class ZoneStatusCount:
    status: str
    label: str
    zone_count: int


@dataclass(frozen=True)
class ProvinceRollout:
    province: str
    zone_count: int
    operational_count: int
    under_development_count: int


@dataclass(frozen=True)
class QuarterOpenings:
    quarter: str
    quarter_start: datetime.date
    planned_openings: int
    actual_openings: int


@dataclass(frozen=True)
class RolloutTotals:
    zone_count: int
    operational_count: int


@dataclass(frozen=True)
class RolloutReport:
    filters: ReportFilters
    totals: RolloutTotals
    by_status: tuple[ZoneStatusCount, ...]
    by_province: tuple[ProvinceRollout, ...]
    openings_by_quarter: tuple[QuarterOpenings, ...]
    operating_by_zone: tuple[ZoneOperating, ...]
    targets: tuple[TargetProgress, ...]


@dataclass(frozen=True)
class PledgeMeasures:
    """Pledged, committed and realised USD (cancelled pledges excluded) and the pledge count."""

    pledged_usd: Decimal
    committed_usd: Decimal
    realized_usd: Decimal
    pledge_count: int


@dataclass(frozen=True)
class ZoneInvestment(PledgeMeasures):
    zone: str
    zone_name: str


@dataclass(frozen=True)
class OriginInvestment(PledgeMeasures):
    origin: str
    label: str


@dataclass(frozen=True)
class StatusInvestment:
    status: str
    label: str
    amount_usd: Decimal
    realized_usd: Decimal
    pledge_count: int


@dataclass(frozen=True)
class QuarterInvestment:
    quarter: str
    quarter_start: datetime.date
    pledged_usd: Decimal
    committed_usd: Decimal
    realized_usd: Decimal


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    label: str
    count: int
    company_count: int
    amount_usd: Decimal | None


@dataclass(frozen=True)
class InvestmentReport:
    filters: ReportFilters
    totals: PledgeMeasures
    by_zone: tuple[ZoneInvestment, ...]
    by_origin: tuple[OriginInvestment, ...]
    by_status: tuple[StatusInvestment, ...]
    by_quarter: tuple[QuarterInvestment, ...]
    funnel: tuple[FunnelStage, ...]
    targets: tuple[TargetProgress, ...]


@dataclass(frozen=True)
class CompanyTotals:
    registration_count: int
    company_count: int


@dataclass(frozen=True)
class OriginCompanies:
    origin: str
    label: str
    company_count: int


@dataclass(frozen=True)
class ZoneCompanies:
    zone: str
    zone_name: str
    company_count: int
    registration_count: int


@dataclass(frozen=True)
class SectorCompanies:
    sector: str
    label: str
    company_count: int


@dataclass(frozen=True)
class RegistrationStatusCount:
    status: str
    label: str
    registration_count: int
    company_count: int


@dataclass(frozen=True)
class CompaniesReport:
    filters: ReportFilters
    totals: CompanyTotals
    by_origin: tuple[OriginCompanies, ...]
    by_zone: tuple[ZoneCompanies, ...]
    by_sector: tuple[SectorCompanies, ...]
    by_status: tuple[RegistrationStatusCount, ...]
    targets: tuple[TargetProgress, ...]


@dataclass(frozen=True)
class ProgrammeSummary:
    """The headline figures of the admin dashboard and the public home page."""

    zone_count: int
    zones_by_status: dict[str, int]
    companies_by_origin: dict[str, int]
    registrations_by_status: dict[str, int]
    registrations_awaiting_review: int
    pledged_usd: Decimal
    committed_usd: Decimal
    realized_usd: Decimal
    pledge_count: int
    targets: tuple[TargetProgress, ...]


def money(value) -> Decimal:
    """A sum as Decimal cents (SQLite hands sums back as floats; None means nothing)."""
    return Decimal(value or 0).quantize(CENT)


def quarter_label(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# ---------------------------------------------------------------------------
# Targets


def target_progress(target: Target) -> TargetProgress:
    """The current value of a target's metric within its window, and the share reached."""
    if target.metric in INVESTMENT_METRICS and _whole_quarters(target.start_date, target.due_date):
        current = money(_quarter_target_value(target))
    elif target.metric == TargetMetric.PLEDGED_USD:
        current = money(
            Pledge.objects.active()
            .filter(pledged_on__range=(target.start_date, target.due_date))
            .aggregate(v=Sum("amount_usd"))["v"]
        )
    elif target.metric == TargetMetric.REALIZED_USD:
        current = money(
            Disbursement.objects.filter(
                disbursed_on__range=(target.start_date, target.due_date)
            ).aggregate(v=Sum("amount_usd"))["v"]
        )
    elif target.metric == TargetMetric.ZONES_OPERATIONAL:
        current = Decimal(Zone.objects.in_programme().operational().count())
    elif target.metric == TargetMetric.COMPANIES_INTERESTED:
        current = Decimal(
            InterestRegistration.objects.order_by().values("company").distinct().count()
        )
    else:
        current = target.reported_value
    share = None
    if current is not None:
        share = (Decimal(current) / target.target_value * 100).quantize(Decimal("0.1"))
    return TargetProgress(
        slug=target.slug,
        name=target.name,
        metric=target.metric,
        target_value=target.target_value,
        baseline_value=target.baseline_value,
        current_value=current,
        percent_reached=share,
        start_date=target.start_date,
        due_date=target.due_date,
    )


def _whole_quarters(start: datetime.date, end: datetime.date) -> bool:
    """Whether [start, end] is a run of whole quarters, which the summary rows can answer."""
    after = end + datetime.timedelta(days=1)
    return (
        not reading_as_of()
        and start.day == 1
        and start.month % 3 == 1
        and after.day == 1
        and after.month % 3 == 1
    )


def _quarter_target_value(target: Target):
    quarters = ProgrammePledgeTotal.objects.filter(
        quarter__range=(target.start_date, target.due_date)
    )
    if target.metric == TargetMetric.PLEDGED_USD:
        return quarters.filter(COUNTS_TOWARDS_PROGRAMME).aggregate(v=Sum("amount_usd"))["v"]
    # Every tranche paid in the window, as the disbursement table's sum counts them.
    return quarters.aggregate(v=Sum("disbursed_usd"))["v"]


def targets_progress(metrics=None) -> tuple[TargetProgress, ...]:
    targets = Target.objects.all()
    if metrics is not None:
        targets = targets.filter(metric__in=metrics)
    return tuple(target_progress(target) for target in targets)


# ---------------------------------------------------------------------------
# Rollout


@as_of_aware
def rollout_report(filters: ReportFilters = PROGRAMME) -> RolloutReport:
    """Zones by status and province, openings by quarter (planned against actual), targets."""
    zones = Zone.objects.filter(filters.zone_q())
    counts = zones.count_by_status()
    by_status = tuple(
        ZoneStatusCount(status=status, label=label, zone_count=counts[status])
        for status, label in ZoneStatus.choices
    )
    by_province = tuple(
        ProvinceRollout(**row)
        for row in zones.order_by("province")
        .values("province")
        .annotate(
            zone_count=Count("pk"),
            operational_count=Count("pk", filter=Q(status=ZoneStatus.OPERATIONAL)),
            under_development_count=Count("pk", filter=Q(status=ZoneStatus.UNDER_DEVELOPMENT)),
        )
    )
    # A cancelled zone will not open, so it no longer counts as a planned opening.
    planned = (
        zones.exclude(status=ZoneStatus.CANCELLED)
        .filter(filters.date_q("target_opening_date"), target_opening_date__isnull=False)
        .annotate(quarter=TruncQuarter("target_opening_date"))
        .order_by()
        .values("quarter")
        .annotate(n=Count("pk"))
    )
    actual = (
        zones.filter(filters.date_q("actual_opening_date"), actual_opening_date__isnull=False)
        .annotate(quarter=TruncQuarter("actual_opening_date"))
        .order_by()
        .values("quarter")
        .annotate(n=Count("pk"))
    )
    openings = _merge_quarters(
        planned_openings={row["quarter"]: row["n"] for row in planned},
        actual_openings={row["quarter"]: row["n"] for row in actual},
        zero=0,
    )
    return RolloutReport(
        filters=filters,
        totals=RolloutTotals(
            zone_count=sum(counts.values()), operational_count=counts[ZoneStatus.OPERATIONAL]
        ),
        by_status=by_status,
        by_province=by_province,
        openings_by_quarter=tuple(QuarterOpenings(**row) for row in openings),
        # The operating zone: licences by status, plots and occupancy per zone.
        operating_by_zone=operating_by_zone(
            filters.zone_q("zone__"), filters.as_of, plots_from_tallies=not reading_as_of()
        ),
        targets=targets_progress(ROLLOUT_METRICS),
    )


# ---------------------------------------------------------------------------
# Investment


def _pledge_measures(prefix: str = "", condition: Q | None = None) -> dict:
    """Pledged, committed and realised USD and the pledge count, as grouped aggregates.

    `prefix` reaches the pledges from another model ("pledges__" from a zone); `condition`
    narrows the pledges further (a pledge-date range).
    """

    def only(status_condition: Q) -> Q:
        return _prefixed(status_condition, prefix) & (condition or Q())

    return {
        "pledged_usd": Sum(
            f"{prefix}amount_usd", filter=only(COUNTS_TOWARDS_PROGRAMME), output_field=MONEY_SUM
        ),
        "committed_usd": Sum(f"{prefix}amount_usd", filter=only(COMMITTED), output_field=MONEY_SUM),
        "realized_usd": Sum(
            f"{prefix}realized_usd", filter=only(COUNTS_TOWARDS_PROGRAMME), output_field=MONEY_SUM
        ),
        "pledge_count": Count(
            prefix.removesuffix("__") or "pk", filter=only(COUNTS_TOWARDS_PROGRAMME)
        ),
    }


def _prefixed(condition: Q, prefix: str) -> Q:
    """`condition` (a Q over pledge fields) as seen from another model through `prefix`."""
    if not prefix:
        return condition
    prefixed = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            prefixed.children.append(_prefixed(child, prefix))
        else:
            lookup, value = child
            prefixed.children.append((f"{prefix}{lookup}", value))
    return prefixed


PLEDGE_MEASURES = _pledge_measures()


def _summary_measures(prefix: str = "") -> dict:
    """PLEDGE_MEASURES over summary rows (investments/summaries.py): counts are sums there."""

    def only(status_condition: Q) -> Q:
        return _prefixed(status_condition, prefix)

    return {
        "pledged_usd": Sum(
            f"{prefix}amount_usd", filter=only(COUNTS_TOWARDS_PROGRAMME), output_field=MONEY_SUM
        ),
        "committed_usd": Sum(f"{prefix}amount_usd", filter=only(COMMITTED), output_field=MONEY_SUM),
        "realized_usd": Sum(
            f"{prefix}realized_usd", filter=only(COUNTS_TOWARDS_PROGRAMME), output_field=MONEY_SUM
        ),
        "pledge_count": Sum(f"{prefix}pledge_count", filter=only(COUNTS_TOWARDS_PROGRAMME)),
    }


SUMMARY_MEASURES = _summary_measures()


def summaries_answer(filters: ReportFilters) -> bool:
    """Whether the summary rows hold what `filters` ask for.

    They are kept per quarter and for the live registry only: a pledge-date range (any day)
    and a past `as_of` (rebuilt from history) read the pledges themselves.
    """
    return filters.date_from is None and filters.date_to is None and not reading_as_of()


STATUS_MEASURES = ("amount_usd", "realized_usd", "pledge_count")


def pledges_in_scope(filters: ReportFilters = PROGRAMME):
    """Every pledge (cancelled included) in the filters' zones and pledge-date range."""
    return Pledge.objects.filter(filters.zone_q("zone__"), filters.date_q("pledged_on"))


def pledge_totals(filters: ReportFilters = PROGRAMME) -> PledgeMeasures:
    """Pledged, committed and realised USD and the pledge count, in one query."""
    if summaries_answer(filters):
        row = ZonePledgeTotal.objects.filter(filters.zone_q("zone__")).aggregate(**SUMMARY_MEASURES)
    else:
        row = pledges_in_scope(filters).order_by().aggregate(**PLEDGE_MEASURES)
    return PledgeMeasures(**_money_row(row))


@as_of_aware
def investment_report(filters: ReportFilters = PROGRAMME) -> InvestmentReport:
    """Pledged, committed and realised USD: in total, by zone, origin, status and quarter."""
    if summaries_answer(filters):
        return _investment_report_from_summaries(filters)
    pledges = pledges_in_scope(filters)
    active = pledges.active()

    # One grouped join over the pledges, not four correlated subqueries per zone (each of
    # which read all of a zone's pledges again: 1,430 → 198 ms at M). The pledge-date range
    # goes into the aggregates' FILTER, not WHERE, so that zones without pledges in it stay.
    in_range = filters.date_q("pledges__pledged_on")
    zones = (
        Zone.objects.filter(filters.zone_q())
        .values("slug", "name")
        .annotate(
            # Zero, not NULL, for a zone without pledges, so that it sorts as before.
            **{
                name: aggregate
                if isinstance(aggregate, Count)
                else Coalesce(aggregate, Value(Decimal("0")), output_field=MONEY_SUM)
                for name, aggregate in _pledge_measures("pledges__", in_range).items()
            }
        )
        .order_by("-pledged_usd", "name")
    )
    by_zone = tuple(
        ZoneInvestment(zone=row.pop("slug"), zone_name=row.pop("name"), **_money_row(row))
        for row in zones
    )

    origin_rows = {
        row.pop("company__origin"): _money_row(row)
        for row in pledges.order_by().values("company__origin").annotate(**PLEDGE_MEASURES)
    }
    by_origin = tuple(
        OriginInvestment(origin=origin, label=label, **origin_rows.get(origin, _money_row({})))
        for origin, label in Origin.choices
    )

    status_rows = {
        row.pop("status"): row
        for row in pledges.order_by()
        .values("status")
        .annotate(
            amount_usd=Sum("amount_usd", output_field=MONEY_SUM),
            realized_usd=Sum("realized_usd", output_field=MONEY_SUM),
            pledge_count=Count("pk"),
        )
    }
    by_status = tuple(
        StatusInvestment(
            status=status, label=label, **_money_row(status_rows.get(status, {}), STATUS_MEASURES)
        )
        for status, label in PledgeStatus.choices
    )

    pledged_by_quarter = {
        row.pop("quarter"): row
        for row in pledges.annotate(quarter=TruncQuarter("pledged_on"))
        .order_by()
        .values("quarter")
        .annotate(**{k: PLEDGE_MEASURES[k] for k in ("pledged_usd", "committed_usd")})
    }
    realized_by_quarter = {
        row["quarter"]: row["realized_usd"]
        for row in Disbursement.objects.filter(Exists(active.filter(pk=OuterRef("pledge"))))
        .annotate(quarter=TruncQuarter("disbursed_on"))
        .order_by()
        .values("quarter")
        .annotate(realized_usd=Sum("amount_usd", output_field=MONEY_SUM))
    }
    by_quarter = _merge_quarters(
        pledged_usd={q: money(row["pledged_usd"]) for q, row in pledged_by_quarter.items()},
        committed_usd={q: money(row["committed_usd"]) for q, row in pledged_by_quarter.items()},
        realized_usd={q: money(value) for q, value in realized_by_quarter.items()},
        zero=money(0),
    )

    return InvestmentReport(
        filters=filters,
        totals=pledge_totals(filters),
        by_zone=by_zone,
        by_origin=by_origin,
        by_status=by_status,
        by_quarter=tuple(QuarterInvestment(**row) for row in by_quarter),
        funnel=investment_funnel(filters),
        targets=targets_progress(INVESTMENT_METRICS),
    )


def _investment_report_from_summaries(filters: ReportFilters) -> InvestmentReport:
    """investment_report() read from the summary rows: the same figures, a few rows per zone.

    tests/programme/test_report_summaries.py checks every section equal to the pledge-table
    version above on the same data.
    """
    zone_q = filters.zone_q("zone__")
    zone_totals = ZonePledgeTotal.objects.filter(zone_q).order_by()
    # The programme-wide cube has a few hundred rows; the per-zone one has them for each zone.
    quarters = (
        PledgeQuarterTotal.objects.filter(zone_q) if zone_q else ProgrammePledgeTotal.objects
    ).order_by()

    zones = (
        Zone.objects.filter(filters.zone_q())
        .values("slug", "name")
        .annotate(
            **{
                name: Coalesce(aggregate, Value(0))
                if name.endswith("_count")
                else Coalesce(aggregate, Value(Decimal("0")), output_field=MONEY_SUM)
                for name, aggregate in _summary_measures("pledge_totals__").items()
            }
        )
        .order_by("-pledged_usd", "name")
    )
    by_zone = tuple(
        ZoneInvestment(zone=row.pop("slug"), zone_name=row.pop("name"), **_money_row(row))
        for row in zones
    )

    origin_rows = {
        row.pop("origin"): _money_row(row)
        for row in quarters.values("origin").annotate(**SUMMARY_MEASURES)
    }
    by_origin = tuple(
        OriginInvestment(origin=origin, label=label, **origin_rows.get(origin, _money_row({})))
        for origin, label in Origin.choices
    )

    status_rows = {
        row.pop("status"): row
        for row in zone_totals.values("status").annotate(
            amount_usd=Sum("amount_usd", output_field=MONEY_SUM),
            realized_usd=Sum("realized_usd", output_field=MONEY_SUM),
            pledge_count=Sum("pledge_count"),
        )
    }
    by_status = tuple(
        StatusInvestment(
            status=status, label=label, **_money_row(status_rows.get(status, {}), STATUS_MEASURES)
        )
        for status, label in PledgeStatus.choices
    )

    pledged_by_quarter = {
        row.pop("quarter"): row
        for row in quarters.filter(pledge_count__gt=0)
        .values("quarter")
        .annotate(**{k: SUMMARY_MEASURES[k] for k in ("pledged_usd", "committed_usd")})
    }
    realized_by_quarter = {
        row["quarter"]: row["realized_usd"]
        for row in quarters.filter(COUNTS_TOWARDS_PROGRAMME, disbursement_count__gt=0)
        .values("quarter")
        .annotate(realized_usd=Sum("disbursed_usd", output_field=MONEY_SUM))
    }
    by_quarter = _merge_quarters(
        pledged_usd={q: money(row["pledged_usd"]) for q, row in pledged_by_quarter.items()},
        committed_usd={q: money(row["committed_usd"]) for q, row in pledged_by_quarter.items()},
        realized_usd={q: money(value) for q, value in realized_by_quarter.items()},
        zero=money(0),
    )
    totals = zone_totals.aggregate(**SUMMARY_MEASURES)

    return InvestmentReport(
        filters=filters,
        totals=PledgeMeasures(**_money_row(totals)),
        by_zone=by_zone,
        by_origin=by_origin,
        by_status=by_status,
        by_quarter=tuple(QuarterInvestment(**row) for row in by_quarter),
        funnel=investment_funnel(filters),
        targets=targets_progress(INVESTMENT_METRICS),
    )


def _pledge_funnel_figures(filters: ReportFilters) -> dict:
    """The funnel's pledge stages: counts, distinct companies and USD per stage."""
    realized = COUNTS_TOWARDS_PROGRAMME & Q(realized_usd__gt=0)
    if _tallies_answer(filters):
        # The whole programme: each stage's tally holds its pledges, companies and USD.
        stages = tallies.totals(summaries.PLEDGE_SCOPE)
        figures = {}
        for stage in summaries.STAGES:
            tally = stages.get(stage, tallies.NO_TOTALS)
            figures[f"{stage}_count"] = tally.count
            figures[f"{stage}_company_count"] = tally.members
            figures[f"{stage}_usd"] = tally.amount
        return figures
    if not summaries_answer(filters):
        return (
            pledges_in_scope(filters)
            .order_by()
            .aggregate(
                pledged_count=Count("pk", filter=COUNTS_TOWARDS_PROGRAMME),
                pledged_company_count=Count(
                    "company", distinct=True, filter=COUNTS_TOWARDS_PROGRAMME
                ),
                pledged_usd=Sum(
                    "amount_usd", filter=COUNTS_TOWARDS_PROGRAMME, output_field=MONEY_SUM
                ),
                committed_count=Count("pk", filter=COMMITTED),
                committed_company_count=Count("company", distinct=True, filter=COMMITTED),
                committed_usd=Sum("amount_usd", filter=COMMITTED, output_field=MONEY_SUM),
                realized_count=Count("pk", filter=realized),
                realized_company_count=Count("company", distinct=True, filter=realized),
                realized_usd=Sum("realized_usd", filter=realized, output_field=MONEY_SUM),
            )
        )
    figures = (
        ZonePledgeTotal.objects.filter(filters.zone_q("zone__"))
        .order_by()
        .aggregate(
            pledged_count=Sum("pledge_count", filter=COUNTS_TOWARDS_PROGRAMME),
            pledged_usd=Sum("amount_usd", filter=COUNTS_TOWARDS_PROGRAMME, output_field=MONEY_SUM),
            committed_count=Sum("pledge_count", filter=COMMITTED),
            committed_usd=Sum("amount_usd", filter=COMMITTED, output_field=MONEY_SUM),
            realized_count=Sum("realized_count", filter=COUNTS_TOWARDS_PROGRAMME),
            realized_usd=Sum(
                "realized_usd", filter=COUNTS_TOWARDS_PROGRAMME, output_field=MONEY_SUM
            ),
        )
    )
    # Distinct companies do not add up across zones: for some zones, the pledges answer.
    companies = pledges_in_scope(filters).order_by()
    has = {"pledged": COUNTS_TOWARDS_PROGRAMME, "committed": COMMITTED, "realized": realized}
    figures.update(
        companies.aggregate(
            **{
                f"{stage}_company_count": Count("company", distinct=True, filter=condition)
                for stage, condition in has.items()
            }
        )
    )
    return {key: value or 0 for key, value in figures.items()}


def _registration_funnel_figures(filters: ReportFilters) -> dict:
    """The funnel's registration stages: registrations, distinct companies, planned USD."""
    if _tallies_answer(filters):
        by_status = tallies.totals(registration_tallies.BY_STATUS)
        every = by_status.get(registration_tallies.ALL_STATUSES, tallies.NO_TOTALS)
        accepted = by_status.get(RegistrationStatus.ACCEPTED, tallies.NO_TOTALS)
        return {
            "count": every.count,
            "company_count": every.members,
            "accepted_count": accepted.count,
            "accepted_company_count": accepted.members,
            "planned_usd": every.amount,
        }
    return registrations_in_scope(filters).aggregate(
        count=Count("pk"),
        company_count=Count("company", distinct=True),
        accepted_count=Count("pk", filter=Q(status=RegistrationStatus.ACCEPTED)),
        accepted_company_count=Count(
            "company", distinct=True, filter=Q(status=RegistrationStatus.ACCEPTED)
        ),
        planned_usd=Sum("planned_investment_usd", output_field=MONEY_SUM),
    )


def _tallies_answer(filters: ReportFilters) -> bool:
    """Whether the tallies hold what `filters` ask for: they count the whole programme."""
    return summaries_answer(filters) and not filters.zone_q()


def investment_funnel(filters: ReportFilters = PROGRAMME) -> tuple[FunnelStage, ...]:
    """From registration to pledge to realised money: how many, how many companies, how much."""
    registrations = _registration_funnel_figures(filters)
    pledges = _pledge_funnel_figures(filters)
    return (
        FunnelStage(
            stage="registered",
            label="Interest registered",
            count=registrations["count"],
            company_count=registrations["company_count"],
            amount_usd=money(registrations["planned_usd"]),
        ),
        FunnelStage(
            stage="accepted",
            label="Registration accepted",
            count=registrations["accepted_count"],
            company_count=registrations["accepted_company_count"],
            amount_usd=None,
        ),
        *(
            FunnelStage(
                stage=stage,
                label=label,
                count=pledges[f"{stage}_count"],
                company_count=pledges[f"{stage}_company_count"],
                amount_usd=money(pledges[f"{stage}_usd"]),
            )
            for stage, label in (
                ("pledged", "Investment pledged"),
                ("committed", "Pledge committed"),
                ("realized", "Investment realised (in part or in full)"),
            )
        ),
    )


# ---------------------------------------------------------------------------
# Companies


def registrations_in_scope(filters: ReportFilters = PROGRAMME):
    """Registrations for a zone in scope, received within the date range."""
    registrations = InterestRegistration.objects.order_by().filter(filters.date_q("created__date"))
    zone_q = filters.zone_q()
    if zone_q:
        # Exists rather than a join: a registration for two zones in scope counts once.
        registrations = registrations.filter(
            Exists(Zone.objects.filter(zone_q, registrations=OuterRef("pk")))
        )
    return registrations


@as_of_aware
def companies_report(filters: ReportFilters = PROGRAMME) -> CompaniesReport:
    """Interested companies (with a registration in scope) by origin, zone, sector and status."""
    if _tallies_answer(filters):
        return _companies_report_from_tallies(filters)
    registrations = registrations_in_scope(filters)
    companies = Company.objects.filter(Exists(registrations.filter(company=OuterRef("pk"))))

    origin_counts = companies.count_by_origin()
    by_origin = tuple(
        OriginCompanies(origin=origin, label=label, company_count=origin_counts.get(origin, 0))
        for origin, label in Origin.choices
    )
    by_sector = tuple(
        SectorCompanies(
            sector=row["sector__slug"] or "",
            label=row["sector__name"] or "Sector not given",
            company_count=row["company_count"],
        )
        # NULLS LAST spelled out: SQLite sorts NULL first and PostgreSQL last.
        for row in companies.order_by(F("sector__name").asc(nulls_last=True))
        .values("sector__slug", "sector__name")
        .annotate(company_count=Count("pk"))
    )
    # One grouped join through the registration–zone table rather than two correlated
    # counts per zone, which scanned every registration once per zone (1,063 → 87 ms at M).
    # The date range goes into the counts' FILTER so that zones without registrations stay.
    received = filters.date_q("registrations__created__date") or None
    by_zone = tuple(
        ZoneCompanies(zone=row.pop("slug"), zone_name=row.pop("name"), **row)
        for row in Zone.objects.filter(filters.zone_q())
        .values("slug", "name")
        .annotate(
            company_count=Count("registrations__company", distinct=True, filter=received),
            registration_count=Count("registrations", filter=received),
        )
        .order_by("-company_count", "name")
    )
    status_rows = {
        row.pop("status"): row
        for row in registrations.values("status").annotate(
            registration_count=Count("pk"), company_count=Count("company", distinct=True)
        )
    }
    by_status = tuple(
        RegistrationStatusCount(
            status=status,
            label=label,
            registration_count=status_rows.get(status, {}).get("registration_count", 0),
            company_count=status_rows.get(status, {}).get("company_count", 0),
        )
        for status, label in RegistrationStatus.choices
    )
    totals = registrations.aggregate(
        registration_count=Count("pk"), company_count=Count("company", distinct=True)
    )
    return CompaniesReport(
        filters=filters,
        totals=CompanyTotals(**totals),
        by_origin=by_origin,
        by_zone=by_zone,
        by_sector=by_sector,
        by_status=by_status,
        targets=targets_progress(COMPANY_METRICS),
    )


def _companies_report_from_tallies(filters: ReportFilters) -> CompaniesReport:
    """companies_report() for the whole programme, read from the registration tallies.

    tests/programme/test_report_summaries.py checks it equal to the version above.
    """
    none = tallies.NO_TOTALS
    origins = tallies.totals(registration_tallies.BY_ORIGIN)
    by_origin = tuple(
        OriginCompanies(origin=origin, label=label, company_count=origins.get(origin, none).members)
        for origin, label in Origin.choices
    )
    sector_counts = {
        key: tally.members
        for key, tally in tallies.totals(registration_tallies.BY_SECTOR).items()
        if tally.members
    }
    sectors = Sector.objects.filter(pk__in=[int(key) for key in sector_counts if key]).order_by(
        "name"
    )
    by_sector = tuple(
        SectorCompanies(
            sector=sector.slug, label=sector.name, company_count=sector_counts[str(sector.pk)]
        )
        for sector in sectors
    ) + tuple(
        SectorCompanies(sector="", label="Sector not given", company_count=sector_counts[""])
        for _ in range(int("" in sector_counts))
    )
    zone_counts = tallies.totals(registration_tallies.BY_ZONE)
    zones = Zone.objects.filter(filters.zone_q()).order_by("name").values_list("pk", "slug", "name")
    by_zone = sorted(
        (
            ZoneCompanies(
                zone=slug,
                zone_name=name,
                company_count=zone_counts.get(str(pk), none).members,
                registration_count=zone_counts.get(str(pk), none).count,
            )
            for pk, slug, name in zones
        ),
        # Stable: zones with as many companies stay in the database's name order.
        key=lambda zone: -zone.company_count,
    )
    statuses = tallies.totals(registration_tallies.BY_STATUS)
    by_status = tuple(
        RegistrationStatusCount(
            status=status,
            label=label,
            registration_count=statuses.get(status, none).count,
            company_count=statuses.get(status, none).members,
        )
        for status, label in RegistrationStatus.choices
    )
    every = statuses.get(registration_tallies.ALL_STATUSES, none)
    return CompaniesReport(
        filters=filters,
        totals=CompanyTotals(registration_count=every.count, company_count=every.members),
        by_origin=by_origin,
        by_zone=tuple(by_zone),
        by_sector=by_sector,
        by_status=by_status,
        targets=targets_progress(COMPANY_METRICS),
    )


# ---------------------------------------------------------------------------
# Headline figures (admin dashboard, public home page)


def programme_summary(as_of: datetime.date | None = None) -> ProgrammeSummary:
    """Headline figures: zones by status, companies by origin, money pledged and realised."""
    if as_of is not None and is_past(as_of):
        with registry_as_of(as_of):
            return _programme_summary()
    return _programme_summary()


def _programme_summary() -> ProgrammeSummary:
    totals = pledge_totals(PROGRAMME)
    if _tallies_answer(PROGRAMME):
        tallied = tallies.totals(registration_tallies.BY_STATUS)
        registrations_by_status = {
            status: tallied.get(status, tallies.NO_TOTALS).count
            for status in RegistrationStatus.values
        }
    else:
        registrations_by_status = InterestRegistration.objects.count_by_status()
    return ProgrammeSummary(
        zone_count=Zone.objects.in_programme().count(),
        zones_by_status=Zone.objects.in_programme().count_by_status(),
        companies_by_origin=Company.objects.count_by_origin(),
        registrations_by_status=registrations_by_status,
        registrations_awaiting_review=sum(
            registrations_by_status[status] for status in AWAITING_REVIEW
        ),
        pledged_usd=totals.pledged_usd,
        committed_usd=totals.committed_usd,
        realized_usd=totals.realized_usd,
        pledge_count=totals.pledge_count,
        targets=targets_progress(),
    )


# ---------------------------------------------------------------------------
# Helpers


def _money_row(row: dict, keys=tuple(PLEDGE_MEASURES)) -> dict:
    """Money columns as Decimal cents and counts as ints, zero where the group had no rows."""
    return {
        key: (row.get(key) or 0) if key.endswith("_count") else money(row.get(key)) for key in keys
    }


def _merge_quarters(*, zero, **series) -> list[dict]:
    """Rows per quarter, oldest first, one column per series (`zero` where a series is silent)."""
    quarters = sorted({quarter for values in series.values() for quarter in values})
    return [
        {
            "quarter": quarter_label(quarter),
            "quarter_start": quarter,
            **{name: values.get(quarter, zero) for name, values in series.items()},
        }
        for quarter in quarters
    ]
