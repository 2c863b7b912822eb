"""Background work of the notifications (Celery, mmi_tracker/celery.py): each email, and
each webhook call (notifications/webhooks/). Arguments are ids, never model instances."""

from smtplib import SMTPException

from celery import shared_task

from .emails import notification_email_send


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=60, max_retries=3)
def send_notification_email(*, notification_id: int) -> None:
    notification_email_send(notification_id=notification_id)
