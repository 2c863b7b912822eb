from django.apps import AppConfig


class PatientLinksConfig(AppConfig):
    name = "patient_links"
    verbose_name = "Patient links"

    def ready(self) -> None:
        # A plan stops when MMI is certified (patient_links/receivers.py).
        from . import receivers

        receivers.connect()
