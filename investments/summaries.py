# ruff: noqa: S608 - table and column names come from model _meta, values are parameters
"""Summary rows of the pledges, kept current on every write (ADR 0709).

Four tables hold additive figures (pledge count, pledges with money realised, pledged and
realised USD; tranches paid by quarter) per key: a zone and status (`ZonePledgeTotal`), a
company and status (`CompanyPledgeTotal`), a zone, status, company origin and quarter
(`PledgeQuarterTotal`), and the same without the zone (`ProgrammePledgeTotal`). Lists,
reports and the home page read them instead of every pledge, so their cost follows the
number of zones, not of pledges. The funnel's companies per stage (pledged, committed,
realised), which do not add up across zones, are tallies (`core/tallies.py`, scope
"pledges").

How they stay right: a write to a pledge, a disbursement or a company's origin computes the
figures the affected pledges contribute before and after the write (from the database, in
the writer's transaction) and adds the difference to each key with one
`INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`. The addition is atomic in the
database, so concurrent writers to the same key never lose each other's change; writers to
one pledge are serialised by the services' row lock. Keys are written in sorted order, so
two transactions never wait on each other's rows in opposite orders.

Writers that bypass signals (`generate_data`'s COPY, loaddata's raw saves) call `rebuild()`
or restore the tables with the rest. `verify()` recomputes everything from the base rows;
`manage.py verify_totals` reports any difference and `--repair` rewrites the rows.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, cast

from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncQuarter

from companies.models import Company
from core import tallies
from core.models import TallyMember
from core.query import CENT

from .choices import COMMITTED_STATUSES, PledgeStatus
from .models import (
    CompanyPledgeTotal,
    Disbursement,
    Pledge,
    PledgeQuarterTotal,
    ProgrammePledgeTotal,
    ZonePledgeTotal,
)

SUMMARY_MODELS: tuple[type[models.Model], ...] = (
    ZonePledgeTotal,
    CompanyPledgeTotal,
    PledgeQuarterTotal,
    ProgrammePledgeTotal,
)
KEYS: dict[type[models.Model], tuple[str, ...]] = {
    ZonePledgeTotal: ("zone_id", "status"),
    CompanyPledgeTotal: ("company_id", "status"),
    PledgeQuarterTotal: ("zone_id", "status", "origin", "quarter"),
    ProgrammePledgeTotal: ("status", "origin", "quarter"),
    TallyMember: ("scope", "key", "member"),
}
PLEDGE_FIGURES = ("pledge_count", "realized_count", "amount_usd", "realized_usd")
DISBURSEMENT_FIGURES = ("disbursement_count", "disbursed_usd")
TALLY_FIGURES = ("count", "amount")
FIGURES: dict[type[models.Model], tuple[str, ...]] = {
    ZonePledgeTotal: PLEDGE_FIGURES,
    CompanyPledgeTotal: PLEDGE_FIGURES,
    PledgeQuarterTotal: PLEDGE_FIGURES + DISBURSEMENT_FIGURES,
    ProgrammePledgeTotal: PLEDGE_FIGURES + DISBURSEMENT_FIGURES,
    TallyMember: TALLY_FIGURES,
}
# The funnel's pledge stages, as tallies of companies (scope "pledges", key the stage): a
# pledge counts towards a stage with this amount.
PLEDGE_SCOPE = "pledges"
STAGES = ("pledged", "committed", "realized")
# Every table a pledge write adds to: the summary tables, then the tallies' member rows.
WRITTEN = (*SUMMARY_MODELS, TallyMember)

# {model: {key tuple: {figure: value}}}
Figures = dict[type[models.Model], dict[tuple, dict[str, Any]]]


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def no_figures() -> Figures:
    return {model: {} for model in WRITTEN}


def stage_amounts(status: str, amount_usd: Decimal, realized_usd: Decimal) -> dict[str, Decimal]:
    """The funnel stages a pledge is in, with what it counts there (investment_funnel)."""
    if status == PledgeStatus.CANCELLED:
        return {}
    stages = {"pledged": amount_usd}
    if status in COMMITTED_STATUSES:
        stages["committed"] = amount_usd
    if realized_usd > 0:
        stages["realized"] = realized_usd
    return stages


def contributions(pledges: "models.QuerySet[Pledge]") -> Figures:
    """What `pledges` and their tranches add to each summary row (two queries)."""
    figures = pledge_figures(pledges)
    tranches = tranche_figures(
        Disbursement.objects.filter(pledge__in=pledges.order_by().values("pk"))
    )
    for model, rows in tranches.items():
        figures[model].update(
            (key, _sum(figures[model].get(key, {}), row)) for key, row in rows.items()
        )
    return figures


def pledge_figures(pledges: "models.QuerySet[Pledge]") -> Figures:
    """What the pledge rows themselves add, without their tranches."""
    figures = no_figures()
    for (
        zone_id,
        company_id,
        status,
        origin,
        pledged_on,
        amount_usd,
        realized_usd,
    ) in pledges.order_by().values_list(
        "zone_id",
        "company_id",
        "status",
        "company__origin",
        "pledged_on",
        "amount_usd",
        "realized_usd",
    ):
        pledge = {
            "pledge_count": 1,
            "realized_count": int(realized_usd > 0),
            "amount_usd": amount_usd,
            "realized_usd": realized_usd,
        }
        quarter = quarter_start(pledged_on)
        for model, key in (
            (ZonePledgeTotal, (zone_id, status)),
            (CompanyPledgeTotal, (company_id, status)),
            (PledgeQuarterTotal, (zone_id, status, origin, quarter)),
            (ProgrammePledgeTotal, (status, origin, quarter)),
        ):
            figures[model][key] = _sum(figures[model].get(key, {}), pledge)
        for stage, amount in stage_amounts(status, amount_usd, realized_usd).items():
            key = (PLEDGE_SCOPE, stage, company_id)
            figures[TallyMember][key] = _sum(
                figures[TallyMember].get(key, {}), {"count": 1, "amount": amount}
            )
    return figures


def tranche_figures(tranches: "models.QuerySet[Disbursement]") -> Figures:
    """What the tranches add: to the quarter they were paid in, under their pledge's key."""
    figures = no_figures()
    for zone_id, status, origin, disbursed_on, amount_usd in tranches.order_by().values_list(
        "pledge__zone_id", "pledge__status", "pledge__company__origin", "disbursed_on", "amount_usd"
    ):
        quarter = quarter_start(disbursed_on)
        tranche = {"disbursement_count": 1, "disbursed_usd": amount_usd}
        for model, key in (
            (PledgeQuarterTotal, (zone_id, status, origin, quarter)),
            (ProgrammePledgeTotal, (status, origin, quarter)),
        ):
            figures[model][key] = _sum(figures[model].get(key, {}), tranche)
    return figures


