"""The admin site, with the programme dashboard on its index page.

`programme.apps.RegistryAdminConfig` names this class as the admin's default site, so every
`@admin.register` in the apps lands here. Django imports it when `admin.site` is first used,
after the models are loaded.
"""

from django.contrib import admin

from .dashboard import admin_dashboard


class RegistryAdminSite(admin.AdminSite):
    site_header = "Technology Zones Registry"
    site_title = "Zones Registry admin"
    index_title = "Programme workbench"

    def index(self, request, extra_context=None):
        context = {"dashboard": admin_dashboard(request)}
        context.update(extra_context or {})
        return super().index(request, extra_context=context)
