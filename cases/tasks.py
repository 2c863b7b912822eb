"""Background work (Celery, mmi_tracker/celery.py): thin tasks around the functions in
cases/services/report_exports.py, cases/services/digests.py, cases/services/plateau.py and
cases/reports/ (rendering PDFs ahead of their download), which hold the rules.

Tasks are acknowledged only when finished and put back on the queue if their worker dies
(settings: CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so each one is written
to be run twice without harm. Arguments are ids, never model instances: a task may run on
another machine, later.
"""

import logging
from smtplib import SMTPException

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .models import Case, Determination
from .reports import issuing, preparing
from .selectors import integrity
from .services import digests, plateau, report_exports

logger = logging.getLogger(__name__)


class _ExportTask(Task):
    """A step of building an export: retried with growing delays on the errors a moment
    later may mend (database or disk), and failing the export when out of retries."""

    autoretry_for = (OperationalError, InterfaceError, OSError)
    retry_backoff = 2
    retry_backoff_max = 300
    max_retries = 5

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        if isinstance(exc, report_exports.StoredReportChanged):
            error = str(exc)
        else:
            error = report_exports.BUILD_FAILED
        report_exports.export_fail(export_id=kwargs["export_id"], error=error)


@shared_task(base=_ExportTask)
def build_report_export(*, export_id: int) -> None:
    """Plan the export, then hand each part to whichever worker is free."""
    plan = report_exports.export_plan(export_id=export_id)
    if plan is None:
        return
    for index, determination_ids in enumerate(plan.parts):
        build_report_export_part.delay(
            export_id=export_id,
            attempt=plan.attempt,
            index=index,
            determination_ids=determination_ids,
        )


@shared_task(base=_ExportTask)
def build_report_export_part(
    *, export_id: int, attempt: int, index: int, determination_ids: list[int]
) -> None:
    last = report_exports.export_part_build(
        export_id=export_id, attempt=attempt, index=index, determination_ids=determination_ids
    )
    if last:
        assemble_report_export.delay(export_id=export_id, attempt=attempt)


@shared_task(base=_ExportTask)
def assemble_report_export(*, export_id: int, attempt: int) -> None:
    report_exports.export_assemble(export_id=export_id, attempt=attempt)


@shared_task
def expire_report_exports() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remove exports older than 7 days."""
    return report_exports.report_exports_expire(now=timezone.now())


@shared_task
def send_due_digests() -> None:
    """Hourly (CELERY_BEAT_SCHEDULE): one task per user whose digest is due."""
    for user_id in digests.users_due_digest(now=timezone.now()):
        send_digest.delay(user_id=user_id)


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=3)
def send_digest(*, user_id: int) -> None:
    digests.digest_send(user_id=user_id, today=timezone.localdate())


class _RenderTask(Task):
    """Rendering a PDF ahead of its download: retried with growing delays on the errors a
    moment later may mend (database or disk). Each one stores its document once, however
    often it runs (cases/reports/preparing.py)."""

    autoretry_for = (OperationalError, InterfaceError, OSError)
    retry_backoff = 2
    retry_backoff_max = 300
    max_retries = 5


@shared_task(base=_RenderTask)
def prepare_case_documents(*, case_id: int, revision: int) -> None:
    """After changes to a case pause: render again the documents prepared for it before,
    each on whichever worker is free; nothing if the case has changed again since."""
    for prepared in preparing.case_documents_to_refresh(case_id=case_id, revision=revision):
        prepare_report.delay(
            case_id=case_id, kind=prepared.kind, determination_id=prepared.determination_id
        )


@shared_task(base=_RenderTask)
def prepare_report(*, case_id: int, kind: str, determination_id: int | None = None) -> None:
    preparing.report_prepare(case_id=case_id, kind=kind, determination_id=determination_id)


@shared_task(base=_RenderTask)
def issue_determination_documents(*, determination_id: int) -> None:
    determination = Determination.objects.filter(pk=determination_id).first()
    if determination is not None and not determination.is_draft:
        issuing.determination_reports_issue(determination=determination)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def judge_cases_tracking(*, instrument_id: int) -> None:
    """After an instrument's MCID or range changed: the plateau verdict of every case
    tracking it, again (in batches; too many cases for the admin's request)."""
    plateau.plateau_rebuild(Case.objects.filter(tracked_instruments=instrument_id))


@shared_task
def verify_records() -> int:
    """Daily: the check of manage.py verify_records; each mismatch is logged at error level
    (which reaches the administrators with the error log). The number found."""
    mismatches = integrity.record_mismatches()
    for mismatch in mismatches:
        logger.error("Signed record altered: %s", mismatch)
    return len(mismatches)
