"""What makes deliveries' records (docs/domain.md §10), connected in the app's ``ready()``:

- a certification signed or amended (cases/events.py, sent after commit): its distribution
  list;
- a work status recorded (``post_save``, acted on once it commits): its distribution list;
- an issued copy downloaded (``report_downloaded``): the carrier's portal delivery, the
  first time one of its people downloads it.

A receiver only calls a service; the rules are in deliveries/domain/.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from cases import events
from cases.models import Determination, IssuedReport, User, WorkStatus

from . import services


def _certification_issued(sender: type, determination: Determination, **kwargs: Any) -> None:
    services.certification_recipients_list(determination=determination)


def _work_status_saved(
    sender: type, instance: WorkStatus, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        transaction.on_commit(
            lambda: services.work_status_recipients_list(work_status=instance), robust=True
        )


def _report_downloaded(sender: type, report: IssuedReport, by: User, **kwargs: Any) -> None:
    services.portal_download_record(report=report, user=by)


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    events.certification_signed.connect(_certification_issued, dispatch_uid="deliveries-signed")
    events.certification_amended.connect(_certification_issued, dispatch_uid="deliveries-amended")
    events.report_downloaded.connect(_report_downloaded, dispatch_uid="deliveries-downloaded")
    post_save.connect(_work_status_saved, sender=WorkStatus, dispatch_uid="deliveries-work-status")
