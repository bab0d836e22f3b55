"""Registration tallies: interested companies counted once, kept current on write (ADR 0710).

The companies report and the investment funnel count distinct companies with a
registration: in all, per status, per zone, per origin and per sector. Distinct counts do not
add up, so these are tallies (`core/tallies.py`) with the company as the member:

- "registrations" / each status, and / ALL_STATUSES: registrations and planned USD;
- "registration_zones" / zone id: registrations naming the zone;
- "registration_origins" / the company's origin, "registration_sectors" / its sector id
  ("" when none): every registration, so that a company counts once it has any.

`contributions()` says what some registrations add; the receivers (companies/receivers.py)
add the difference a write makes. `expected()` recomputes every member row from the base
rows, for `verify()` and `rebuild()`.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from core import tallies
from core.query import CENT

from .models import Company, InterestRegistration

BY_STATUS = "registrations"
BY_ZONE = "registration_zones"
BY_ORIGIN = "registration_origins"
BY_SECTOR = "registration_sectors"
SCOPES = (BY_STATUS, BY_ZONE, BY_ORIGIN, BY_SECTOR)
# The "registrations" key counting every status: no status is spelled like this.
ALL_STATUSES = "*"
ZERO = Decimal("0.00")


def _one(delta: tallies.Delta, key: tuple[str, str, int], amount: Decimal = ZERO) -> None:
    count, total = delta.get(key, (0, ZERO))
    delta[key] = (count + 1, total + amount)


def contributions(registrations: "QuerySet[InterestRegistration] | Iterable[int]") -> tallies.Delta:
    """What the registrations (a queryset or ids) add to the tallies (two queries)."""
    if not isinstance(registrations, QuerySet):
        registrations = InterestRegistration.objects.filter(pk__in=list(registrations))
    delta: tallies.Delta = {}
    rows = registrations.order_by().values_list(
        "pk",
        "company_id",
        "status",
        "planned_investment_usd",
        "company__origin",
        "company__sector_id",
    )
    company_of = {}
    for pk, company_id, status, planned_usd, origin, sector_id in rows:
        company_of[pk] = company_id
        amount = Decimal(planned_usd or 0)
        _one(delta, (BY_STATUS, status, company_id), amount)
        _one(delta, (BY_STATUS, ALL_STATUSES, company_id), amount)
        _one(delta, (BY_ORIGIN, origin, company_id))
        _one(delta, (BY_SECTOR, "" if sector_id is None else str(sector_id), company_id))
    if company_of:
        links = InterestRegistration.zones.through.objects.filter(
            interestregistration_id__in=list(company_of)
        ).values_list("interestregistration_id", "zone_id")
        for registration_id, zone_id in links:
            _one(delta, (BY_ZONE, str(zone_id), company_of[registration_id]))
    return delta


def expected() -> tallies.Delta:
    """Every registration tally member recomputed from the base rows (grouped queries)."""
    found: tallies.Delta = {}
    registrations = InterestRegistration.objects.order_by()
    measures = {"n": Count("pk"), "usd": Sum("planned_investment_usd")}

    def put(scope: str, key, company_id: int, n: int, usd=None) -> None:
        found[(scope, "" if key is None else str(key), company_id)] = (
            n,
            Decimal(usd or 0).quantize(CENT),
        )

    for row in registrations.values("company_id", "status").annotate(**measures):
        put(BY_STATUS, row["status"], row["company_id"], row["n"], row["usd"])
    for row in registrations.values("company_id", "company__origin", "company__sector_id").annotate(
        **measures
    ):
        put(BY_STATUS, ALL_STATUSES, row["company_id"], row["n"], row["usd"])
        put(BY_ORIGIN, row["company__origin"], row["company_id"], row["n"])
        put(BY_SECTOR, row["company__sector_id"], row["company_id"], row["n"])
    links = (
        InterestRegistration.zones.through.objects.order_by()
        .values("zone_id", "interestregistration__company_id")
        .annotate(n=Count("pk"))
    )
    for row in links:
        put(BY_ZONE, row["zone_id"], row["interestregistration__company_id"], row["n"])
    return found


def registration_count() -> int:
    """How many registrations there are (every status), from the status tallies (a handful
    of rows) instead of counting every registration."""
    return tallies.totals(BY_STATUS).get(ALL_STATUSES, tallies.NO_TOTALS).count


def verify(*, repair: bool = False) -> list[tallies.RowDifference]:
    """Tally rows that differ from the registrations; `repair` rewrites them all."""
    if not repair:
        return tallies.differences(SCOPES, expected())
    with transaction.atomic():
        _lock_base_tables()
        found = tallies.differences(SCOPES, expected())
        if found:
            tallies.rebuild(SCOPES, expected())
    return found


def rebuild() -> int:
    """Replace the registration tallies with figures from the base rows; member rows written."""
    with transaction.atomic():
        _lock_base_tables()
        return tallies.rebuild(SCOPES, expected())


def _lock_base_tables() -> None:
    # A company's origin and sector say which tallies its registrations count in.
    tallies.lock_for_recount(InterestRegistration, InterestRegistration.zones.through, Company)
