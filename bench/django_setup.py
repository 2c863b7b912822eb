"""Django set up for a benchmark run as a script (``python bench/pages.py``): the project on
the path, the settings of a local run without HTTPS, and plain static file names as in the
tests, so that no collectstatic manifest is needed. Called before anything imports a model."""

import os
import sys
from pathlib import Path


def setup() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmi_tracker.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
