from django.apps import AppConfig


class PatientLinksConfig(AppConfig):
    name = "patient_links"
    verbose_name = "Patient links"
