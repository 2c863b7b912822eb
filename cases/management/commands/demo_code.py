from django.core.management.base import BaseCommand
from django_otp.oath import totp

from cases.management.commands.seed_demo import DEMO_AUTHENTICATOR_KEY


class Command(BaseCommand):
    help = "Print the code the demo's authenticator app shows now (seed_demo's key)."

    def handle(self, *args, **options) -> None:
        code = totp(bytes.fromhex(DEMO_AUTHENTICATOR_KEY))
        self.stdout.write(f"{code:06d}")
