"""System checks: what the installation needs before it can do its work, said at start-up
(`manage.py check`, `runserver`) rather than found at the first Texas certification."""

from django.conf import settings
from django.core.checks import Warning, register

from .reports.official.signing import CERTIFICATE_FILE, KEY_FILE


@register()
def signing_authority_present(app_configs, **kwargs) -> list[Warning]:
    directory = settings.SIGNING_CA_DIR
    if all((directory / name).is_file() for name in (KEY_FILE, CERTIFICATE_FILE)):
        return []
    return [
        Warning(
            f"No signing authority in SIGNING_CA_DIR ({directory}).",
            hint=(
                "Texas certifications and work status reports are issued on the signed state "
                "forms and wait as 'being prepared' until it exists: run "
                "`manage.py create_signing_authority`."
            ),
            id="cases.W001",
        )
    ]
