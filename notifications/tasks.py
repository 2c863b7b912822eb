"""Background work of the notifications (Celery, mmi_tracker/celery.py): each email, and
each webhook call (notifications/webhooks/). Arguments are ids, never model instances."""

from smtplib import SMTPException

from celery import Task, shared_task
from django.utils import timezone

from .emails import notification_email_send
from .webhooks import schedule
from .webhooks.services import overdue_deliveries, webhook_attempt


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=3)
def send_notification_email(*, notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)


@shared_task(bind=True, max_retries=schedule.ATTEMPTS)
def deliver_webhook(self: Task, *, delivery_id: int, tries: int | None = None) -> None:
    """Try ``tries + 1`` of a webhook delivery; the next, if any, after the schedule's wait.
    (None: the next try, for a task queued before the tries were passed.)"""
    next_try = webhook_attempt(delivery_id=delivery_id, tries=tries)
    if next_try is not None:
        raise self.retry(
            countdown=next_try.wait,
            kwargs={"delivery_id": delivery_id, "tries": next_try.tries},
        )


@shared_task
def resume_webhook_deliveries() -> int:
    """Queue again each delivery whose task was lost (every 10 minutes: settings.py); how
    many."""
    overdue = overdue_deliveries(now=timezone.now())
    for delivery_id, tries in overdue:
        deliver_webhook.delay(delivery_id=delivery_id, tries=tries)
    return len(overdue)
