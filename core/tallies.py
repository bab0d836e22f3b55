# ruff: noqa: S608 - table and column names come from model _meta, values are parameters
"""Tallies: how many distinct members (companies) a scope has, kept current on write (ADR 0710).

Distinct counts do not add up. The companies with a pledge in zone A and those with a
pledge in zone B overlap, so "companies that pledged" cannot be summed from per-zone rows, and
counting them afresh reads every pledge. A tally keeps, per scope and key ("pledges" /
"committed", "registrations" / "accepted", "registration_zones" / "17", …):

- one `TallyMember` row per member: how many of its rows are in the scope, and their amount;
- one `Tally` row: how many members have a row there, and the count and amount of all of them.

A writer adds its changes to the member rows with one
`INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count … RETURNING count`. The
returned count, less the change, is the member's count before it, and the row lock that the
statement takes means exactly one writer sees a member go from none to some (or back); that
writer moves the scope's `members` by one. Rows are written in sorted order (members, then
tallies), so two writers never wait on each other in opposite orders.

The domain modules say what a row contributes (`investments/summaries.py` for pledges,
`companies/summaries.py` for registrations) and check their members against the base rows;
this module adds, stores, compares and rebuilds.
"""

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction

from .models import Tally, TallyMember
from .query import CENT

# (scope, key, member) → (count, amount)
Delta = dict[tuple[str, str, int], tuple[int, Decimal]]


@dataclass(frozen=True)
class TallyTotals:
    members: int
    count: int
    amount: Decimal


NO_TOTALS = TallyTotals(0, 0, Decimal("0.00"))


def plus(delta: Delta, more: Mapping[tuple[str, str, int], tuple[int, Decimal]]) -> Delta:
    """`delta` with `more` added, key by key (a new dict)."""
    total = dict(delta)
    for key, (count, amount) in more.items():
        have_count, have_amount = total.get(key, (0, Decimal("0")))
        total[key] = (have_count + count, have_amount + amount)
    return total


def difference(after: Delta, before: Delta) -> Delta:
    """`after` − `before`, leaving out members that did not change."""
    negated = {key: (-count, -amount) for key, (count, amount) in before.items()}
    return {key: change for key, change in plus(after, negated).items() if any(change)}


class Batch:
    """Changes gathered within `collecting()` blocks and applied once, at the outermost end.

    A service that saves several rows would otherwise apply once per save and lock the hot
    summary rows early and in a changing order. Nested blocks join the outermost. Code inside
    a block must not catch a failed write and go on: what it gathered before its savepoint
    rolled back would still be applied.
    """

    def __init__(
        self,
        empty: Callable[[], Any],
        merge: Callable[[Any, Any], Any],
        apply: Callable[[Any], None],
    ):
        self._empty, self._merge, self._apply = empty, merge, apply
        self._pending = threading.local()

    @contextmanager
    def collecting(self) -> Iterator[None]:
        if getattr(self._pending, "delta", None) is not None:
            yield
            return
        self._pending.delta = self._empty()
        try:
            yield
            delta = self._pending.delta
        finally:
            self._pending.delta = None
        self._apply(delta)

    def add(self, delta: Any) -> None:
        """Apply `delta` now, or at the end of the enclosing `collecting()` block."""
        pending = getattr(self._pending, "delta", None)
        if pending is None:
            self._apply(delta)
        else:
            self._pending.delta = self._merge(pending, delta)


def apply(delta: Delta) -> None:
    """Add `delta` to the member rows and move each scope's totals (two statements)."""
    rows = sorted((key, change) for key, change in delta.items() if any(change))
    if not rows:
        return
    with transaction.atomic():
        returned = _upsert(
            TallyMember,
            ("scope", "key", "member"),
            [(key, {"count": count, "amount": amount}) for key, (count, amount) in rows],
            returning=("scope", "key", "member", "count"),
        )
        now = {(scope, key, member): count for scope, key, member, count in returned}
        totals: dict[tuple[str, str], dict[str, Any]] = {}
        for (scope, key, member), (count, amount) in rows:
            after = now[(scope, key, member)]
            before = after - count
            total = totals.setdefault((scope, key), {"members": 0, "count": 0, "amount": 0})
            total["members"] += int(after > 0) - int(before > 0)
            total["count"] += count
            total["amount"] += amount
        _upsert(
            Tally,
            ("scope", "key"),
            sorted((key, figures) for key, figures in totals.items() if any(figures.values())),
        )


def _upsert(
    model: type[models.Model],
    key_fields: tuple[str, ...],
    rows: list,
    returning: tuple[str, ...] = (),
) -> list[tuple]:
    if not rows:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    figures = list(rows[0][1])
    columns = [*key_fields, *figures]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(map(quote, key_fields))}) DO UPDATE SET "
        + ", ".join(f"{quote(f)} = {table}.{quote(f)} + excluded.{quote(f)}" for f in figures)
    )
    if returning:
        sql += f" RETURNING {', '.join(map(quote, returning))}"
    params: list[Any] = []
    for key, change in rows:
        params.extend(key)
        params.extend(Decimal(change[f]) if f == "amount" else change[f] for f in figures)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


