"""Views every surface shares: the health check and the last-resort error page.

A database outage is a 503 to retry, not a 500.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    message = (
        "The registry's database is briefly unavailable. Nothing was saved by this request; "
        f"retry in {RETRY_AFTER_SECONDS} seconds."
    )
    response: HttpResponse
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
    else:
        template = loader.get_template("503.html")
        # The page in the reader's language (the API's JSON above stays English, its contract).
        page_message = gettext(
            "The registry's database is briefly unavailable. Nothing was saved by this request; "
            "retry in %(seconds)s seconds."
        ) % {"seconds": RETRY_AFTER_SECONDS}
        # Rendered without a RequestContext: context processors could touch the database.
        response = HttpResponse(template.render({"message": page_message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 503 when the database is unreachable, else the ordinary 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.warning("Database unavailable while serving %s: %s", request.path, error)
        return _database_unavailable(request)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "Something went wrong on our side. It has been logged; "
                "please retry, and tell the registry team if it persists.",
                "code": "server_error",
            },
            status=500,
        )
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
