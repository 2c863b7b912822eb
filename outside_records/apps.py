from django.apps import AppConfig


class OutsideRecordsConfig(AppConfig):
    name = "outside_records"
    verbose_name = "Outside records"
