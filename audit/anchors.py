"""The access log's anchors: its last entry (id and hash) written daily to a file outside the
database (AUDIT_ANCHOR_FILE, one JSON line each), so that removing the newest entries, which
leaves a chain that still links, is found by comparing with the last anchor. Copy the file
off the machine too (README, "Access log")."""

import json
import os
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import AccessLogEntry


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    entry_hash: str
    at: str


def anchor_write() -> Anchor | None:
    """Append the log's last entry to the anchor file, flushed to disk; None while the log is
    empty."""
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", "entry_hash").first()
    if last is None:
        return None
    anchor = Anchor(last[0], last[1], timezone.now().isoformat())
    path = settings.AUDIT_ANCHOR_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as file:
        file.write(
            json.dumps({"entry": anchor.entry_id, "hash": anchor.entry_hash, "at": anchor.at})
            + "\n"
        )
        file.flush()
        os.fsync(file.fileno())
    return anchor


def last_anchor() -> Anchor | None:
    """The last anchor written, or None when there is none yet."""
    try:
        lines = settings.AUDIT_ANCHOR_FILE.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        if line.strip():
            row = json.loads(line)
            return Anchor(int(row["entry"]), str(row["hash"]), str(row["at"]))
    return None
