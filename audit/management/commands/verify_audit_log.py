from django.core.management.base import BaseCommand, CommandError

from audit.anchors import last_anchor
from audit.models import AccessLogEntry


def _entries(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"


class Command(BaseCommand):
    help = (
        "Walk the access log's hash chain and compare it with the last anchor; report the "
        "first broken link (exit code 1)."
    )

    def handle(self, *args, **options):
        previous_hash = ""
        count = 0
        seen_keyed = False
        anchor = last_anchor()
        anchored_hash = None  # the anchored entry's hash as the walk finds it
        entries = AccessLogEntry.objects.order_by("pk").iterator(chunk_size=2000)
        for entry in entries:
            if entry.previous_hash != previous_hash:
                raise CommandError(
                    f"Broken link at entry {entry.pk} ({entry}): it does not follow the entry "
                    "before it; an entry was removed, inserted or changed."
                )
            if not entry.keyed and seen_keyed:
                raise CommandError(
                    f"Broken link at entry {entry.pk} ({entry}): it is not keyed but follows "
                    "keyed entries; the chain was rewritten from here."
                )
            if entry.compute_hash() != entry.entry_hash:
                raise CommandError(
                    f"Broken link at entry {entry.pk} ({entry}): its content no longer "
                    "matches its hash; it was changed after it was written."
                )
            seen_keyed = seen_keyed or entry.keyed
            if anchor is not None and entry.pk == anchor.entry_id:
                anchored_hash = entry.entry_hash
            previous_hash = entry.entry_hash
            count += 1
        if anchor is None:
            self.stdout.write(
                self.style.SUCCESS(f"{_entries(count)}, chain intact (no anchor yet).")
            )
            return
        if anchored_hash != anchor.entry_hash:
            raise CommandError(
                f"The anchored entry {anchor.entry_id} (anchored {anchor.at}) is missing or "
                "changed: the newest entries were removed or the chain rewritten."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{_entries(count)}, chain intact, anchored entry {anchor.entry_id} of "
                f"{anchor.at} in place."
            )
        )
