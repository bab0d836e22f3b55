from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and webhooks"

    def ready(self):
        # The domain apps announce their events; this app, above them, listens.
        from . import receivers  # noqa: F401
