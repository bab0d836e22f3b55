"""The change log partners sync from, and the tombstones of the older deletions feed.

Every write to a resource partners mirror leaves a `Change` row in the same transaction:
an upsert or a delete of the row itself, and an upsert of every other row whose
representation it alters (a pledge changes its zone's and company's totals; a renamed
company changes the pledges and registrations that show its name). A signal is the right
tool here: writes happen in the admin, the shell, services, cascades and imports alike,
and every one of them must leave a trace for partners.

Which rows show what (the API's serializers decide it; tests/api/test_changes.py pins it):

- zone: its developer (slug, name), sectors (slug, name), incentive slugs, rollout steps,
  and its pledges' totals; developer and incentive rows count their zones;
- company: its sector (slug, name) and its pledges' and registrations' totals;
- interest: its company (name, origin, country) and zones (slug, name);
- pledge: its company, zone and registration reference, and its disbursements' totals.

`updated` is bumped, as well, on a zone or company whose totals a pledge, disbursement,
registration or rollout step changes, on a pledge whose disbursements change and on a
developer whose zones change, because `updated_since` promised that. Renames shown inside
other rows, and counts through many-to-many links, are in the change log only: bumping
those rows would lock them in the opposite order to the totals and invite deadlocks.
"""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, Max, Q, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from companies.models import Company, InterestRegistration
from investments.models import Disbursement, Pledge
from zones.models import Incentive, Sector, Zone, ZoneDeveloper, ZoneStatusChange

from .choices import PUBLIC_RESOURCES, ChangeKind, SyncResource
from .models import Change, Tombstone

__all__ = ["PUBLIC_RESOURCES", "TRACKED_RESOURCES", "Position", "changes_after", "current_position"]

# resource name (as in the API and the feeds) → (model, lookup attribute)
TRACKED_RESOURCES = {
    SyncResource.ZONE: (Zone, "slug"),
    SyncResource.DEVELOPER: (ZoneDeveloper, "slug"),
    SyncResource.INCENTIVE: (Incentive, "slug"),
    SyncResource.COMPANY: (Company, None),
    SyncResource.INTEREST: (InterestRegistration, "reference"),
    SyncResource.PLEDGE: (Pledge, None),
}
RESOURCE_BY_MODEL = {model: (name, lookup) for name, (model, lookup) in TRACKED_RESOURCES.items()}

# model → {resource whose rows show it: the lookup from those rows to it}
SHOWN_IN = {
    Zone: {SyncResource.PLEDGE: "zone", SyncResource.INTEREST: "zones"},
    Company: {SyncResource.PLEDGE: "company", SyncResource.INTEREST: "company"},
    ZoneDeveloper: {SyncResource.ZONE: "developer"},
    Sector: {SyncResource.ZONE: "sectors", SyncResource.COMPANY: "sector"},
    Incentive: {SyncResource.ZONE: "incentives"},
    InterestRegistration: {SyncResource.PLEDGE: "registration"},
}
# model → the fields SHOWN_IN rows display
SHOWN_FIELDS = {
    Zone: ("slug", "name"),
    Company: ("name", "origin", "country"),
    ZoneDeveloper: ("slug", "name"),
    Sector: ("slug", "name"),
    Incentive: ("slug",),
    InterestRegistration: ("reference",),
}
# model → {resource carrying a total or count of it: the foreign key to that row}
TOTALLED_IN = {
    Pledge: {SyncResource.ZONE: "zone_id", SyncResource.COMPANY: "company_id"},
    InterestRegistration: {SyncResource.COMPANY: "company_id"},
    Zone: {SyncResource.DEVELOPER: "developer_id"},
    ZoneStatusChange: {SyncResource.ZONE: "zone_id"},
    Disbursement: {SyncResource.PLEDGE: "pledge_id"},
}
# Deleting one of these also changes the rows counting it through a many-to-many link.
COUNTED_THROUGH_LINKS = {Zone: {SyncResource.INCENTIVE: "zones"}}


# --- writing the log ---------------------------------------------------------------------


def _entries(resource, rows, kind=ChangeKind.UPSERT):
    return [
        Change(resource=resource, object_id=pk, lookup=lookup or "", kind=kind)
        for pk, lookup in rows
    ]


def _rows(resource, pks):
    """[(pk, lookup)] of the resource's rows among `pks` that still exist."""
    model, lookup = TRACKED_RESOURCES[resource]
    fields = ("pk", lookup) if lookup else ("pk",)
    rows = model.objects.filter(pk__in=pks).order_by("pk").values_list(*fields)
    return [(row[0], row[1] if lookup else "") for row in rows]


