from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        # Case.revision follows every change a case document prints (docs/architecture.md §8).
        from .reports import revisions

        revisions.connect()
