from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        post_migrate.connect(_shipped_definitions_load, sender=self)


def _shipped_definitions_load(using: str = "default", **kwargs: object) -> None:
    """A migrated database has the free instruments shipped with the product (unless the
    questionnaires' tables were just migrated away)."""
    from django.db import connections

    from .models import InstrumentDefinition
    from .services.definitions import shipped_definitions_load

    tables = connections[using].introspection.table_names()
    if InstrumentDefinition._meta.db_table in tables:
        shipped_definitions_load()
