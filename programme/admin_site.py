"""The admin site: the Authority's workbench, with the programme dashboard on its index page.

`programme.apps.RegistryAdminConfig` names this class as the admin's default site, so every
`@admin.register` in the apps lands here. Django imports it when `admin.site` is first used,
after the models are loaded.
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .dashboard import admin_dashboard

# Records that the software keeps for itself (login throttling, API replay protection, deletion
# notices for syncing partners). Superusers find them under "System"; other staff do not need
# them in their menu.
SYSTEM_MODELS = {
    ("axes", "AccessAttempt"),
    ("axes", "AccessFailureLog"),
    ("axes", "AccessLog"),
    ("partners", "IdempotencyRecord"),
    ("programme", "Tombstone"),
}

# Menu sections as staff call them (the apps' own names stay for URLs and permissions).
SECTION_NAMES = {
    "auth": "Users and access",
    "companies": "Companies and registrations",
    "partners": "Partner access",
}


class RegistryAdminSite(admin.AdminSite):
    site_header = settings.PRODUCT_NAME
    site_title = settings.PRODUCT_NAME
    index_title = "Registry workbench"

    def login(self, request, extra_context=None):
        # With two-factor required, staff sign in where the second factor is asked for.
        if settings.STAFF_REQUIRE_2FA and not request.user.is_authenticated:
            query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
            return redirect(f"{reverse('account_login')}?{query}")
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        context = {"dashboard": admin_dashboard(request)}
        context.update(extra_context or {})
        return super().index(request, extra_context=context)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        sections, system_models = [], []
        for app in app_list:
            kept = []
            for model in app["models"]:
                if (app["app_label"], model["object_name"]) in SYSTEM_MODELS:
                    system_models.append(model)
                else:
                    kept.append(model)
            if kept:
                sections.append(
                    {
                        **app,
                        "name": SECTION_NAMES.get(app["app_label"], app["name"]),
                        "models": kept,
                    }
                )
        if system_models and request.user.is_superuser:
            sections.append(
                {
                    "name": "System",
                    "app_label": "system",
                    "app_url": reverse("admin:index", current_app=self.name),
                    "has_module_perms": True,
                    "models": sorted(system_models, key=lambda model: model["name"]),
                }
            )
        return sections
