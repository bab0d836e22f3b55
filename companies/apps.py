from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Companies and registrations"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - keeps the registration tallies current
