from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def _judge_unjudged(sender: AppConfig, using: str, **kwargs) -> None:
    """Judge the cases a migration added without a plateau verdict (migration 0024): the rule
    is code, which runs against the schema it was written for only once every migration has
    run."""
    if using != DEFAULT_DB_ALIAS:
        return  # a replica follows the primary
    from .models import Case
    from .services.plateau import plateau_rebuild

    plateau_rebuild(Case.objects.filter(plateau__isnull=True))


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        # Case.revision follows every change a case document prints (docs/architecture.md §8).
        from .reports import revisions

        revisions.connect()
        post_migrate.connect(_judge_unjudged, sender=self)
