"""The Celery app: bulk report exports and reminder emails run here, off the web request.

Configured from Django's settings (the CELERY_* names in mmi_tracker/settings.py). With no
CELERY_BROKER_URL every task runs inline in the process that sends it, so `make run` needs
no broker; with one, `make worker` (and `make beat` for the periodic tasks) do the work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmi_tracker.settings")

app = Celery("mmi_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
