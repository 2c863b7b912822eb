from django.core.management.base import BaseCommand

from cases.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo creates."

    def handle(self, *args, **options) -> None:
        self.stdout.write("\nMMI Tracker is starting on http://127.0.0.1:8000")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role, organisation, *_ in DEMO_USERS:
            where = f", {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<14} {first} {last} — {role.label}{where}")
        self.stdout.write("")
