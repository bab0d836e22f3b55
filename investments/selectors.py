"""Pledge totals applied to other apps' rows: zones and companies carry these figures.

Zones and companies sit below investments, so they cannot annotate pledge figures themselves;
their lists, pages and reports get them from here.
"""

from typing import TypeVar

from django.db.models import BigIntegerField, QuerySet, Sum

from companies.querysets import CompanyQuerySet
from core.query import subquery_sum

from .models import CompanyPledgeTotal, Target, ZonePledgeTotal
from .querysets import COUNTS_TOWARDS_PROGRAMME

_QS = TypeVar("_QS", bound=QuerySet)


def with_pledge_totals(queryset: _QS, *, outer_field: str) -> _QS:
    """Annotate pledged_usd, realized_usd and pledge_count (cancelled pledges excluded).

    `outer_field` is the pledge field pointing at the queryset's rows: "zone" or "company".
    The figures come from the summary rows (investments/summaries.py): a handful per zone or
    company, whatever the number of its pledges (a page of 100 zones at L read 1 M pledges).
    """
    totals = TOTALS_BY_OWNER[outer_field].objects.filter(COUNTS_TOWARDS_PROGRAMME)
    return queryset.annotate(
        pledged_usd=subquery_sum(totals, "amount_usd", outer_field=outer_field),
        realized_usd=subquery_sum(totals, "realized_usd", outer_field=outer_field),
        pledge_count=subquery_sum(
            totals, "pledge_count", outer_field=outer_field, output_field=BigIntegerField()
        ),
    )


TOTALS_BY_OWNER: dict[str, type[ZonePledgeTotal] | type[CompanyPledgeTotal]] = {
    "zone": ZonePledgeTotal,
    "company": CompanyPledgeTotal,
}


def zones_with_pledge_totals(zones: _QS) -> _QS:
    return with_pledge_totals(zones, outer_field="zone")


def companies_with_pledge_totals(companies: CompanyQuerySet) -> CompanyQuerySet:
    """Pledge totals and the registration count (the company list's figures)."""
    return with_pledge_totals(companies, outer_field="company").with_registration_count()


def target_local_names() -> dict[str, str]:
    """Each target's name in the reader's language, by slug (one query).

    The reports' target rows stay English (the API and its cache never change language), so
    the public pages look the Urdu up here.
    """
    return {
        target.slug: target.local_name for target in Target.objects.only("slug", "name", "name_ur")
    }


def pledge_count() -> int:
    """How many pledges there are (every status), from the zone summary rows: one small sum
    instead of counting a million rows."""
    return ZonePledgeTotal.objects.aggregate(n=Sum("pledge_count"))["n"] or 0
