"""Background work of the questionnaire links (Celery, mmi_tracker/celery.py): thin tasks
around patient_links/services.py. Each may run twice without harm: a plan's next day moves
on as it sends, and a link is reminded once."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def send_planned_links() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): each plan's link of the day, then the reminders of
    links unanswered three days after they went."""
    counts = services.planned_links_send(today=timezone.localdate())
    counts["reminded"] = services.reminders_send()
    return counts


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=2, max_retries=5)
def stop_plans_of_case(*, case_id: int, reason: str) -> None:
    services.plans_stop_for_case(case_id=case_id, reason=reason)
