from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - keeps the pledge summary rows current