def _sum(row: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    return {name: row.get(name, 0) + more.get(name, 0) for name in row.keys() | more.keys()}


def difference(after: Figures, before: Figures) -> Figures:
    """`after` − `before`, key by key, leaving out keys that did not change."""
    delta = no_figures()
    for model in WRITTEN:
        for key in after[model].keys() | before[model].keys():
            change = {
                figure: after[model].get(key, {}).get(figure, 0)
                - before[model].get(key, {}).get(figure, 0)
                for figure in FIGURES[model]
            }
            if any(change.values()):
                delta[model][key] = change
    return delta


def apply(delta: Figures) -> None:
    """Add `delta` to the summary rows, creating rows for new keys (one statement a table)."""
    with transaction.atomic():
        for model in SUMMARY_MODELS:
            rows = sorted(
                (key, change) for key, change in delta[model].items() if any(change.values())
            )
            if rows:
                _add(model, rows)
        tallies.add(_tally_delta(delta[TallyMember]))


def _tally_delta(rows: dict[tuple, dict[str, Any]]) -> tallies.Delta:
    return {
        key: (figures.get("count", 0), Decimal(figures.get("amount", 0)))
        for key, figures in rows.items()
    }


def _merge(pending: Figures, delta: Figures) -> Figures:
    for model in WRITTEN:
        for key, change in delta[model].items():
            pending[model][key] = _sum(pending[model].get(key, {}), change)
    return pending


# one_write(): within the block, gather the receivers' differences and add them once, at its
# end. The services write a pledge and its tranches in several saves; added save by save, two
# transactions could lock the same summary rows in opposite orders and deadlock (a tranche's
# quarter row, then its zone's row, against another pledge's zone row, then that quarter).
# Added once, every transaction locks its rows in one global order (table, then key).
_batch = tallies.Batch(no_figures, _merge, apply)
one_write = _batch.collecting
# Apply a difference now, or at the end of the enclosing one_write() block.
add = _batch.add


def _add(model: type[models.Model], rows: list[tuple[tuple, dict[str, Any]]]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [
        str(cast(models.Field, model._meta.get_field(name)).column) for name in KEYS[model]
    ]
    figures = FIGURES[model]
    columns = [*key_columns, *figures]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(map(quote, key_columns))}) DO UPDATE SET "
        + ", ".join(f"{quote(f)} = {table}.{quote(f)} + excluded.{quote(f)}" for f in figures)
    )
    params: list[Any] = []
    for key, change in rows:
        params.extend(key)
        params.extend(Decimal(change[f]) if f.endswith("_usd") else change[f] for f in figures)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# ---------------------------------------------------------------------------
