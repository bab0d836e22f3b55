from django.contrib import admin
from django.urls import include, path

from core.views import healthz

handler500 = "core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("zones_project.api_urls")),
    path("healthz", healthz, name="healthz"),
    # set_language: the language switch on every public page posts here (ADR 0705).
    path("i18n/", include("django.conf.urls.i18n")),
    # The portal for companies' and developers' own people, and its sign-in (docs/portal.md).
    path("accounts/", include("allauth.urls")),
    path("portal/", include("portal.urls")),
    path("", include("zones_project.public_urls")),
]
