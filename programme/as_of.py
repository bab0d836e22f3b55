# ruff: noqa: S608 - names come from model _meta and the one value is a datetime made here
"""Reports as they stood at the end of a past day (`as_of=YYYY-MM-DD`).

The report functions are written once, against the live tables. To run one as of a day,
`registry_as_of(day)` opens a transaction and creates, on this connection only, a temporary
view named like each live table it rebuilds: PostgreSQL and SQLite both look in the
connection's temporary schema before the main one, so the unchanged report queries read the
rebuilt rows. The transaction is rolled back at the end, which drops the views; nothing else
ever sees them. ADR 0706 gives the alternatives (a second, Python implementation of every
report; daily snapshots) and why they lost.

How each table is rebuilt, as at the end of the day (midnight in TIME_ZONE):

- models with change history (simple-history): each row's latest version saved before the
  cutoff, unless that version is its deletion; a live row without any version before the cutoff
  (written in bulk, bypassing history) counts with its current values if it was created before
  the cutoff. Columns that history does not keep (`updated`, search keys) come from the live row.
- the registration–zone links: the zones kept with the registration's version then; where that
  version was saved before zones were kept with versions (migration companies 0008), today's.

Targets, sectors and exchange rates are read as they are now.
"""

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from companies.models import Company, InterestRegistration
from enterprises.models import AnnualReturn, Enterprise, Plot
from investments.models import Disbursement, Pledge
from zones.models import Zone

# Parents before children: a child's view filters on its parent's.
HISTORY_BACKED: tuple[type[Model], ...] = (
    Zone,
    Company,
    InterestRegistration,
    Pledge,
    Disbursement,
    Enterprise,
    Plot,
    AnnualReturn,
)

_active = threading.local()


def cutoff_for(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in the registry's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def is_past(day: datetime.date | None) -> bool:
    """Whether `day` asks for rebuilt figures; today (or no day) is the live registry."""
    return day is not None and day < timezone.localdate()


def check_as_of(day: datetime.date) -> datetime.date:
    """`day`, if a report can be read as of it: today or earlier (the future is not recorded)."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            f"as_of ({day}) is after today ({today}): a report can only look back.",
            code="as_of_future",
        )
    return day


def reading_as_of() -> bool:
    """Whether this thread is inside `registry_as_of()`: live-only tables do not apply there."""
    return getattr(_active, "day", None) is not None


@contextmanager
def registry_as_of(day: datetime.date) -> Iterator[None]:
    """Within the block, every query on this connection reads the registry as of `day`."""
    if getattr(_active, "day", None) is not None:
        if _active.day != day:
            raise RuntimeError(f"Already reading as of {_active.day}, not {day}.")
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in view_statements(cutoff_for(day)):
                cursor.execute(statement)
        _active.day = day
        try:
            yield
        finally:
            _active.day = None
            # Rolling back drops the views (DDL is transactional on both databases).
            transaction.set_rollback(True)


def view_statements(cutoff: datetime.datetime) -> list[str]:
    literal = _timestamp_literal(cutoff)
    schema = _main_schema()
    statements = [_history_view(model, literal, schema) for model in HISTORY_BACKED]
    statements.append(_registration_zones_view(literal, schema))
    return statements


def _versions_then(model: type[Model], cutoff: str, columns: str = "h.*") -> str:
    """Each record's last version saved before `cutoff`, unless that version deleted it."""
    qn = connection.ops.quote_name
    history = qn(model.history.model._meta.db_table)  # type: ignore[attr-defined]
    pk = qn(model._meta.pk.column)
    return f"""
        SELECT {columns}
        FROM {history} h
        WHERE h.history_date < {cutoff}
          AND h.history_type <> '-'
          AND NOT EXISTS (
            SELECT 1 FROM {history} later
            WHERE later.{pk} = h.{pk}
              AND later.history_date < {cutoff}
              AND (later.history_date > h.history_date
                   OR (later.history_date = h.history_date AND later.history_id > h.history_id))
          )
    """


def _history_view(model: type[Model], cutoff: str, schema: str) -> str:
    qn = connection.ops.quote_name
    live = f"{schema}.{qn(model._meta.db_table)}"
    history_model = model.history.model  # type: ignore[attr-defined]
    history = qn(history_model._meta.db_table)
    pk = qn(model._meta.pk.column)
    kept = {field.column for field in history_model._meta.concrete_fields}
    columns = [field.column for field in model._meta.concrete_fields]
    from_history = ", ".join(
        f"h.{qn(column)}"
        if column in kept
        else f"(SELECT l.{qn(column)} FROM {live} l WHERE l.{pk} = h.{pk}) AS {qn(column)}"
        for column in columns
    )
    from_live = ", ".join(f"t.{qn(column)}" for column in columns)
    return f"""
        CREATE TEMPORARY VIEW {qn(model._meta.db_table)} AS
        {_versions_then(model, cutoff, from_history)}
        UNION ALL
        SELECT {from_live}
        FROM {live} t
        WHERE t.{qn("created")} < {cutoff}
          AND NOT EXISTS (
            SELECT 1 FROM {history} v WHERE v.{pk} = t.{pk} AND v.history_date < {cutoff}
          )
    """


def _registration_zones_view(cutoff: str, schema: str) -> str:
    """The zones each registration named then: kept with its versions since they have been.

    A version saved before zones were kept with it has none; that registration's links are
    read as they are now.
    """
    qn = connection.ops.quote_name
    through = InterestRegistration.zones.through
    table = qn(through._meta.db_table)
    snapshots = qn(
        apps.get_model("companies", "HistoricalInterestRegistration_zones")._meta.db_table
    )
    columns = ", ".join(qn(field.column) for field in through._meta.concrete_fields)
    versions = _versions_then(InterestRegistration, cutoff, "h.history_id")
    # Unqualified, the registrations' name is their view, created before this one.
    registrations = qn(InterestRegistration._meta.db_table)
    registration_id = qn("interestregistration_id")
    return f"""
        CREATE TEMPORARY VIEW {table} AS
        SELECT {columns} FROM {snapshots} WHERE history_id IN ({versions})
        UNION ALL
        SELECT {columns} FROM {schema}.{table} t
        WHERE t.{registration_id} IN (SELECT {qn("id")} FROM {registrations})
          AND t.{registration_id} NOT IN (
            SELECT s.{registration_id} FROM {snapshots} s WHERE s.history_id IN ({versions})
          )
    """


def _timestamp_literal(moment: datetime.datetime) -> str:
    """`moment` as SQL, the way each database stores timestamps.

    Views take no query parameters; the value is a datetime made here, never user text.
    """
    value = connection.ops.adapt_datetimefield_value(moment)
    if connection.vendor == "postgresql":
        return f"'{moment.isoformat()}'::timestamptz"
    return f"'{value}'"


def _main_schema() -> str:
    """Where the live tables are: unqualified names now resolve to the views first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            return connection.ops.quote_name(cursor.fetchone()[0])
    return "main"