_batch = Batch(dict, plus, apply)
# Within the block, every `add()` is gathered and the sum applied once, at its end.
collecting = _batch.collecting
add = _batch.add


# ---------------------------------------------------------------------------
# Reading


def totals(scope: str) -> dict[str, TallyTotals]:
    """The scope's tallies by key (one query); a key nobody reached is absent."""
    return {
        key: TallyTotals(members, count, Decimal(amount).quantize(CENT))
        for key, members, count, amount in Tally.objects.filter(scope=scope)
        .order_by()
        .values_list("key", "members", "count", "amount")
    }


# ---------------------------------------------------------------------------
# Checking and rebuilding (against what the domain modules recompute from the base rows)


@dataclass(frozen=True)
class RowDifference:
    """A summary row that disagrees with the base rows it sums."""

    table: str
    key: tuple
    stored: dict[str, Any]
    expected: dict[str, Any]

    def describe(self) -> str:
        changed = ", ".join(
            f"{name} {self.stored.get(name, 0)} (should be {self.expected.get(name, 0)})"
            for name in sorted(self.stored.keys() | self.expected.keys())
            if self.stored.get(name, 0) != self.expected.get(name, 0)
        )
        return f"{self.table} {'/'.join(map(str, self.key))}: {changed}"


def stored(scopes: Iterable[str]) -> Delta:
    return {
        (scope, key, member): (count, Decimal(amount).quantize(CENT))
        for scope, key, member, count, amount in TallyMember.objects.filter(scope__in=list(scopes))
        .order_by()
        .values_list("scope", "key", "member", "count", "amount")
    }


def _totals_of(members: Delta) -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for (scope, key, _member), (count, amount) in members.items():
        if not (count or amount):
            continue
        total = found.setdefault((scope, key), {"members": 0, "count": 0, "amount": Decimal(0)})
        total["members"] += int(count > 0)
        total["count"] += count
        total["amount"] += amount
    return found


def _stored_totals(scopes: Iterable[str]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (scope, key): {"members": members, "count": count, "amount": Decimal(amount)}
        for scope, key, members, count, amount in Tally.objects.filter(scope__in=list(scopes))
        .order_by()
        .values_list("scope", "key", "members", "count", "amount")
        if members or count or amount
    }


def differences(scopes: Iterable[str], wanted: Delta) -> list[RowDifference]:
    """Member rows that differ from `wanted`, and totals that differ from the members."""
    scopes = list(scopes)
    found = []
    have = {key: value for key, value in stored(scopes).items() if any(value)}
    want = {key: value for key, value in wanted.items() if any(value)}
    for key in sorted(have.keys() | want.keys(), key=sortable_key):
        if have.get(key) != want.get(key):
            found.append(
                RowDifference(
                    table=str(TallyMember._meta.verbose_name),
                    key=key,
                    stored=_figures(have.get(key)),
                    expected=_figures(want.get(key)),
                )
            )
    have_totals, want_totals = _stored_totals(scopes), _totals_of(want)
    for scope_key in sorted(have_totals.keys() | want_totals.keys()):
        if have_totals.get(scope_key) != want_totals.get(scope_key):
            found.append(
                RowDifference(
                    table=str(Tally._meta.verbose_name),
                    key=scope_key,
                    stored=have_totals.get(scope_key, {}),
                    expected=want_totals.get(scope_key, {}),
                )
            )
    return found


def _figures(value: tuple[int, Decimal] | None) -> dict[str, Any]:
    count, amount = value or (0, Decimal(0))
    return {"count": count, "amount": amount}


def sortable_key(key: tuple) -> tuple:
    """Keys mixing ids, text and dates in an order that never compares unlike types."""
    return tuple(str(part) for part in key)


def lock_for_recount(*tables: type[models.Model]) -> None:
    """Hold writers of `tables` off until the transaction ends (PostgreSQL; SQLite has one
    writer anyway), so nothing slips in between recomputing figures and rewriting them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN SHARE MODE"
            )


def rebuild(scopes: Iterable[str], wanted: Delta, *, batch_size: int = 5_000) -> int:
    """Replace the scopes' member rows and totals with `wanted`; the member rows written."""
    scopes = list(scopes)
    members = {key: value for key, value in wanted.items() if any(value)}
    with transaction.atomic():
        TallyMember.objects.filter(scope__in=scopes).delete()
        Tally.objects.filter(scope__in=scopes).delete()
        TallyMember.objects.bulk_create(
            (
                TallyMember(scope=scope, key=key, member=member, count=count, amount=amount)
                for (scope, key, member), (count, amount) in members.items()
            ),
            batch_size=batch_size,
        )
        Tally.objects.bulk_create(
            Tally(scope=scope, key=key, **figures)
            for (scope, key), figures in _totals_of(members).items()
        )
    return len(members)
