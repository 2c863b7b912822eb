# Loaded with Django so that tasks sent from the web process use this app's configuration.
from .celery import app as celery_app

__all__ = ["celery_app"]
