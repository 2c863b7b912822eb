"""manage.py apply_diary_rules: every diary rule over every case now, as the daily task
does (diaries/tasks.py), e.g. after loading cases in bulk."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from diaries.services import diary_rules_apply


class Command(BaseCommand):
    help = "Open the diary tasks the rules call for and close those whose condition ended."

    def handle(self, *args, **options) -> None:
        totals = diary_rules_apply(today=timezone.localdate())
        self.stdout.write(f"Opened {totals['opened']} tasks, closed {totals['closed']}.")
