from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        from . import datacache
        from .middleware import mark_staff_sign_in

        datacache.connect()
        user_logged_in.connect(mark_staff_sign_in, dispatch_uid="core.staff_idle_timeout")
