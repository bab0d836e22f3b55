"""The performance report: what the licensed enterprises employ, export and invest.

Figures come from accepted annual returns only, by zone and fiscal year, with the returns'
compliance (due, filed on time, late, overdue). The API, and any public page, asks for the
disclosure-controlled version (enterprises.disclosure): an aggregate over fewer than three
enterprises is blanked. Staff surfaces may ask for every figure.

Filters: zones and province as every report; the date range selects fiscal years whose last
day (30 June) falls within it; `as_of` is the day overdue and not-yet-due are judged on and,
for a past day, the registry the figures are read from (programme.as_of).
"""

import dataclasses
import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from enterprises.disclosure import suppress
from enterprises.fiscal import fiscal_year_label
from enterprises.selectors import (
    RETURN_FIGURES,
    performance_by_year,
    performance_by_zone_and_year,
    return_compliance,
)
from programme.as_of import is_past, registry_as_of
from programme.reports import PROGRAMME, ReportFilters


def fiscal_years_q(filters: ReportFilters) -> Q:
    """Fiscal years whose last day (30 June) lies in the filters' date range."""
    condition = Q()
    if filters.date_from:
        day = filters.date_from
        # The first year ending on or after date_from (it starts the July before).
        end_year = day.year if (day.month, day.day) <= (6, 30) else day.year + 1
        condition &= Q(fiscal_year__gte=fiscal_year_label(max(0, end_year - 1)))
    if filters.date_to:
        day = filters.date_to
        end_year = day.year if (day.month, day.day) >= (6, 30) else day.year - 1
        condition &= Q(fiscal_year__lte=fiscal_year_label(max(0, end_year - 1)))
    return condition


def performance_report(
    filters: ReportFilters = PROGRAMME, *, disclosure_control: bool = True
) -> dict[str, Any]:
    if filters.as_of is not None and is_past(filters.as_of):
        with registry_as_of(filters.as_of):
            return _performance_report(filters, filters.as_of, disclosure_control)
    return _performance_report(filters, filters.as_of or timezone.localdate(), disclosure_control)


def _performance_report(
    filters: ReportFilters, as_of: datetime.date, disclosure_control: bool
) -> dict[str, Any]:
    zone_q = filters.zone_q("enterprise__zone__")
    year_q = fiscal_years_q(filters)
    by_zone_year = performance_by_zone_and_year(zone_q, year_q)
    by_year = performance_by_year(by_zone_year)
    if disclosure_control:
        by_zone_year = suppress(
            by_zone_year, figures=RETURN_FIGURES, total_group=lambda row: row["fiscal_year"]
        )
        by_year = suppress(by_year, figures=RETURN_FIGURES)
    else:
        by_zone_year = [{**row, "suppressed": False} for row in by_zone_year]
        by_year = [{**row, "suppressed": False} for row in by_year]
    return {
        "filters": {**dataclasses.asdict(filters), "as_of": as_of},
        "by_year": by_year,
        "by_zone_and_year": by_zone_year,
        "compliance": return_compliance(zone_q, year_q, as_of),
    }
