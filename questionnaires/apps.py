from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        post_migrate.connect(_shipped_definitions_load, sender=self)


def _shipped_definitions_load(**kwargs: object) -> None:
    """A migrated database has the free instruments shipped with the product."""
    from .services.definitions import shipped_definitions_load

    shipped_definitions_load()
