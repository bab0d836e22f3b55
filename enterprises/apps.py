from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "Operating zone"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - keeps the plot tallies current
