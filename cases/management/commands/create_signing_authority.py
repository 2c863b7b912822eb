from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.reports.official.signing import SigningAuthorityExists, authority_create


class Command(BaseCommand):
    help = (
        "Create the installation's signing authority (its key and certificate, in "
        "SIGNING_CA_DIR), which issues the certificate of each signed Texas form. Run once; "
        "keep the key secret and backed up."
    )
    # It makes what the start-up check would ask for: no need to be told it is missing.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--name",
            default="MMI Tracker signing authority",
            help="The authority's name, as its certificate and every signature show it.",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when there is one already (for `make run`).",
        )

    def handle(self, *args, name: str, if_missing: bool, **options) -> None:
        directory = Path(settings.SIGNING_CA_DIR)
        try:
            authority = authority_create(directory, common_name=name)
        except SigningAuthorityExists as exists:
            if if_missing:
                return
            raise CommandError(str(exists)) from None
        fingerprint = authority.certificate.fingerprint(hashes.SHA256()).hex(":")
        self.stdout.write(f"Signing authority created in {directory} (SHA-256 {fingerprint}).")
