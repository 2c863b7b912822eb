"""Send the daily digests that are due now: for cron, where Celery beat does not run."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services.digests import digest_send, users_due_digest


class Command(BaseCommand):
    help = "Email the daily digest to each user whose hour has come and who has not had one today."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        sent = sum(
            digest_send(user_id=user_id, today=timezone.localdate(now))
            for user_id in users_due_digest(now=now)
        )
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
