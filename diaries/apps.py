from django.apps import AppConfig


class DiariesConfig(AppConfig):
    name = "diaries"
    verbose_name = "Diaries"

    def ready(self) -> None:
        # The rules judge a case again when it changes (diaries/receivers.py).
        from . import receivers

        receivers.connect()
