"""Results computed from the whole registry, cached until the next write anywhere in it.

Every report reads many tables, so rather than tracking which writes touch which report, any
saved or deleted row (outside the bookkeeping apps below) moves one counter, the data
generation, and cached results are keyed by it. With a shared cache (`CACHE_URL=redis://…`)
every app server and worker sees the same counter; with the per-process default a write made
in another process is seen within `REPORT_CACHE_SECONDS`, which also bounds what writers that
bypass signals (`queryset.update()`, COPY in `generate_data`) can leave stale.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from core import replica

logger = logging.getLogger(__name__)

GENERATION_KEY = "registry:data-generation"
# Rows that no report reads: sessions, background-task bookkeeping, outbox and audit rows.
# Counting them would empty the cache on every page view or task.
IGNORED_APPS = frozenset(
    {"sessions", "django_tasks_db", "admin", "axes", "contenttypes", "notifications", "core"}
)

T = TypeVar("T")


def data_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A clock-based start, so a counter lost with the cache never repeats an old number.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    return int(generation)


def bump_generation() -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or evicted)
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # a cache that is down must not fail the write
        logger.warning("Could not move the data generation on", exc_info=True)


def cached(name: str, parameters: object, compute: Callable[[], T]) -> T:
    """`compute()`, or its result for the same `parameters` since the last write.

    The day is part of the key: reports judge "overdue" and "expired" against today.
    """
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    try:
        digest = hashlib.sha256(repr(parameters).encode()).hexdigest()[:32]
        key = f"registry:{name}:{data_generation()}:{timezone.localdate():%Y%m%d}:{digest}"
        hit = cache.get(key)
    except Exception:
        logger.warning("Report cache unavailable; computing %s", name, exc_info=True)
        return compute()
    if hit is not None:
        return hit
    result = compute()
    if replica.reads_may_lag():
        # Read on a replica that may not have the write which moved the generation on: kept
        # no longer than a browser's own writes are kept off the replica (ADR 0707).
        seconds = min(seconds, max(1, settings.REPLICA_STICKY_SECONDS))
    try:
        cache.set(key, result, timeout=seconds)
    except Exception:
        logger.warning("Could not cache %s", name, exc_info=True)
    return result


def _data_changed(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label in IGNORED_APPS:
        return
    # Now, for this process's own next read inside the transaction, and again on commit, so
    # that a result another process cached in between (from the rows before the commit) is
    # not kept.
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


def connect() -> None:
    post_save.connect(_data_changed, dispatch_uid="core.datacache.post_save")
    post_delete.connect(_data_changed, dispatch_uid="core.datacache.post_delete")
    m2m_changed.connect(_data_changed, dispatch_uid="core.datacache.m2m_changed")
