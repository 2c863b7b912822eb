"""Background work of the diaries (Celery, mmi_tracker/celery.py): thin tasks around
diaries/services.py, which holds the rules' bookkeeping. Each may run twice without harm."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def apply_diary_rules() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): every rule over every case, so that a task whose day has
    come opens, and one whose condition ended closes, even where nothing changed."""
    return services.diary_rules_apply(today=timezone.localdate())


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def apply_diary_rules_to_case(*, case_id: int) -> dict[str, int]:
    """After a change to the case: every rule over it alone."""
    return services.diary_rules_apply_to_case(case_id=case_id, today=timezone.localdate())
