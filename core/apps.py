from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Registry core"

    def ready(self) -> None:
        from . import datacache
        from .history import skip_history_for_fixture_rows
        from .middleware import mark_staff_sign_in

        datacache.connect()
        user_logged_in.connect(mark_staff_sign_in, dispatch_uid="core.staff_idle_timeout")
        pre_save.connect(
            skip_history_for_fixture_rows, dispatch_uid="core.raw_saves_write_no_history"
        )
