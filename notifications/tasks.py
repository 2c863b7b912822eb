"""Background work of the notifications (Celery, mmi_tracker/celery.py): each email, and
each webhook call (notifications/webhooks/). Arguments are ids, never model instances."""

from smtplib import SMTPException

from celery import Task, shared_task

from .emails import notification_email_send
from .webhooks import schedule
from .webhooks.services import webhook_attempt


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=3)
def send_notification_email(*, notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)


@shared_task(bind=True, max_retries=schedule.ATTEMPTS)
def deliver_webhook(self: Task, *, delivery_id: int) -> None:
    """One try at a webhook delivery; the next, if any, after the schedule's wait."""
    wait = webhook_attempt(delivery_id=delivery_id)
    if wait is not None:
        raise self.retry(countdown=wait)
