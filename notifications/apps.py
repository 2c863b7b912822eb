from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Case events and assigned tasks become notifications (notifications/receivers.py).
        from . import receivers

        receivers.connect()
