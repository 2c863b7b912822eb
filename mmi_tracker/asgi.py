import os

from django.core.asgi import get_asgi_application

from mmi_tracker.secret_key import refuse_development_key_in_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmi_tracker.settings")

application = get_asgi_application()
refuse_development_key_in_production()
