from django.contrib import admin
from django.urls import include, path

from core.views import healthz

handler500 = "core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("zones_project.api_urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("zones_project.public_urls")),
]
