"""Remove bulk exports older than 7 days: for cron, where Celery beat does not run."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services.report_exports import report_exports_expire


class Command(BaseCommand):
    help = "Delete the ZIPs of bulk exports past their 7 days and mark the exports expired."

    def handle(self, *args, **options) -> None:
        expired = report_exports_expire(now=timezone.now())
        self.stdout.write(f"{expired} export{'s' if expired != 1 else ''} expired.")
