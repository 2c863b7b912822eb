"""The access log's background work (Celery, mmi_tracker/celery.py)."""

from celery import shared_task

from .anchors import anchor_write


@shared_task
def anchor_audit_log() -> int | None:
    """Daily: write the log's last entry to the anchor file; its id."""
    anchor = anchor_write()
    return anchor.entry_id if anchor else None
