from django.db import connection
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@csrf_exempt  # it only ever answers 404; a CSRF 403 in HTML would hide that
def api_not_found(request, path=""):
    """A JSON 404 for any /api/v1/ address no endpoint answers (instead of the site's HTML page)."""
    detail = f"No API endpoint at /api/v1/{path}. The endpoints are listed at /api/v1/docs/."
    if path and not path.endswith("/"):
        try:
            resolve(f"/api/v1/{path}/")
        except Resolver404:
            pass
        else:
            detail = f"No API endpoint at /api/v1/{path}: add the trailing slash (/api/v1/{path}/)."
    return JsonResponse({"status": 404, "code": "not_found", "detail": detail}, status=404)
