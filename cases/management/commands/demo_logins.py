from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.management.commands.seed_demo import (
    DEMO_AUTHENTICATOR_KEY,
    DEMO_PASSWORD,
    DEMO_USERS,
)
from cases.services.second_factor import authenticator_key


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo creates."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, organisation, *_ in DEMO_USERS:
            where = f", {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<14} {first} {last} — {role.label}{where}")
        key = authenticator_key(TOTPDevice(key=DEMO_AUTHENTICATOR_KEY))
        self.stdout.write(
            "Clinicians and administrators then confirm a second factor: add the key\n"
            f"  {key}\n"
            "to an authenticator app, or print the code of the moment with\n"
            "  .venv/bin/python manage.py demo_code\n"
            f"Security keys and passkeys work at {settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]}.\n"
        )