# Recomputing from the base rows


def expected() -> Figures:
    """Every summary row recomputed from the pledges and disbursements (grouped queries)."""
    figures = no_figures()
    measures = {
        "pledge_count": Count("pk"),
        "realized_count": Count("pk", filter=Q(realized_usd__gt=0)),
        "amount_usd": Sum("amount_usd"),
        "realized_usd": Sum("realized_usd"),
    }
    pledges = Pledge.objects.order_by()
    for model, group in (
        (ZonePledgeTotal, ("zone_id", "status")),
        (CompanyPledgeTotal, ("company_id", "status")),
    ):
        for row in pledges.values(*group).annotate(**measures):
            figures[model][tuple(row[name] for name in group)] = _cents(row)
    by_quarter = ("zone_id", "status", "company__origin", "quarter")
    for row in (
        pledges.annotate(quarter=TruncQuarter("pledged_on"))
        .values(*by_quarter)
        .annotate(**measures)
    ):
        key = (row["zone_id"], row["status"], row["company__origin"], _day(row["quarter"]))
        figures[PledgeQuarterTotal][key] = _sum(
            figures[PledgeQuarterTotal].get(key, {}), _cents(row)
        )
    for row in (
        Disbursement.objects.order_by()
        .annotate(quarter=TruncQuarter("disbursed_on"))
        .values("pledge__zone_id", "pledge__status", "pledge__company__origin", "quarter")
        .annotate(disbursement_count=Count("pk"), disbursed_usd=Sum("amount_usd"))
    ):
        key = (
            row["pledge__zone_id"],
            row["pledge__status"],
            row["pledge__company__origin"],
            _day(row["quarter"]),
        )
        figures[PledgeQuarterTotal][key] = _sum(
            figures[PledgeQuarterTotal].get(key, {}), _cents(row)
        )
    for (_zone_id, *programme_key), row in figures[PledgeQuarterTotal].items():
        key = tuple(programme_key)
        figures[ProgrammePledgeTotal][key] = _sum(figures[ProgrammePledgeTotal].get(key, {}), row)
    figures[TallyMember] = {
        key: {"count": count, "amount": amount}
        for key, (count, amount) in expected_stages().items()
    }
    return figures


