from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    name = "deliveries"
    verbose_name = "Deliveries"

    def ready(self) -> None:
        # Distribution lists and portal deliveries follow the case's events
        # (deliveries/receivers.py).
        from . import receivers

        receivers.connect()
