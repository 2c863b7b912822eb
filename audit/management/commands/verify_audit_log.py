from django.core.management.base import BaseCommand, CommandError

from audit.models import AccessLogEntry


class Command(BaseCommand):
    help = "Walk the access log's hash chain; report the first broken link (exit code 1)."

    def handle(self, *args, **options):
        previous_hash = ""
        count = 0
        entries = AccessLogEntry.objects.order_by("pk").iterator(chunk_size=2000)
        for entry in entries:
            if entry.previous_hash != previous_hash:
                raise CommandError(
                    f"Broken link at entry {entry.pk} ({entry}): it does not follow the entry "
                    "before it; an entry was removed, inserted or changed."
                )
            if entry.compute_hash() != entry.entry_hash:
                raise CommandError(
                    f"Broken link at entry {entry.pk} ({entry}): its content no longer "
                    "matches its hash; it was changed after it was written."
                )
            previous_hash = entry.entry_hash
            count += 1
        self.stdout.write(self.style.SUCCESS(f"{count} entries, chain intact."))