def _log_changes(*, bump=None, show=None):
    """Bump `updated` on the `bump` rows, then log an upsert for those and the `show` rows.

    Both are {resource: ids}. Called inside the writer's transaction (or, for a bare
    save() in autocommit mode, in one of its own straight after).
    """
    entries = []
    now = timezone.now()
    with transaction.atomic(savepoint=False):
        for resource, pks in (bump or {}).items():
            pks = sorted({pk for pk in pks if pk is not None})
            if pks:
                model, _ = TRACKED_RESOURCES[resource]
                # Locked in id order first: UPDATE … WHERE id IN (…) locks in the order it
                # scans, which follows where the rows' latest versions lie, so two writers
                # moving pledges between the same zones could each hold the other's zone.
                list(
                    model.objects.select_for_update(of=("self",))
                    .filter(pk__in=pks)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                model.objects.filter(pk__in=pks).update(updated=now)
                entries += _entries(resource, _rows(resource, pks))
        for resource, pks in (show or {}).items():
            pks = sorted({pk for pk in pks if pk is not None} - set((bump or {}).get(resource, ())))
            if pks:
                entries += _entries(resource, _rows(resource, pks))
        if entries:
            Change.objects.bulk_create(entries)


def _showing(sender, pk):
    """{resource: ids} of the rows whose representation shows this row of `sender`."""
    showing = {}
    for resource, link in SHOWN_IN.get(sender, {}).items():
        model = TRACKED_RESOURCES[resource][0]
        showing[resource] = list(model.objects.filter(**{link: pk}).values_list("pk", flat=True))
    return showing


def _totalled_in(sender, values):
    """{resource: ids} of the rows carrying totals of a row with these foreign-key values."""
    found = defaultdict(set)
    for resource, attname in TOTALLED_IN.get(sender, {}).items():
        found[resource].add(values.get(attname))
    if sender is Disbursement:
        # A disbursement changes its pledge's realised totals, and so its zone's and company's.
        pledge_ids = found[SyncResource.PLEDGE] - {None}
        for zone_id, company_id in Pledge.objects.filter(pk__in=pledge_ids).values_list(
            "zone_id", "company_id"
        ):
            found[SyncResource.ZONE].add(zone_id)
            found[SyncResource.COMPANY].add(company_id)
    return found


def _watched_fields(sender):
    return (*SHOWN_FIELDS.get(sender, ()), *TOTALLED_IN.get(sender, {}).values())


@receiver(pre_save)
def remember_previous_values(sender, instance, raw=False, **kwargs):
    """Keep the values other rows show or total by, to compare after the save."""
    fields = _watched_fields(sender)
    if not fields or raw or instance._state.adding or instance.pk is None:
        return
    instance._sync_previous = sender._base_manager.filter(pk=instance.pk).values(*fields).first()


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    tracked = RESOURCE_BY_MODEL.get(sender)
    previous = instance.__dict__.pop("_sync_previous", None)
    if tracked is None and sender not in TOTALLED_IN and sender not in SHOWN_IN:
        return
    with transaction.atomic(savepoint=False):
        if tracked is not None:
            resource, lookup = tracked
            Change.objects.create(
                resource=resource,
                object_id=instance.pk,
                lookup=getattr(instance, lookup) if lookup else "",
                kind=ChangeKind.UPSERT,
            )
        if raw:  # loaddata: related rows may not be there yet
            return
        current = {field: getattr(instance, field) for field in _watched_fields(sender)}
        bump = _totalled_in(sender, current)
        show = {}
        if previous:
            for resource, ids in _totalled_in(sender, previous).items():
                bump.setdefault(resource, set()).update(ids)
            if any(previous[field] != current[field] for field in SHOWN_FIELDS.get(sender, ())):
                show = _showing(sender, instance.pk)
        _log_changes(bump=bump, show=show)


@receiver(pre_delete)
def remember_rows_losing_a_link(sender, instance, **kwargs):
    """Rows whose link to this one the deletion removes (many-to-many rows, SET_NULL keys)."""
    if sender not in SHOWN_IN and sender not in COUNTED_THROUGH_LINKS:
        return
    showing = _showing(sender, instance.pk)
    for resource, link in COUNTED_THROUGH_LINKS.get(sender, {}).items():
        model = TRACKED_RESOURCES[resource][0]
        showing[resource] = list(
            model.objects.filter(**{link: instance.pk}).values_list("pk", flat=True)
        )
    instance._sync_losing_link = showing


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    tracked = RESOURCE_BY_MODEL.get(sender)
    losing_link = instance.__dict__.pop("_sync_losing_link", None)
    if tracked is None and sender not in TOTALLED_IN and losing_link is None:
        return
    if tracked is not None:
        resource, lookup_attribute = tracked
        lookup = getattr(instance, lookup_attribute) if lookup_attribute else ""
        Change.objects.create(
            resource=resource, object_id=instance.pk, lookup=lookup, kind=ChangeKind.DELETE
        )
        Tombstone.objects.create(resource=resource, object_id=str(instance.pk), lookup=lookup)
    values = {field: getattr(instance, field) for field in TOTALLED_IN.get(sender, {}).values()}
    _log_changes(bump=_totalled_in(sender, values), show=losing_link)


# Many-to-many links: the row holding the field shows the other side (a zone its sectors and
# incentives, a registration its zones); an incentive counts its zones.
M2M_LINKS = {
    Zone.sectors.through: ("sectors", "zones"),
    Zone.incentives.through: ("incentives", "zones"),
    InterestRegistration.zones.through: ("zones", "registrations"),
}
COUNTS_ITS_LINKS = (Incentive,)


@receiver(m2m_changed)
def log_link_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if sender not in M2M_LINKS:
        return
    if action == "pre_clear":  # post_clear is not told which links went
        field_name, related_name = M2M_LINKS[sender]
        accessor = getattr(instance, related_name if reverse else field_name)
        instance._sync_cleared = list(accessor.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    others = instance.__dict__.pop("_sync_cleared", []) if action == "post_clear" else pk_set
    owner, target = (model, type(instance)) if reverse else (type(instance), model)
    owner_ids, target_ids = (others, [instance.pk]) if reverse else ([instance.pk], others)
    bump, show = {}, {}
    # The edited row is bumped when it shows the link (the owner), shown otherwise.
    owner_resource = RESOURCE_BY_MODEL[owner][0]
    (show if reverse else bump)[owner_resource] = list(owner_ids or ())
    if target in COUNTS_ITS_LINKS:
        show[RESOURCE_BY_MODEL[target][0]] = list(target_ids or ())
    _log_changes(bump=bump, show=show)


# --- bulk writers ------------------------------------------------------------------------


def log_rows_in_bulk(resource, queryset, kind=ChangeKind.UPSERT):
    """Log every row of `queryset` with one INSERT … SELECT, in the caller's transaction.

    For writers that bypass the signals (generate_data's COPY, bulk_create and set-based
    DELETEs): call it after inserting or updating, before deleting.
    """
    lookup = TRACKED_RESOURCES[resource][1]
    rows = (
        queryset.order_by("pk")
        .annotate(
            _resource=Value(str(resource), output_field=CharField()),
            _lookup=F(lookup) if lookup else Value("", output_field=CharField()),
            _kind=Value(str(kind), output_field=CharField()),
            _at=Value(timezone.now(), output_field=DateTimeField()),
        )
        .values_list("_resource", "pk", "_lookup", "_kind", "_at")
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Change._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (resource, object_id, lookup, kind, recorded_at) {select}",
            params,
        )


# --- reading the log -----------------------------------------------------------------------

BIGINT_MAX = 2**63 - 1


@dataclass(frozen=True, order=True)
class Position:
    """A place in the change log: entries are served in (xact_id, seq) order."""

    xact_id: int
    seq: int

    def encode(self) -> str:
        text = f"{self.xact_id}.{self.seq}".encode()
        return base64.urlsafe_b64encode(text).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        """The position a cursor names; ValueError if it is not one we handed out."""
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
            xact_id, seq = (int(part) for part in text.split("."))
        except (binascii.Error, UnicodeError, ValueError):
            raise ValueError("not a cursor") from None
        if not (0 <= xact_id <= BIGINT_MAX and 0 <= seq <= BIGINT_MAX):
            raise ValueError("not a cursor")
        return cls(xact_id, seq)


START = Position(0, 0)


def _ceiling() -> Position:
    """Up to this position every entry is committed, and no new one can still appear.

    PostgreSQL: the snapshot's xmin, the oldest transaction still in flight anywhere in
    the cluster. An entry of a transaction with a lower id is committed (or rolled back),
    and every transaction still to commit has an id at or above it, so its entries sort
    after the ceiling: a cursor that never passes the ceiling can never skip them.
    SQLite has one writer at a time and AUTOINCREMENT never reuses a number, so entries
    are numbered in commit order; the highest number now committed is the ceiling.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            return Position(cursor.fetchone()[0] - 1, BIGINT_MAX)
    return Position(0, Change.objects.aggregate(highest=Max("seq"))["highest"] or 0)


def current_position() -> Position:
    """Where a new mirror starts reading changes: taken *before* its full read."""
    return _ceiling()


def changes_after(
    position: Position, *, limit: int, resources=None
) -> tuple[list[Change], Position, bool]:
    """(entries after `position` up to the ceiling, the position to resume at, more waiting)."""
    # The ceiling is read first: the entries' query then runs on a newer snapshot and sees
    # every entry below it.
    ceiling = _ceiling()
    queryset = Change.objects.filter(
        Q(xact_id__gt=position.xact_id) | Q(xact_id=position.xact_id, seq__gt=position.seq)
    ).filter(Q(xact_id__lt=ceiling.xact_id) | Q(xact_id=ceiling.xact_id, seq__lte=ceiling.seq))
    if resources is not None:
        queryset = queryset.filter(resource__in=resources)
    entries = list(queryset.order_by("xact_id", "seq")[: limit + 1])
    more = len(entries) > limit
    entries = entries[:limit]
    if more:
        return entries, Position(entries[-1].xact_id, entries[-1].seq), True
    # Nothing else up to the ceiling: the next read may start there.
    return entries, max(position, ceiling), False
