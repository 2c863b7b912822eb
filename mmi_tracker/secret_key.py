"""The development secret key is for DEBUG only. A web server started with it and DEBUG off
refuses to start (wsgi.py, asgi.py; runserver loads wsgi.py too), so no session or CSRF
token is ever signed with a key anyone can read. Commands that serve nothing (migrate,
makemigrations) run without a secret; `check --deploy` reports the key (security.W009)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "development-only-not-secret-mmi-tracker"


def refuse_development_key_in_production() -> None:
    if not settings.DEBUG and settings.SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key and DEBUG is off: set SECRET_KEY to a long "
            "random value (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
