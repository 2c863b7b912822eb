from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Case events and assigned tasks become notifications (notifications/receivers.py),
        # and webhook calls to API clients (notifications/webhooks/receivers.py).
        from . import receivers
        from .webhooks import receivers as webhook_receivers

        receivers.connect()
        webhook_receivers.connect()
