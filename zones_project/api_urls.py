"""/api/v1/: the partner REST API (see docs/api.md)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import api_not_found

app_name = "api"

urlpatterns = [
    path("", include("zones.api.urls")),
    path("", include("companies.api.urls")),
    path("", include("investments.api.urls")),
    path("", include("enterprises.api.urls")),
    path("", include("programme.api.urls")),
    path("", include("notifications.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Last: any other address under /api/v1/ is a JSON 404, not the public site's HTML page.
    re_path(r"^(?P<path>.*)$", api_not_found, name="not-found"),
]
