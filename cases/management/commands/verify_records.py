"""Check that the signed records are still what was signed.

    manage.py verify_records

Hashes every issued report's file again and works out every signed determination's
fingerprint again; names each that does not match and exits with status 1 if any. The task
queue runs the same check daily (tasks.verify_records) and logs what it finds at error
level."""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Determination, IssuedReport
from cases.selectors.integrity import record_mismatches


class Command(BaseCommand):
    help = "Hash every issued report and signed determination again; report any mismatch."

    def handle(self, *args, **options) -> None:
        mismatches = record_mismatches()
        for mismatch in mismatches:
            self.stderr.write(str(mismatch))
        if mismatches:
            raise CommandError(
                "1 signed record does not match what was signed."
                if len(mismatches) == 1
                else f"{len(mismatches)} signed records do not match what was signed."
            )
        reports = IssuedReport.objects.count()
        signed = Determination.objects.exclude(status=Determination.Status.DRAFT).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{reports} issued reports and {signed} signed determinations match."
            )
        )
