"""Views of the API platform itself (not of any resource)."""

from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt


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
