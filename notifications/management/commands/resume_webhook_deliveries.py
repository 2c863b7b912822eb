"""Queue again the webhook deliveries whose task was lost: for cron, where Celery beat does
not run."""

from django.core.management.base import BaseCommand

from notifications.tasks import resume_webhook_deliveries


class Command(BaseCommand):
    help = "Queue again each webhook delivery whose next try is over 15 minutes late."

    def handle(self, *args, **options) -> None:
        resumed = resume_webhook_deliveries()
        self.stdout.write(f"{resumed} webhook deliver{'ies' if resumed != 1 else 'y'} resumed.")
