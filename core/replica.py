"""Reads on a PostgreSQL read replica where a request allows it (ADR 0707).

With `DATABASE_REPLICA_URL` set, settings add a `replica` database, `ReplicaRouter` and
`ReplicaMiddleware`. Writes and migrations always go to `default` (the primary). Reads go to
the replica only while the middleware has marked the current request as one that tolerates a
replica's lag:

- GET/HEAD of the public catalogue (`/`, `/zones/…`, `/data/…`);
- GET/HEAD of the API's reports and of its lists (a viewset's `list` action), except the
  change and deletion feeds, whose pollers must not skip what a lagging replica lacks.

Everything else reads the primary: the admin, the portal and accounts, the form and the
applicant's pages, any other method, and everything outside a request (commands, workers,
tests). So do a report with `as_of` (its temporary views need a writable connection, ADR
0706), anything inside `transaction.atomic()` on the primary, and, for
`REPLICA_STICKY_SECONDS` after a successful unsafe request, the same browser (a signed
`primary_until` cookie): what it has just written is never missing from the next page.

The replica is checked at most every `REPLICA_CHECK_SECONDS` per process: unreachable, or
behind by more than `REPLICA_MAX_LAG_SECONDS` (if set), it is left alone until the next check
and reads go to the primary. A replica that fails during a request is marked down and that
request's view runs again on the primary (GET and HEAD only, which change nothing).
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
STICKY_COOKIE = "primary_until"
STICKY_SALT = "core.replica.sticky"
SAFE_METHODS = frozenset({"GET", "HEAD"})
PUBLIC_PREFIXES = ("/zones/", "/data/")
API_PREFIX = "/api/"
API_REPORTS_PREFIX = "/api/v1/reports/"
# Feeds polled with a cursor: on a lagging replica a poller would move past rows not there yet.
API_PRIMARY_PREFIXES = ("/api/v1/changes/", "/api/v1/deletions/")

# Whether reads of the current request may go to the replica (False outside any request).
_replica_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_allowed", default=False
)

# Lag: 0 when the replica has replayed all it received, else the age of its last replay.
LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
    END
"""


class _Health:
    """The last check of the replica, shared by the threads of one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False

    def reset(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")
            self.usable = False

    def mark_down(self, reason: object) -> None:
        logger.warning("Read replica unusable, reading from the primary: %s", reason)
        with self.lock:
            self.checked_at = time.monotonic()
            self.usable = False


health = _Health()


def replica_configured() -> bool:
    """A replica alias that is a database of its own (not the test suite's mirror of default)."""
    if REPLICA not in settings.DATABASES:
        return False
    primary, replica = connections[PRIMARY].settings_dict, connections[REPLICA].settings_dict
    same = all(primary.get(key) == replica.get(key) for key in ("NAME", "HOST", "PORT"))
    return not same


def replica_usable() -> bool:
    """Reachable and within REPLICA_MAX_LAG_SECONDS, as of the last check (re-checked when due)."""
    now = time.monotonic()
    interval = float(getattr(settings, "REPLICA_CHECK_SECONDS", 5))
    with health.lock:
        if now - health.checked_at < interval:
            return health.usable
        # Claimed for this thread: the others use the previous answer meanwhile.
        health.checked_at = now
        previous = health.usable
    usable = _check()
    with health.lock:
        health.usable = usable
    if usable != previous:
        logger.info("Read replica %s.", "in use" if usable else "not in use")
    return usable


def _check() -> bool:
    max_lag = getattr(settings, "REPLICA_MAX_LAG_SECONDS", None)
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Read replica unreachable, reading from the primary: %s", error)
        _close_quietly()
        return False
    lag = float(row[0]) if row else 0.0
    if max_lag is not None and lag > float(max_lag):
        logger.warning(
            "Read replica %.1f s behind (more than %s s), reading from the primary.", lag, max_lag
        )
        return False
    return True


def _close_quietly() -> None:
    try:
        connections[REPLICA].close()
    except DatabaseError:
        logger.debug("Closing the failed replica connection failed too.", exc_info=True)


def reads_may_lag() -> bool:
    """Whether the current request's reads may have come from the replica (lagging writes)."""
    if not _replica_allowed.get() or not replica_configured():
        return False
    with health.lock:
        return health.usable


class ReplicaRouter:
    """Writes and migrations on the primary; reads on the replica where the request allows."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if not _replica_allowed.get():
            return PRIMARY
        # Inside a transaction on the primary (registry_as_of's temporary views among them),
        # reads see that transaction's own rows and views.
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not replica_configured() or not replica_usable():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def _sticky(request: HttpRequest) -> bool:
    """Whether this browser wrote something in the last REPLICA_STICKY_SECONDS."""
    seconds = int(getattr(settings, "REPLICA_STICKY_SECONDS", 10))
    value = request.get_signed_cookie(
        STICKY_COOKIE, default=None, salt=STICKY_SALT, max_age=seconds
    )
    return value is not None


def _may_use_replica(request: HttpRequest) -> bool:
    """The method and query allow a replica at all (the path is judged by the caller)."""
    return request.method in SAFE_METHODS and "as_of" not in request.GET and not _sticky(request)


def _public_catalogue(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


class ReplicaMiddleware:
    """Marks the requests whose reads may go to the replica; sets the read-your-writes cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        allowed = _may_use_replica(request) and (
            _public_catalogue(path) or path.startswith(API_REPORTS_PREFIX)
        )
        token = _replica_allowed.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            seconds = int(getattr(settings, "REPLICA_STICKY_SECONDS", 10))
            if seconds > 0:
                response.set_signed_cookie(
                    STICKY_COOKIE,
                    "1",
                    salt=STICKY_SALT,
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> None:
        """An API list (a viewset's `list` action) may read the replica; a detail may not."""
        path = request.path_info
        if (
            path.startswith(API_PREFIX)
            and not path.startswith(API_PRIMARY_PREFIXES)
            and (getattr(view_func, "actions", None) or {}).get("get") == "list"
            and _may_use_replica(request)
        ):
            _replica_allowed.set(True)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica failing mid-request: mark it down and run the (safe) view on the primary."""
        connection_failed = isinstance(exception, OperationalError | InterfaceError)
        if not _replica_allowed.get() or not connection_failed:
            return None
        if connections[PRIMARY].in_atomic_block or request.resolver_match is None:
            return None
        health.mark_down(exception)
        _close_quietly()
        _replica_allowed.set(False)
        match = request.resolver_match
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
