from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class ProgrammeConfig(AppConfig):
    """What spans the domain apps: reports, the dashboard, demo and import commands, sync."""

    name = "programme"
    verbose_name = "Programme"

    def ready(self):
        from . import sync  # noqa: F401  (connects the change-log receivers)


class RegistryAdminConfig(AdminConfig):
    """Django's admin, with the registry's site (the programme dashboard on its index)."""

    default_site = "programme.admin_site.RegistryAdminSite"