def expected_stages() -> tallies.Delta:
    """The pledge-stage tallies recomputed from the pledges (one grouped query)."""
    realized = ~Q(status=PledgeStatus.CANCELLED) & Q(realized_usd__gt=0)
    conditions = {
        "pledged": (~Q(status=PledgeStatus.CANCELLED), "amount_usd"),
        "committed": (Q(status__in=COMMITTED_STATUSES), "amount_usd"),
        "realized": (realized, "realized_usd"),
    }
    measures: dict[str, Any] = {}
    for stage, (condition, field) in conditions.items():
        measures[f"{stage}_count"] = Count("pk", filter=condition)
        measures[f"{stage}_amount"] = Sum(field, filter=condition)
    found: tallies.Delta = {}
    for row in Pledge.objects.order_by().values("company_id").annotate(**measures):
        for stage in STAGES:
            if row[f"{stage}_count"]:
                found[(PLEDGE_SCOPE, stage, row["company_id"])] = (
                    row[f"{stage}_count"],
                    Decimal(row[f"{stage}_amount"] or 0).quantize(CENT),
                )
    return found


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _cents(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: Decimal(value or 0).quantize(CENT) if name.endswith("_usd") else int(value or 0)
        for name, value in row.items()
        if name in PLEDGE_FIGURES + DISBURSEMENT_FIGURES
    }


def stored() -> Figures:
    figures = no_figures()
    for model in SUMMARY_MODELS:
        for row in model._default_manager.order_by().values(*KEYS[model], *FIGURES[model]):
            key = tuple(row[name] for name in KEYS[model])
            figures[model][key] = _cents(row)
    return figures


def _nonzero(model: type[models.Model], rows: dict[tuple, dict[str, Any]]) -> dict[tuple, dict]:
    """Rows with a figure other than zero: a row emptied by deletes equals a missing one."""
    filled = {key: {f: row.get(f, 0) for f in FIGURES[model]} for key, row in rows.items()}
    return {key: row for key, row in filled.items() if any(row.values())}


def differences(
    *, current: Figures | None = None, wanted: Figures | None = None
) -> list[tallies.RowDifference]:
    """Summary rows and pledge-stage tallies that differ from the pledges (stored − wanted)."""
    current = stored() if current is None else current
    wanted = expected() if wanted is None else wanted
    found = []
    for model in SUMMARY_MODELS:
        have, want = _nonzero(model, current[model]), _nonzero(model, wanted[model])
        for key in sorted(have.keys() | want.keys(), key=tallies.sortable_key):
            if have.get(key, {}) != want.get(key, {}):
                found.append(
                    tallies.RowDifference(
                        table=str(model._meta.verbose_name),
                        key=key,
                        stored=have.get(key, {}),
                        expected=want.get(key, {}),
                    )
                )
    # The tallies check their totals against their own member rows as well, so they are
    # always read from the database.
    found.extend(tallies.differences([PLEDGE_SCOPE], _tally_delta(wanted[TallyMember])))
    return found


def verify(*, repair: bool = False) -> list[tallies.RowDifference]:
    """Summary rows that differ from the base rows; `repair` rewrites every table from them.

    The repair holds a share lock on the pledges, disbursements and companies (PostgreSQL), so
    no write slips in between recomputing and rewriting; SQLite serialises writers anyway.
    """
    if not repair:
        return differences()
    with transaction.atomic():
        _lock_base_tables()
        found = differences()
        if found:
            rebuild(locked=True)
    return found


def _lock_base_tables() -> None:
    # A company's origin says which quarter rows its pledges count in.
    tallies.lock_for_recount(Pledge, Disbursement, Company)


def rebuild(*, locked: bool = False, batch_size: int = 5_000) -> dict[str, int]:
    """Replace every summary row with figures recomputed from the base rows."""
    with transaction.atomic():
        if not locked:
            _lock_base_tables()
        wanted = expected()
        written = {}
        for model in SUMMARY_MODELS:
            model._default_manager.all().delete()
            model._default_manager.bulk_create(
                _instances(model, wanted[model].items()), batch_size=batch_size
            )
            written[str(model._meta.verbose_name_plural)] = len(wanted[model])
        written["pledge stage tallies"] = tallies.rebuild(
            [PLEDGE_SCOPE], _tally_delta(wanted[TallyMember]), batch_size=batch_size
        )
    return written


def _instances(model: type[models.Model], rows: Iterable) -> Iterator[models.Model]:
    for key, figures in rows:
        yield model(**dict(zip(KEYS[model], key, strict=True)), **figures)
